/**
 * Whether an address can be reached from the public internet at all, by its
 * IP: loopback, private (RFC 1918, IPv6 ULA), link-local, shared (CGNAT),
 * documentation, benchmarking, multicast and reserved ranges cannot (the IANA
 * special-purpose registries, RFC 6890). AutoNAT tests only public addresses
 * (autonat v2 spec: clients SHOULD NOT send, servers SHOULD NOT dial, private ones).
 *
 * The IPv6 documentation prefix 3fff::/20 (RFC 9637, 2024) is not listed, just as
 * js-libp2p's list leaves it out: the namespace tests use it to stand for the
 * public internet, the one test range both implementations treat as public.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import { AddressList } from '../connection-manager/address-filter.js'

const NON_PUBLIC = /* @__PURE__ */ new AddressList([
  '/ip4/0.0.0.0/ipcidr/8', '/ip4/10.0.0.0/ipcidr/8', '/ip4/100.64.0.0/ipcidr/10', '/ip4/127.0.0.0/ipcidr/8',
  '/ip4/169.254.0.0/ipcidr/16', '/ip4/172.16.0.0/ipcidr/12', '/ip4/192.0.0.0/ipcidr/24', '/ip4/192.0.2.0/ipcidr/24',
  '/ip4/192.168.0.0/ipcidr/16', '/ip4/198.18.0.0/ipcidr/15', '/ip4/198.51.100.0/ipcidr/24', '/ip4/203.0.113.0/ipcidr/24',
  '/ip4/224.0.0.0/ipcidr/4', '/ip4/240.0.0.0/ipcidr/4',
  '/ip6/::/ipcidr/128', '/ip6/::1/ipcidr/128', '/ip6/::ffff:0:0/ipcidr/96', '/ip6/100::/ipcidr/64',
  '/ip6/2001:db8::/ipcidr/32', '/ip6/fc00::/ipcidr/7', '/ip6/fe80::/ipcidr/10', '/ip6/ff00::/ipcidr/8'
])

/** `ip4` or `ip6` and the host, when the address starts with an IP. */
export function ipOf (addr: Multiaddr): { family: 'ip4' | 'ip6', host: string } | undefined {
  const first = addr.getComponents()[0]
  if ((first?.name !== 'ip4' && first?.name !== 'ip6') || first.value === undefined) return undefined
  return { family: first.name, host: first.value }
}

/** True for an address whose IP is publicly routable (see the module header). */
export function isPublicAddress (addr: Multiaddr): boolean {
  return ipOf(addr) !== undefined && !NON_PUBLIC.matches(addr)
}

/** True for an address through a circuit relay (`…/p2p/RELAY/p2p-circuit…`). */
export function isRelayAddress (addr: Multiaddr): boolean {
  return addr.getComponents().some(c => c.name === 'p2p-circuit')
}
