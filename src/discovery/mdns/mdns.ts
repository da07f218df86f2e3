/**
 * mDNS peer discovery (../../../shared/specs/libp2p/discovery/mdns.md) as a
 * node service: `createNode({ services: { mdns: mdns({ dial: true }) } })`.
 *
 * Once the node listens (afterStart) it joins 224.0.0.251:5353, announces
 * itself (an unsolicited response, RFC 6762 §8.3) and asks for every peer
 * (`_p2p._udp.local PTR`), then asks again every MDNS_QUERY_INTERVAL_MS. It
 * answers every such query, its own included (spec "Request"), at most once a
 * second. Each peer found in a response is merged into the peer store, announced
 * as the node's `peer:discovery` event and, with `dial: true`, dialed.
 *
 * Which interfaces: those the node listens on — a node on 127.0.0.1 only
 * speaks mDNS on loopback (it has nothing to offer the LAN), one on a given
 * address on that interface, one on 0.0.0.0 on every interface (each wildcard
 * address announced once per interface address). `interfaces` overrides it.
 *
 * Every datagram is decoded by our own codec (../../dns/message.ts): a bad
 * one is counted and dropped, never thrown.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import { multiaddr } from '@multiformats/multiaddr'
import { decodeDnsMessage, encodeDnsMessage } from '../../dns/message.js'
import { DnsMessageError } from '../../dns/errors.js'
import type { PeerId } from '../../peer-id/types.js'
import type { ServiceFactory, ServiceHost } from '../../node/service.js'
import {
  MDNS_DIAL_COOLDOWN_MS, MDNS_GROUP, MDNS_MAX_DISCOVERIES_PER_SECOND, MDNS_MAX_ADDRESS_TTL_MS, MDNS_MAX_TRACKED_PEERS, MDNS_MIN_RESPONSE_INTERVAL_MS,
  MDNS_PEER_NAME_LENGTH, MDNS_PORT, MDNS_QUERY_INTERVAL_MS, MDNS_SERVICE_NAME
} from './constants.js'
import { discoveryQuery, discoveryResponse, peersInResponse, queryWants, randomPeerName, type DiscoveredPeer } from './protocol.js'
import { mdnsSupported, openMdnsSocket } from './socket.js'
import type { MdnsSocket } from './socket-types.js'

export interface MdnsOptions {
  /** Dial each peer found (when not connected, at most once per MDNS_DIAL_COOLDOWN_MS); default false. */
  dial?: boolean
  /** Answer queries with our addresses; default true (false: discover without being discovered). */
  broadcast?: boolean
  /** Default MDNS_QUERY_INTERVAL_MS. */
  queryIntervalMs?: number
  /** Default MDNS_SERVICE_NAME; a private network uses `_p2p-<fingerprint hex>._udp.local`. */
  serviceName?: string
  /** Our instance label; default a random MDNS_PEER_NAME_LENGTH-character name. */
  peerName?: string
  /** IPv4 addresses of the interfaces to use; default those the node listens on (see the header). */
  interfaces?: string[]
  /** Default MDNS_PORT (tests on a shared host use their own). */
  port?: number
  /** Default MDNS_GROUP. */
  group?: string
}

/** What `peer:discovery` carries (on the node): the peer and its addresses, without /p2p/. */
export interface PeerDiscoveryDetail {
  id: PeerId
  multiaddrs: Multiaddr[]
}

/** Numbers for tests and diagnostics. */
export interface MdnsStats {
  queriesSent: number
  responsesSent: number
  received: number
  /** Datagrams that failed to decode (DnsMessageError), dropped. */
  malformed: number
  /** Peers reported (our own responses excluded). */
  discovered: number
  /** Peers dropped over MDNS_MAX_DISCOVERIES_PER_SECOND. */
  dropped: number
}

const isWildcard4 = (host: string): boolean => host === '0.0.0.0'

/** The IPv4 host of an address, if it starts with /ip4/. */
function ip4Of (addr: Multiaddr): string | undefined {
  const first = addr.getComponents()[0]
  return first?.name === 'ip4' ? first.value : undefined
}

export class MdnsDiscovery {
  readonly stats: MdnsStats = { queriesSent: 0, responsesSent: 0, received: 0, malformed: 0, discovered: 0, dropped: 0 }
  /** False where the runtime has no UDP multicast (browsers): the service then does nothing. */
  readonly supported = mdnsSupported
  /** The first unexpected failure: the socket could not be opened (the node then runs on without mDNS), or handling a datagram failed. */
  error: Error | undefined
  readonly #host: ServiceHost
  readonly #options: MdnsOptions
  readonly #serviceName: string
  readonly #instanceName: string
  #socket: MdnsSocket | undefined
  #timer: ReturnType<typeof setInterval> | undefined
  #lastResponse = -Infinity
  #pendingResponse: ReturnType<typeof setTimeout> | undefined
  #pendingServices = false
  readonly #lastDial = new Map<string, number>()
  #running = false
  #tokens = MDNS_MAX_DISCOVERIES_PER_SECOND
  #refilled = Date.now()
  readonly #onSelfUpdate = (): void => { this.#respond(false) }

  constructor (host: ServiceHost, options: MdnsOptions = {}) {
    this.#host = host
    this.#options = options
    this.#serviceName = options.serviceName ?? MDNS_SERVICE_NAME
    const peerName = options.peerName ?? randomPeerName(MDNS_PEER_NAME_LENGTH)
    if (peerName.length === 0 || peerName.length > 63 || peerName.includes('.')) throw new RangeError('peerName must be one DNS label of 1 to 63 characters')
    this.#instanceName = `${peerName}.${this.#serviceName}`
  }

  /** `<peer-name>.<service-name>`. */
  get instanceName (): string { return this.#instanceName }

  /** The interfaces joined (empty before start, in browsers, or after a failed open). */
  get interfaces (): string[] { return this.#socket?.interfaces ?? [] }

  async afterStart (): Promise<void> {
    if (!this.supported || this.#running) return
    this.#running = true
    try {
      this.#socket = await openMdnsSocket({
        group: this.#options.group ?? MDNS_GROUP,
        port: this.#options.port ?? MDNS_PORT,
        interfaces: this.#options.interfaces ?? this.#interfacesFromListenAddrs(),
        onMessage: bytes => { this.#onMessage(bytes) },
        onError: () => {}
      })
    } catch (err) {
      this.error = err as Error
      this.#running = false
      return
    }
    if (!this.#running) {
      // stop() ran while the socket was opening.
      await this.#socket.close()
      this.#socket = undefined
      return
    }
    this.#host.addEventListener('self:peer:update', this.#onSelfUpdate)
    this.#respond(false)
    this.query()
    this.#timer = setInterval(() => { this.query() }, this.#options.queryIntervalMs ?? MDNS_QUERY_INTERVAL_MS)
  }

  async stop (): Promise<void> {
    this.#running = false
    this.#host.removeEventListener('self:peer:update', this.#onSelfUpdate)
    if (this.#timer !== undefined) clearInterval(this.#timer)
    if (this.#pendingResponse !== undefined) clearTimeout(this.#pendingResponse)
    this.#timer = undefined
    this.#pendingResponse = undefined
    const socket = this.#socket
    this.#socket = undefined
    await socket?.close()
  }

  /** Sends one `_p2p._udp.local PTR` query now (the timer sends them anyway). */
  query (): void {
    const socket = this.#socket
    if (socket === undefined) return
    this.stats.queriesSent++
    void socket.send(encodeDnsMessage(discoveryQuery(this.#serviceName)))
  }

  #interfacesFromListenAddrs (): string[] | 'all' {
    const hosts = new Set<string>()
    for (const addr of this.#host.getMultiaddrs()) {
      const host = ip4Of(addr)
      if (host === undefined) continue
      if (isWildcard4(host)) return 'all'
      hosts.add(host)
    }
    return hosts.size === 0 ? 'all' : [...hosts]
  }

  /** Our addresses as announced: wildcard IPv4 ones once per joined interface, other unspecified ones dropped. */
  #announcedAddrs (): Multiaddr[] {
    const out: Multiaddr[] = []
    for (const addr of this.#host.getMultiaddrs()) {
      const host = ip4Of(addr)
      if (host !== undefined && isWildcard4(host)) {
        const rest = addr.toString().slice('/ip4/0.0.0.0'.length)
        for (const iface of this.interfaces) out.push(multiaddr(`/ip4/${iface}${rest}`))
      } else if (!addr.toString().startsWith('/ip6/::/')) {
        out.push(addr)
      }
    }
    return out
  }

  /** Multicasts our response now, or at the end of the current second if one went out within it. */
  #respond (services: boolean): void {
    if (this.#options.broadcast === false || this.#socket === undefined) return
    this.#pendingServices ||= services
    if (this.#pendingResponse !== undefined) return
    const wait = this.#lastResponse + MDNS_MIN_RESPONSE_INTERVAL_MS - Date.now()
    const send = (): void => {
      this.#pendingResponse = undefined
      const socket = this.#socket
      if (socket === undefined) return
      this.#lastResponse = Date.now()
      const message = discoveryResponse(this.#serviceName, this.#instanceName, this.#announcedAddrs(), { services: this.#pendingServices })
      this.#pendingServices = false
      if (message.additionals.length === 0) return
      this.stats.responsesSent++
      void socket.send(encodeDnsMessage(message))
    }
    if (wait <= 0) send()
    else this.#pendingResponse = setTimeout(send, wait)
  }

  #onMessage (bytes: Uint8Array): void {
    if (!this.#running) return
    this.stats.received++
    let message
    try {
      message = decodeDnsMessage(bytes)
    } catch (err) {
      // Our codec throws only DnsMessageErrors; anything else would be our bug, and a datagram must not crash the node either way.
      this.stats.malformed++
      if (!(err instanceof DnsMessageError)) this.error ??= err as Error
      return
    }
    if (!message.response) {
      const wants = queryWants(message, this.#serviceName, this.#instanceName)
      if (wants.peers || wants.services) this.#respond(wants.services)
      return
    }
    let peers: DiscoveredPeer[]
    try {
      peers = peersInResponse(message, this.#serviceName)
    } catch (err) {
      this.stats.malformed++
      this.error ??= err as Error
      return
    }
    for (const peer of peers) {
      if (peer.id.equals(this.#host.peerId) || peer.ttl === 0 || peer.multiaddrs.length === 0) continue
      if (!this.#takeToken()) { this.stats.dropped++; continue }
      void this.#found(peer)
    }
  }

  #takeToken (): boolean {
    const now = Date.now()
    this.#tokens = Math.min(MDNS_MAX_DISCOVERIES_PER_SECOND, this.#tokens + (now - this.#refilled) * MDNS_MAX_DISCOVERIES_PER_SECOND / 1000)
    this.#refilled = now
    if (this.#tokens < 1) return false
    this.#tokens--
    return true
  }

  async #found (peer: DiscoveredPeer): Promise<void> {
    this.stats.discovered++
    const ttl = Math.min(MDNS_MAX_ADDRESS_TTL_MS, peer.ttl * 1000)
    try {
      await this.#host.peerStore.merge(peer.id, { addresses: peer.multiaddrs.map(a => ({ multiaddr: a, ttl })) })
    } catch {
      return
    }
    if (!this.#running) return
    this.#host.dispatchEvent(new CustomEvent<PeerDiscoveryDetail>('peer:discovery', { detail: { id: peer.id, multiaddrs: peer.multiaddrs } }))
    if (this.#options.dial === true) this.#maybeDial(peer.id)
  }

  #maybeDial (id: PeerId): void {
    const key = id.toString()
    const now = Date.now()
    if (this.#host.getConnections(id).length > 0) return
    if (now - (this.#lastDial.get(key) ?? -Infinity) < MDNS_DIAL_COOLDOWN_MS) return
    this.#lastDial.delete(key)
    this.#lastDial.set(key, now)
    if (this.#lastDial.size > MDNS_MAX_TRACKED_PEERS) this.#lastDial.delete(this.#lastDial.keys().next().value!)
    // A peer that cannot be reached is tried again after the cooldown, at its next response.
    this.#host.dial(id).catch(() => {})
  }
}

/** The mDNS discovery service (Node; a no-op where there is no UDP: `supported` is false). */
export function mdns (options: MdnsOptions = {}): ServiceFactory<MdnsDiscovery> {
  return { create: host => new MdnsDiscovery(host, options) }
}
