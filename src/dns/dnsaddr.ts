/**
 * /dnsaddr/ resolution (libp2p addressing spec, "dnsaddr Links"):
 * `/dnsaddr/<host>` stands for the multiaddrs in the TXT records of
 * `_dnsaddr.<host>` whose strings read `dnsaddr=<multiaddr>`. Results may be
 * /dnsaddr/ links again (the libp2p bootstrap list nests one level), which are
 * resolved in turn up to DNSADDR_MAX_DEPTH. When the address ends in
 * `/p2p/<id>`, only results for that peer are kept. Anything after the host
 * component but before /p2p/ is not part of a dnsaddr link and is ignored.
 *
 * The TXT lookup is pluggable: the runtime's (Node: node:dns) by default, or
 * a given one (tests, DNS-over-HTTPS in browsers).
 */
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { getPeerIdFromMultiaddr } from '../multiaddr/index.js'
import { DnsaddrLimitError } from './resolve-errors.js'
import { systemTxtResolver } from './txt.js'
import type { SystemTxtResolverOptions, TxtResolver } from './txt-types.js'

/**
 * Deepest nesting of /dnsaddr/ links followed: 4. The public bootstrap list
 * uses 2 (bootstrap.libp2p.io → per-node names); a loop stops here.
 */
export const DNSADDR_MAX_DEPTH = 4

/** Most TXT lookups for one resolution: 32, so a wide tree of links costs a bounded number of queries. */
export const DNSADDR_MAX_LOOKUPS = 32

/** Most addresses one resolution returns: 64; the rest is dropped (a bootstrap entry needs a few). */
export const DNSADDR_MAX_ADDRS = 64

const PREFIX = 'dnsaddr='

export interface DnsaddrOptions extends SystemTxtResolverOptions {
  /** The TXT lookup; default the runtime's (`servers`, `timeoutMs` configure it). */
  resolveTxt?: TxtResolver
  signal?: AbortSignal
}

export function isDnsaddr (addr: Multiaddr): boolean {
  return addr.getComponents()[0]?.name === 'dnsaddr'
}

/**
 * The multiaddrs `addr` stands for: itself when it is not a /dnsaddr/ link,
 * otherwise the resolved, non-link addresses (for its peer only, when it names
 * one). Throws DnsaddrLimitError past DNSADDR_MAX_DEPTH or DNSADDR_MAX_LOOKUPS,
 * DnsResolveError when a lookup fails.
 */
export async function resolveDnsaddr (addr: Multiaddr, options: DnsaddrOptions = {}): Promise<Multiaddr[]> {
  if (!isDnsaddr(addr)) return [addr]
  const resolveTxt = options.resolveTxt ?? systemTxtResolver(options)
  const wanted = getPeerIdFromMultiaddr(addr)
  const out: Multiaddr[] = []
  const seen = new Set<string>()
  let lookups = 0

  const visit = async (link: Multiaddr, depth: number): Promise<void> => {
    if (depth > DNSADDR_MAX_DEPTH) throw new DnsaddrLimitError(`/dnsaddr/ links nest deeper than ${DNSADDR_MAX_DEPTH} (at ${link.toString()})`)
    if (++lookups > DNSADDR_MAX_LOOKUPS) throw new DnsaddrLimitError(`resolving ${addr.toString()} needs more than ${DNSADDR_MAX_LOOKUPS} lookups`)
    const host = link.getComponents()[0]?.value ?? ''
    const records = await resolveTxt(`_dnsaddr.${host}`, options.signal === undefined ? {} : { signal: options.signal })
    for (const strings of records) {
      const text = strings.join('') // a long TXT value may be split into 255-byte strings (RFC 7208 §3.3 style)
      if (!text.startsWith(PREFIX)) continue
      let found: Multiaddr
      try { found = multiaddr(text.slice(PREFIX.length)) } catch { continue }
      const id = getPeerIdFromMultiaddr(found)
      if (wanted !== undefined && (id === undefined || !id.equals(wanted))) continue
      if (isDnsaddr(found)) { await visit(found, depth + 1); continue }
      const key = found.toString()
      if (seen.has(key) || out.length >= DNSADDR_MAX_ADDRS) continue
      seen.add(key)
      out.push(found)
    }
  }
  await visit(addr, 1)
  return out
}
