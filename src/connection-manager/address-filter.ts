/**
 * Allow and deny lists of remote hosts. An entry is a bare IP address
 * (`10.0.0.7`, `::1`), an IP range in multiaddr form (`/ip4/127.0.0.0/ipcidr/8`,
 * `/ip6/fd00::/ipcidr/8`, the form js-libp2p takes), or any other multiaddr
 * prefix (`/dns4/example.com`). A host on the deny list is refused before any
 * handshake; one on the allow list bypasses the inbound limits, rate limiting
 * and pruning (for operators' own peers, monitors and load balancers).
 */
import type { Multiaddr } from '@multiformats/multiaddr'

interface Range { family: 'ip4' | 'ip6', bits: Uint8Array, prefix: number }

function ip4Bytes (text: string): Uint8Array | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  const bytes = parts.map(Number)
  return bytes.every(b => Number.isInteger(b) && b >= 0 && b <= 255) ? Uint8Array.from(bytes) : undefined
}

function ip6Bytes (text: string): Uint8Array | undefined {
  // An IPv4-mapped or -compatible tail (`::ffff:127.0.0.1`) becomes its two 16-bit groups.
  const quad = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (quad !== null) {
    const v4 = ip4Bytes(quad[2] ?? '')
    if (v4 === undefined) return undefined
    text = `${quad[1] ?? ''}${((v4[0] ?? 0) << 8 | (v4[1] ?? 0)).toString(16)}:${((v4[2] ?? 0) << 8 | (v4[3] ?? 0)).toString(16)}`
  }
  const halves = text.toLowerCase().split('::')
  if (halves.length > 2) return undefined
  const groups = (s: string): number[] => s === '' ? [] : s.split(':').map(g => /^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)
  const head = groups(halves[0] ?? '')
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : []
  const fill = 8 - head.length - tail.length
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined
  const all = [...head, ...new Array<number>(fill).fill(0), ...tail]
  if (all.some(Number.isNaN)) return undefined
  const out = new Uint8Array(16)
  all.forEach((g, i) => { out[2 * i] = g >> 8; out[2 * i + 1] = g & 0xff })
  return out
}

function bytesOf (family: string, text: string): Uint8Array | undefined {
  return family === 'ip4' ? ip4Bytes(text) : family === 'ip6' ? ip6Bytes(text) : undefined
}

function inRange (range: Range, bytes: Uint8Array): boolean {
  for (let bit = 0; bit < range.prefix; bit++) {
    const mask = 0x80 >> (bit & 7)
    if (((range.bits[bit >> 3] ?? 0) & mask) !== ((bytes[bit >> 3] ?? 0) & mask)) return false
  }
  return true
}

export class AddressList {
  readonly #prefixes: string[] = []
  readonly #ranges: Range[] = []

  constructor (entries: readonly string[] = []) {
    for (const entry of entries) {
      const text = entry.startsWith('/') ? entry.replace(/\/+$/, '') : `/${entry.includes(':') ? 'ip6' : 'ip4'}/${entry}`
      const cidr = /^\/(ip4|ip6)\/([^/]+)(?:\/ipcidr\/(\d+))?$/.exec(text)
      const family = cidr?.[1] as 'ip4' | 'ip6' | undefined
      const bits = family !== undefined ? bytesOf(family, cidr?.[2] ?? '') : undefined
      if (family !== undefined && bits !== undefined) {
        const prefix = cidr?.[3] !== undefined ? Number(cidr[3]) : bits.length * 8
        if (!(prefix >= 0 && prefix <= bits.length * 8)) throw new RangeError(`invalid CIDR prefix in ${entry}`)
        this.#ranges.push({ family, bits, prefix })
      } else {
        this.#prefixes.push(text)
      }
    }
  }

  get size (): number { return this.#prefixes.length + this.#ranges.length }

  /** True when the address's host is in one of the ranges, or the address starts with one of the prefixes. */
  matches (addr: Multiaddr): boolean {
    if (this.#ranges.length > 0) {
      const first = addr.getComponents()[0]
      const bytes = first?.value !== undefined ? bytesOf(first.name, first.value) : undefined
      if (bytes !== undefined && this.#ranges.some(r => r.family === first?.name && inRange(r, bytes))) return true
    }
    const text = addr.toString()
    return this.#prefixes.some(p => text === p || text.startsWith(`${p}/`))
  }
}

/** The host part (first component) of an address, for rate limiting. */
export function hostOf (addr: Multiaddr): string {
  const first = addr.getComponents()[0]
  return `${first?.name ?? '?'}/${first?.value ?? ''}`
}
