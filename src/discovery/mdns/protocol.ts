/**
 * The libp2p mDNS messages (spec "Peer Discovery"), free of sockets:
 *
 *   query:    question `_p2p._udp.local PTR`
 *   response: answer `_p2p._udp.local PTR <peer-name>._p2p._udp.local`,
 *             additional records `<peer-name>._p2p._udp.local TXT "dnsaddr=<multiaddr>/p2p/<id>"`
 *
 * We put one multiaddr in each TXT record (as js-libp2p and go-libp2p do)
 * and read TXT records from both the answer and the additional sections (js-libp2p
 * sends them as answers). Every multiaddr of one peer must name the same
 * /p2p/ id; others are dropped.
 */
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { DnsType } from '../../dns/constants.js'
import { txtData, txtStrings, type DnsMessage, type DnsRecord } from '../../dns/message.js'
import { getPeerIdFromMultiaddr, withoutPeerId } from '../../multiaddr/index.js'
import type { PeerId } from '../../peer-id/types.js'
import {
  DNSADDR_PREFIX, DNS_SD_SERVICES_NAME, MDNS_MAX_ANNOUNCED_ADDRS, MDNS_MAX_DISCOVERED_ADDRS, MDNS_MAX_PEERS_PER_RESPONSE, MDNS_RECORD_TTL_S
} from './constants.js'

const MAX_TXT_STRING = 255
const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

export function discoveryQuery (serviceName: string): DnsMessage {
  return { response: false, questions: [{ name: serviceName, type: DnsType.PTR }], answers: [], authorities: [], additionals: [] }
}

/** What a query asks of us: the peer list (service PTR, or TXT of our instance) and/or the DNS-SD meta answer. */
export function queryWants (message: DnsMessage, serviceName: string, instanceName: string): { peers: boolean, services: boolean } {
  let peers = false
  let services = false
  if (message.response) return { peers, services }
  for (const q of message.questions) {
    const any = q.type === DnsType.ANY
    if (sameName(q.name, serviceName) && (any || q.type === DnsType.PTR)) peers = true
    if (sameName(q.name, instanceName) && (any || q.type === DnsType.TXT)) peers = true
    if (sameName(q.name, DNS_SD_SERVICES_NAME) && (any || q.type === DnsType.PTR)) services = true
  }
  return { peers, services }
}

/** Our response: the PTR to our instance, one TXT per address (those with /p2p/ that fit a TXT string). */
export function discoveryResponse (serviceName: string, instanceName: string, addrs: Multiaddr[], { services = false } = {}): DnsMessage {
  const additionals: DnsRecord[] = []
  for (const addr of addrs) {
    if (additionals.length >= MDNS_MAX_ANNOUNCED_ADDRS) break
    const text = DNSADDR_PREFIX + addr.toString()
    if (text.length > MAX_TXT_STRING || getPeerIdFromMultiaddr(addr) === undefined) continue
    additionals.push({ name: instanceName, type: DnsType.TXT, ttl: MDNS_RECORD_TTL_S, data: txtData([text]) })
  }
  const answers: DnsRecord[] = [{ name: serviceName, type: DnsType.PTR, ttl: MDNS_RECORD_TTL_S, data: instanceName }]
  if (services) answers.push({ name: DNS_SD_SERVICES_NAME, type: DnsType.PTR, ttl: MDNS_RECORD_TTL_S, data: serviceName })
  return { response: true, authoritative: true, questions: [], answers, authorities: [], additionals }
}

export interface DiscoveredPeer {
  id: PeerId
  /** Without /p2p/. */
  multiaddrs: Multiaddr[]
  /** Instance name the peer announced. */
  instanceName: string
  /** Seconds, the smallest TTL of its TXT records (0: the peer is leaving, RFC 6762 §10.1). */
  ttl: number
}

/** The peers a response describes (at most MDNS_MAX_PEERS_PER_RESPONSE), each with at most MDNS_MAX_DISCOVERED_ADDRS addresses. */
export function peersInResponse (message: DnsMessage, serviceName: string): DiscoveredPeer[] {
  if (!message.response) return []
  const records = [...message.answers, ...message.additionals]
  const instances: string[] = []
  for (const r of records) {
    if (r.type !== DnsType.PTR || !sameName(r.name, serviceName) || typeof r.data !== 'string') continue
    if (!instances.some(i => sameName(i, r.data as string))) instances.push(r.data)
    if (instances.length >= MDNS_MAX_PEERS_PER_RESPONSE) break
  }
  const peers: DiscoveredPeer[] = []
  for (const instanceName of instances) {
    let id: PeerId | undefined
    let ttl = Infinity
    const multiaddrs: Multiaddr[] = []
    const seen = new Set<string>()
    for (const r of records) {
      if (r.type !== DnsType.TXT || !sameName(r.name, instanceName)) continue
      for (const text of txtStrings(r.data)) {
        if (!text.startsWith(DNSADDR_PREFIX) || multiaddrs.length >= MDNS_MAX_DISCOVERED_ADDRS) continue
        let addr: Multiaddr
        try { addr = multiaddr(text.slice(DNSADDR_PREFIX.length)) } catch { continue }
        const addrId = getPeerIdFromMultiaddr(addr)
        if (addrId === undefined) continue
        id ??= addrId
        if (!addrId.equals(id)) continue
        const bare = withoutPeerId(addr)
        if (seen.has(bare.toString())) continue
        seen.add(bare.toString())
        multiaddrs.push(bare)
        ttl = Math.min(ttl, r.ttl)
      }
    }
    if (id !== undefined) peers.push({ id, multiaddrs, instanceName, ttl: ttl === Infinity ? MDNS_RECORD_TTL_S : ttl })
  }
  return peers
}

/** A random peer name: `length` lower-case letters and digits (spec "Definitions"). */
export function randomPeerName (length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  // 256 is not a multiple of 36; the slight bias is harmless for a name that only has to be unique.
  return Array.from(bytes, b => alphabet[b % alphabet.length]).join('')
}
