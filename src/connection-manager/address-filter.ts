/**
 * Allow and deny lists of remote hosts, given as multiaddr prefixes
 * (`/ip4/10.0.0.7`, `/ip6/::1`, `/dns4/example.com`) or bare IP addresses.
 * A host on the deny list is refused before any handshake; one on the allow
 * list bypasses the inbound limits and rate limiting (for operators' own
 * peers, monitors and load balancers).
 */
import type { Multiaddr } from '@multiformats/multiaddr'

function normalise (entry: string): string {
  if (entry.startsWith('/')) return entry.replace(/\/+$/, '')
  return entry.includes(':') ? `/ip6/${entry}` : `/ip4/${entry}`
}

export class AddressList {
  readonly #prefixes: string[]

  constructor (entries: readonly string[] = []) {
    this.#prefixes = entries.map(normalise)
  }

  get size (): number { return this.#prefixes.length }

  /** True when the address starts with one of the list's prefixes, component-wise. */
  matches (addr: Multiaddr): boolean {
    const text = addr.toString()
    return this.#prefixes.some(p => text === p || text.startsWith(`${p}/`))
  }
}

/** The host part (first component's value) of an address, for rate limiting. */
export function hostOf (addr: Multiaddr): string {
  const first = addr.getComponents()[0]
  return `${first?.name ?? '?'}/${first?.value ?? ''}`
}
