/**
 * A listener bound to the unspecified address (`0.0.0.0` or `::`) accepts on
 * every interface, but no peer can dial `/ip4/0.0.0.0`: what the listener
 * reports (identify's listenAddrs, the signed peer record, mDNS, AutoNAT's
 * candidates) must be the interface addresses it is reachable on. As in
 * js-libp2p and go-libp2p, the wildcard is expanded to every address of that
 * family on the machine's interfaces, read when asked, so that an interface
 * coming up later is listed too.
 *
 * IPv6 link-local addresses (fe80::/10) are left out: they need a zone
 * (`%eth0`) that `/ip6` cannot carry, so a peer could not dial them.
 */
import { networkInterfaces } from 'node:os'

const isLinkLocal6 = (address: string): boolean => /^fe[89ab]/i.test(address)

/** The hosts a listener bound to `host` is reachable on: `host` itself unless it is a wildcard. */
export function listeningHosts (host: string, family: string | number): string[] {
  const v6 = family === 'IPv6' || family === 6
  if (host !== (v6 ? '::' : '0.0.0.0')) return [host]
  const hosts: string[] = []
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      const infoV6 = info.family === 'IPv6' || (info.family as unknown) === 6
      if (infoV6 !== v6 || (v6 && isLinkLocal6(info.address))) continue
      if (!hosts.includes(info.address)) hosts.push(info.address)
    }
  }
  // No interface of that family: the wildcard is still the truth about the socket.
  return hosts.length > 0 ? hosts : [host]
}
