// A NAT topology in network namespaces, all named with this process's prefix
// (../../helpers/netns.js: w2a-<pid>-) and all removed by removeTopology():
//
//   pub       "the internet": bridge br0 holding PUBLIC_SERVER_IP (the AutoNAT servers)
//     ├─ veth ─ host      a public host, PUBLIC_HOST_IP, on the same /64
//     └─ veth ─ rtr       NAT router: wan0 ROUTER_WAN_IP, lan0 ROUTER_LAN_IP,
//                         forwarding on, ip6tables MASQUERADE out of wan0
//                └─ veth ─ priv      a host behind the NAT, PRIVATE_HOST_IP, default route via the router
//
// IPv6, because js-libp2p's AutoNAT treats every IPv4 test range (RFC 1918, 100.64/10,
// 192.0.2/24, 198.18/15, 198.51.100/24, 203.0.113/24) as private and refuses to dial it or
// ask about it; the IPv6 documentation prefix 3fff::/20 (RFC 9637) it leaves public. No
// namespace has a route out of the topology, so no packet leaves it.
import { addNamespace, inNs, namespacePrefix, removeNamespaces, sh } from '../../helpers/netns.js'

export { netnsAvailable, inNamespace } from '../../helpers/netns.js'
export const PREFIX = namespacePrefix('a')
export const NS = { pub: `${PREFIX}pub`, host: `${PREFIX}host`, router: `${PREFIX}rtr`, priv: `${PREFIX}priv` }
export const PUBLIC_SERVER_IP = '3fff:1::10'
export const PUBLIC_HOST_IP = '3fff:1::20'
export const ROUTER_WAN_IP = '3fff:1::2'
export const ROUTER_LAN_IP = 'fd00:1::1'
export const PRIVATE_HOST_IP = 'fd00:1::2'

const run = sh

/** Deletes this process's namespaces of the topology (their veths go with them). */
export function removeTopology () {
  removeNamespaces(PREFIX)
}

export function buildTopology () {
  removeTopology()
  for (const ns of Object.values(NS)) addNamespace(ns)
  // The public segment: a bridge in the pub namespace with the servers' address, and two veths into it.
  inNs(NS.pub, 'ip', 'link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0')
  inNs(NS.pub, 'ip', 'addr', 'add', `${PUBLIC_SERVER_IP}/64`, 'dev', 'br0', 'nodad')
  inNs(NS.pub, 'ip', 'link', 'set', 'br0', 'up')
  run('ip', '-n', NS.pub, 'link', 'add', 'p-host', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', NS.host)
  run('ip', '-n', NS.pub, 'link', 'add', 'p-rtr', 'type', 'veth', 'peer', 'name', 'wan0', 'netns', NS.router)
  for (const port of ['p-host', 'p-rtr']) {
    inNs(NS.pub, 'ip', 'link', 'set', port, 'master', 'br0')
    inNs(NS.pub, 'ip', 'link', 'set', port, 'up')
  }
  inNs(NS.host, 'ip', 'addr', 'add', `${PUBLIC_HOST_IP}/64`, 'dev', 'eth0', 'nodad')
  inNs(NS.host, 'ip', 'link', 'set', 'eth0', 'up')
  // The NAT router.
  run('ip', '-n', NS.router, 'link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', NS.priv)
  inNs(NS.router, 'ip', 'addr', 'add', `${ROUTER_WAN_IP}/64`, 'dev', 'wan0', 'nodad')
  inNs(NS.router, 'ip', 'addr', 'add', `${ROUTER_LAN_IP}/64`, 'dev', 'lan0', 'nodad')
  inNs(NS.router, 'ip', 'link', 'set', 'wan0', 'up')
  inNs(NS.router, 'ip', 'link', 'set', 'lan0', 'up')
  inNs(NS.router, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.forwarding=1')
  inNs(NS.router, 'ip6tables', '-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE')
  // The host behind it.
  inNs(NS.priv, 'ip', 'addr', 'add', `${PRIVATE_HOST_IP}/64`, 'dev', 'eth0', 'nodad')
  inNs(NS.priv, 'ip', 'link', 'set', 'eth0', 'up')
  inNs(NS.priv, 'ip', '-6', 'route', 'add', 'default', 'via', ROUTER_LAN_IP)
}

