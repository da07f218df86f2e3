/**
 * The order in which a peer's addresses are dialed (they are tried one after
 * another, at most MAX_DIALS_PER_PEER of them):
 *
 * 1. certified addresses (from a signed peer record) before uncertified ones:
 *    the peer itself vouched for them;
 * 2. loopback, then private (RFC 1918, ULA, link-local), then public: the
 *    nearer address is the faster and cheaper one when it works, and a wrong
 *    near address fails fast (refused), while a wrong public one may hang
 *    until the timeout;
 * 3. TCP before WebSockets before anything else: plain TCP has one fewer
 *    protocol layer and handshake (no HTTP upgrade) on the same network path.
 *
 * The sort is stable, so the peer's own order decides among equals.
 */
import type { Multiaddr } from '@multiformats/multiaddr'

export type Locality = 0 | 1 | 2

/** 0 loopback, 1 private or link-local, 2 public (or a DNS name, which we cannot judge). */
export function locality (addr: Multiaddr): Locality {
  const first = addr.getComponents()[0]
  const value = first?.value ?? ''
  if (first?.name === 'ip4') {
    const [a, b] = value.split('.').map(Number) as [number, number]
    if (a === 127) return 0
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)) return 1
    return 2
  }
  if (first?.name === 'ip6') {
    const v = value.toLowerCase()
    if (v === '::1') return 0
    if (v.startsWith('fc') || v.startsWith('fd') || v.startsWith('fe80')) return 1
    return 2
  }
  if (first?.name === 'dns4' || first?.name === 'dns6' || first?.name === 'dns') return value === 'localhost' ? 0 : 2
  if (first?.name === 'memory') return 0
  return 2
}

/** 0 TCP, 1 WebSockets (ws or wss), 2 anything else. */
export function transportRank (addr: Multiaddr): number {
  const names = addr.getComponents().map(c => c.name)
  if (names.includes('ws') || names.includes('wss') || names.includes('tls')) return 1
  if (names.includes('tcp')) return 0
  return 2
}

export interface DialCandidate {
  multiaddr: Multiaddr
  certified?: boolean
}

export function orderAddresses<T extends DialCandidate> (addrs: readonly T[]): T[] {
  return addrs
    .map((a, i) => ({ a, i }))
    .sort((x, y) =>
      (Number(y.a.certified === true) - Number(x.a.certified === true)) ||
      (locality(x.a.multiaddr) - locality(y.a.multiaddr)) ||
      (transportRank(x.a.multiaddr) - transportRank(y.a.multiaddr)) ||
      (x.i - y.i))
    .map(({ a }) => a)
}
