// A NAT topology in Linux network namespaces, made and removed by the test
// (Node only, needs root and iproute2 + iptables). All names start with the
// prefix given (../../helpers/netns.js namespacePrefix: unique per process);
// all addresses are private ranges on veths created here:
//
//   pub   relay, 10.77.0.1 on lo ─┬─ veth 10.77.1.1 ── 10.77.1.2 nat1 ── 192.168.1.1 ── 192.168.1.2 a
//                                 └─ veth 10.77.2.1 ── 10.77.2.2 nat2 ── 192.168.2.1 ── 192.168.2.2 b
//
// nat1 / nat2 forward and MASQUERADE what leaves their WAN side, and drop
// new connections arriving on it, like a home router. pub routes between
// the two WAN sides (the "internet") but has no route to either 192.168
// network, so a and b reach the relay and each other's router (as
// 10.77.x.2), never each other's host, unless a hole is punched.
import { addNamespace, inNs, sh } from '../../helpers/netns.js'

export const RELAY_IP = '10.77.0.1'
export const A_IP = '192.168.1.2'
export const B_IP = '192.168.2.2'
export const NAT1_WAN_IP = '10.77.1.2'
export const NAT2_WAN_IP = '10.77.2.2'

/**
 * The "internet" side with `publicWan`: js-libp2p's DCUtR drops every address
 * its `isPrivate` (@libp2p/utils private-ip.js) lists, which covers 10/8 and
 * every IPv4 test range, so the relay and the routers' WAN sides take
 * 7.77.0.0/16 instead: publicly routable to both implementations, and
 * harmless here because it exists only inside the test's own namespaces.
 * The LANs stay 192.168 (private, as behind a home router).
 */
export const PUBLIC_WAN = { RELAY_IP: '7.77.0.1', NAT1_WAN_IP: '7.77.1.2', NAT2_WAN_IP: '7.77.2.2' }

/**
 * Builds the topology; returns the namespace names. `symmetric` makes both
 * routers map each new connection to a fresh random port (MASQUERADE
 * --random-fully), the kind of NAT that defeats hole punching. `publicWan`
 * numbers the internet side from PUBLIC_WAN. `forward: { nat: 1 | 2, port }`
 * (or a list of them) gives that router a port mapping of its host's TCP `port`.
 */
export function createNatTopology (prefix, { symmetric = false, publicWan = false, forward } = {}) {
  const wan = publicWan ? '7.77' : '10.77'
  const ns = { pub: `${prefix}pub`, nat1: `${prefix}nat1`, nat2: `${prefix}nat2`, a: `${prefix}a`, b: `${prefix}b` }
  for (const name of Object.values(ns)) addNamespace(name)
  const veth = (nsA, ifA, nsB, ifB) => sh('ip', 'link', 'add', ifA, 'netns', nsA, 'type', 'veth', 'peer', 'name', ifB, 'netns', nsB)
  const addr = (name, dev, cidr) => { inNs(name, 'ip', 'addr', 'add', cidr, 'dev', dev); inNs(name, 'ip', 'link', 'set', dev, 'up') }

  inNs(ns.pub, 'ip', 'addr', 'add', `${wan}.0.1/32`, 'dev', 'lo')
  // pub is the internet between the two routers: it forwards between their WAN sides.
  inNs(ns.pub, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1')
  for (const [i, nat, host, hostIp] of [[1, ns.nat1, ns.a, A_IP], [2, ns.nat2, ns.b, B_IP]]) {
    veth(ns.pub, `p${i}`, nat, 'wan')
    addr(ns.pub, `p${i}`, `${wan}.${i}.1/24`)
    addr(nat, 'wan', `${wan}.${i}.2/24`)
    veth(nat, 'lan', host, 'eth0')
    addr(nat, 'lan', `192.168.${i}.1/24`)
    addr(host, 'eth0', `${hostIp}/24`)
    inNs(host, 'ip', 'route', 'add', 'default', 'via', `192.168.${i}.1`)
    inNs(nat, 'ip', 'route', 'add', 'default', 'via', `${wan}.${i}.1`)
    inNs(nat, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1')
    inNs(nat, 'iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan', '-j', 'MASQUERADE', ...(symmetric ? ['--random-fully'] : []))
    for (const { port } of [forward ?? []].flat().filter(f => f.nat === i)) {
      // A port mapping of the host's listener, as UPnP / NAT-PMP gives a home router's host.
      inNs(nat, 'iptables', '-t', 'nat', '-A', 'PREROUTING', '-i', 'wan', '-p', 'tcp', '--dport', String(port), '-j', 'DNAT', '--to-destination', `${hostIp}:${port}`)
      inNs(nat, 'iptables', '-A', 'FORWARD', '-i', 'wan', '-p', 'tcp', '-d', hostIp, '--dport', String(port), '-j', 'ACCEPT')
    }
    inNs(nat, 'iptables', '-A', 'FORWARD', '-i', 'wan', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT')
    inNs(nat, 'iptables', '-A', 'FORWARD', '-i', 'wan', '-j', 'DROP')
    // Unsolicited packets to the router itself are dropped too (no RST), as home routers do:
    // a punch SYN that arrives before the mapping exists is lost and retransmitted, not refused.
    inNs(nat, 'iptables', '-A', 'INPUT', '-i', 'wan', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT')
    inNs(nat, 'iptables', '-A', 'INPUT', '-i', 'wan', '-j', 'DROP')
  }
  return ns
}

/**
 * Tries a plain TCP connection from inside `namespace` to host:port for at
 * most `timeoutMs`; resolves 'connected' or the failure ('timeout', an errno).
 */
export function tcpProbe (namespace, host, port, timeoutMs = 3000) {
  const script = `const s = require('net').connect(${Number(port)}, ${JSON.stringify(host)});
    s.on('connect', () => { console.log('connected'); process.exit(0) });
    s.on('error', e => { console.log(e.code || e.message); process.exit(0) });
    setTimeout(() => { console.log('timeout'); process.exit(0) }, ${Number(timeoutMs)})`
  return sh('ip', 'netns', 'exec', namespace, process.execPath, '-e', script).trim()
}
