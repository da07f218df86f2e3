/**
 * `node.services.pubsub`: gossipsub over a node's connections. For every
 * connection it opens one long-lived outbound stream, offering
 * /meshsub/1.2.0, 1.1.0, 1.0.0 and /floodsub/1.0.0 (the protocol agreed is
 * the peer's router kind), and reads every inbound stream of those protocols
 * as a sequence of length-prefixed RPCs (gossipsub-v1.0.md "Protobuf";
 * pubsub README "The RPC"). The routing itself is ./router.ts.
 *
 * Bad input: a frame beyond MAX_RPC_SIZE (RpcTooLargeError) or one that does
 * not decode (InvalidRpcError) resets the stream and costs the sender a
 * behaviour penalty (P₇); invalid messages cost P₄ (router).
 */
import type { Connection } from '../connection/connection.js'
import type { ServiceHost } from '../node/service.js'
import { peerIdFromMultihash } from '../peer-id/index.js'
import type { PeerId } from '../peer-id/types.js'
import { openPeerRecord } from '../protocols/identify/peer-record.js'
import { ByteReader, UnexpectedEndError } from '../stream/byte-reader.js'
import { encodeLengthPrefixed } from '../stream/length-prefixed.js'
import type { Stream } from '../stream/types.js'
import * as C from './constants.js'
import { InvalidRpcError, PubSubUsageError, RpcTooLargeError } from './errors.js'
import { OutboundQueue } from './outbound-queue.js'
import { resolveOptions, type GossipsubOptions } from './options.js'
import { decodeRpc, encodeRpc, type PxPeer, type Rpc } from './rpc.js'
import { GossipsubRouter, type PubSubMessage, type SubscriptionChangeDetail, type TopicValidator } from './router.js'

/** The `message` event's detail: the message and the peer it came through. */
export type MessageEvent = PubSubMessage & { propagationSource: PeerId }

/** The events of the service (CustomEvents, by name). */
export interface GossipsubEvents {
  /** A validated message on a topic we subscribe. */
  'message': MessageEvent
  /** A peer joined or left topics. */
  'subscription-change': SubscriptionChangeDetail
  /** A peer's stream was reset for a protocol violation (RpcTooLargeError, InvalidRpcError). */
  'rpc-error': { peer: string, error: Error }
}

type Listener<K extends keyof GossipsubEvents> = (event: CustomEvent<GossipsubEvents[K]>) => void

interface PeerLink {
  peerId: PeerId
  queue: OutboundQueue
  opening: boolean
  attempts: number
  record: Uint8Array | undefined
}

/** The IP of a multiaddr (`/ip4/…` or `/ip6/…`), for P₆; undefined for other transports. */
function ipOf (connection: Connection): string[] {
  const m = /^\/ip[46]\/([^/]+)/.exec(connection.remoteAddr.toString())
  return m === null ? [] : [m[1]!]
}

export class Gossipsub extends EventTarget {
  readonly router: GossipsubRouter
  readonly #host: ServiceHost
  readonly #links = new Map<string, PeerLink>()
  readonly #protocols: string[]
  #heartbeat: ReturnType<typeof setTimeout> | undefined
  #directInitial: ReturnType<typeof setTimeout> | undefined
  #started = false
  readonly #inbound = new Set<Stream>()

  constructor (host: ServiceHost, options: GossipsubOptions = {}) {
    super()
    this.#host = host
    const resolved = resolveOptions(options)
    this.#protocols = resolved.protocols
    this.router = new GossipsubRouter({
      peerId: host.peerId,
      privateKey: host.privateKey,
      send: (peer, rpc) => this.#send(peer, rpc),
      onMessage: ({ message, propagationSource }) => {
        this.dispatchEvent(new CustomEvent<MessageEvent>('message', { detail: { ...message, propagationSource } }))
      },
      onSubscriptionChange: detail => { this.dispatchEvent(new CustomEvent<SubscriptionChangeDetail>('subscription-change', { detail })) },
      onPeerExchange: peers => { this.#peerExchange(peers) },
      peerRecord: peer => this.#links.get(peer)?.record
    }, resolved)
  }

  override addEventListener<K extends keyof GossipsubEvents>(type: K, listener: Listener<K> | null, options?: boolean | AddEventListenerOptions): void
  override addEventListener (type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void
  override addEventListener (type: string, listener: any, options?: boolean | AddEventListenerOptions): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    super.addEventListener(type, listener as EventListenerOrEventListenerObject | null, options)
  }

  override removeEventListener<K extends keyof GossipsubEvents>(type: K, listener: Listener<K> | null, options?: boolean | EventListenerOptions): void
  override removeEventListener (type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void
  override removeEventListener (type: string, listener: any, options?: boolean | EventListenerOptions): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    super.removeEventListener(type, listener as EventListenerOrEventListenerObject | null, options)
  }

  readonly #onConnectionOpen = (event: CustomEvent<Connection>): void => { this.#ensureOutbound(event.detail) }
  readonly #onPeerDisconnect = (event: CustomEvent<PeerId>): void => { this.#dropPeer(event.detail.toString()) }

  start (): void {
    if (this.#started) return
    this.#started = true
    for (const protocol of this.#protocols) {
      this.#host.handle(protocol, (stream, connection) => { this.#onInbound(stream, connection) }, { maxInboundStreams: C.MAX_INBOUND_STREAMS })
    }
    this.#host.addEventListener('connection:open', this.#onConnectionOpen)
    this.#host.addEventListener('peer:disconnect', this.#onPeerDisconnect)
    for (const connection of this.#host.getConnections()) this.#ensureOutbound(connection)
    const interval = this.router.options.heartbeatIntervalMs
    const tick = (): void => {
      if (!this.#started) return
      try { this.router.heartbeat() } catch { /* a heartbeat must never take the node down */ }
      if (this.router.heartbeatTicks % this.router.options.directConnectTicks === 0) this.#connectDirect()
      this.#heartbeat = setTimeout(tick, interval)
    }
    this.#heartbeat = setTimeout(tick, Math.min(C.HEARTBEAT_INITIAL_DELAY_MS, interval))
    const direct = this.router.options.directPeers
    if (direct.length > 0) {
      for (const p of direct) {
        if (p.addrs.length > 0) this.#host.peerStore.merge(p.peerId, { addresses: p.addrs.map(multiaddr => ({ multiaddr })) }).catch(() => {})
      }
      this.#directInitial = setTimeout(() => { this.#connectDirect() }, C.DIRECT_CONNECT_INITIAL_DELAY_MS)
    }
  }

  /**
   * v1.1 "Explicit Peering Agreements": "the router must establish and maintain a connection"
   * to every direct peer. Those without a pubsub stream are dialed (through the peer store's
   * addresses) and get a fresh set of stream attempts.
   */
  #connectDirect (): void {
    for (const { id, peerId } of this.router.options.directPeers) {
      if (!this.#started || this.#links.get(id)?.queue.attached === true) continue
      void this.#host.dial(peerId).then(connection => {
        const link = this.#link(peerId)
        if (!link.opening && !link.queue.attached) link.attempts = 0
        this.#ensureOutbound(connection)
      }, () => { /* unreachable now: the next check tries again */ })
    }
  }

  stop (): void {
    if (!this.#started) return
    this.#started = false
    clearTimeout(this.#heartbeat)
    clearTimeout(this.#directInitial)
    for (const protocol of this.#protocols) this.#host.unhandle(protocol)
    this.#host.removeEventListener('connection:open', this.#onConnectionOpen)
    this.#host.removeEventListener('peer:disconnect', this.#onPeerDisconnect)
    for (const id of [...this.#links.keys()]) this.#dropPeer(id)
    for (const stream of this.#inbound) stream.abort(new PubSubUsageError('pubsub stopped'))
    this.#inbound.clear()
  }

  // --- public API -----------------------------------------------------------

  subscribe (topic: string): void { this.router.subscribe(topic) }
  unsubscribe (topic: string): void { this.router.unsubscribe(topic) }

  /** Publishes `data` on `topic`; resolves with the peers it was sent to (possibly none). */
  async publish (topic: string, data: Uint8Array): Promise<PeerId[]> {
    if (!this.#started) throw new PubSubUsageError('start the node before publishing')
    if (!(data instanceof Uint8Array)) throw new TypeError('data must be a Uint8Array')
    const sent = await this.router.publish(topic, data)
    return sent.map(id => this.router.peers.get(id)?.peerId).filter((p): p is PeerId => p !== undefined)
  }

  getTopics (): string[] { return [...this.router.subscriptions] }
  getSubscribers (topic: string): PeerId[] { return this.#peerIds(this.router.topics.get(topic)) }
  getMeshPeers (topic: string): PeerId[] { return this.#peerIds(this.router.mesh.get(topic)) }
  /** Every peer we have a pubsub stream with. */
  getPeers (): PeerId[] { return [...this.router.peers.values()].map(p => p.peerId) }
  getScore (peer: PeerId | string): number { return this.router.score.score(peer.toString()) }
  /** The protocol agreed with `peer` (meshsub version or floodsub), if any. */
  getPeerProtocol (peer: PeerId | string): string | undefined { return this.router.peers.get(peer.toString())?.protocol }

  /** One validator per topic: 'accept' delivers and forwards, 'ignore' drops, 'reject' drops and penalises (P₄). */
  addValidator (topic: string, validator: TopicValidator): void { this.router.validators.set(topic, validator) }
  removeValidator (topic: string): void { this.router.validators.delete(topic) }

  #peerIds (ids: Set<string> | undefined): PeerId[] {
    const out: PeerId[] = []
    for (const id of ids ?? []) { const p = this.router.peers.get(id); if (p !== undefined) out.push(p.peerId) }
    return out
  }

  // --- streams -------------------------------------------------------------

  #link (peerId: PeerId): PeerLink {
    const id = peerId.toString()
    let link = this.#links.get(id)
    if (link === undefined) {
      link = { peerId, queue: new OutboundQueue(() => { this.#outboundFailed(id) }), opening: false, attempts: 0, record: undefined }
      this.#links.set(id, link)
      const stored = link
      this.#host.peerStore.get(peerId).then(peer => { stored.record = peer?.peerRecordEnvelope }, () => {})
    }
    return link
  }

  #ensureOutbound (connection: Connection): void {
    if (!this.#started || connection.status !== 'open') return
    const link = this.#link(connection.remotePeer)
    if (link.queue.attached || link.opening || link.attempts >= C.MAX_OUTBOUND_STREAM_ATTEMPTS) return
    link.opening = true
    link.attempts++
    void this.#openOutbound(connection, link)
  }

  async #openOutbound (connection: Connection, link: PeerLink): Promise<void> {
    const id = link.peerId.toString()
    let stream: Stream
    try {
      stream = await connection.newStream(this.#protocols, { signal: AbortSignal.timeout(C.OUTBOUND_STREAM_TIMEOUT_MS) })
    } catch {
      // The peer speaks no pubsub protocol (or the connection went): nothing to send it.
      link.opening = false
      return
    }
    link.opening = false
    if (!this.#started || this.#links.get(id) !== link) { stream.abort(new PubSubUsageError('pubsub stopped')); return }
    this.router.addPeer(link.peerId, stream.protocol ?? this.#protocols[0]!, connection.direction === 'outbound', ipOf(connection))
    link.queue.attach(stream)
    // The remote never writes on our outbound stream; reading it tells us when it goes away.
    void (async () => {
      try { for await (const _ of stream) { /* discard */ } } catch { /* reset */ }
      // The remote closed its half: the stream is going away, so let its close complete too.
      stream.close().catch(() => { stream.reset() })
      if (this.#links.get(id) === link && link.queue.attached) { link.queue.detach(); this.#outboundFailed(id) }
    })()
  }

  #outboundFailed (id: string): void {
    const link = this.#links.get(id)
    if (link === undefined || !this.#started) return
    const connection = this.#host.getConnections(link.peerId).find(c => c.status === 'open')
    if (connection !== undefined) this.#ensureOutbound(connection)
  }

  #dropPeer (id: string): void {
    const link = this.#links.get(id)
    this.#links.delete(id)
    link?.queue.close()
    this.router.removePeer(id)
  }

  /** Frames by RPC: the router sends one RPC object to every peer it forwards to; it is encoded once. */
  readonly #encoded = new WeakMap<Rpc, Uint8Array>()

  #send (peer: string, rpc: Rpc): boolean {
    const link = this.#links.get(peer)
    if (link === undefined) return false
    const frame = this.#encoded.get(rpc)
    if (frame !== undefined) return link.queue.push(frame)
    const bytes = encodeRpc(rpc)
    if (bytes.length > C.MAX_RPC_SIZE) {
      // Too big for the peer to accept in one frame: split the messages (one alone too big is dropped).
      if (rpc.messages.length <= 1) return false
      const half = Math.ceil(rpc.messages.length / 2)
      const a = this.#send(peer, { subscriptions: rpc.subscriptions, messages: rpc.messages.slice(0, half), ...(rpc.control !== undefined ? { control: rpc.control } : {}) })
      const b = this.#send(peer, { subscriptions: [], messages: rpc.messages.slice(half) })
      return a && b
    }
    const framed = encodeLengthPrefixed(bytes)
    this.#encoded.set(rpc, framed)
    return link.queue.push(framed)
  }

  #onInbound (stream: Stream, connection: Connection): void {
    if (!this.#started) { stream.reset(); return }
    const peerId = connection.remotePeer
    const id = peerId.toString()
    this.#link(peerId)
    if (!this.router.peers.has(id)) this.router.addPeer(peerId, stream.protocol ?? this.#protocols[0]!, connection.direction === 'outbound', ipOf(connection))
    this.#ensureOutbound(connection)
    this.#inbound.add(stream)
    void this.#readInbound(stream, id).finally(() => { this.#inbound.delete(stream) })
  }

  async #readInbound (stream: Stream, peer: string): Promise<void> {
    const reader = new ByteReader(stream)
    while (this.#started) {
      let frame: Uint8Array
      try {
        frame = await reader.readLengthPrefixed(C.MAX_RPC_SIZE)
      } catch (err) {
        if (err instanceof UnexpectedEndError && reader.bufferedLength === 0) {
          // A clean end between RPCs: close our (unused) half too, so the remote's close completes.
          stream.close().catch(() => { stream.reset() })
          return
        }
        const error = err instanceof RangeError ? new RpcTooLargeError(err.message) : err as Error
        this.#misbehaved(peer, stream, error)
        return
      }
      let rpc: Rpc
      try {
        rpc = decodeRpc(frame)
      } catch (err) {
        this.#misbehaved(peer, stream, err instanceof InvalidRpcError ? err : new InvalidRpcError((err as Error).message))
        return
      }
      try { await this.router.handleRpc(peer, rpc) } catch { /* one bad RPC does not end the stream */ }
    }
  }

  /** Protocol violations reset the stream and cost a behaviour penalty (P₇). */
  #misbehaved (peer: string, stream: Stream, error: Error): void {
    if (error instanceof RpcTooLargeError || error instanceof InvalidRpcError) this.router.score.addPenalty(peer)
    this.dispatchEvent(new CustomEvent('rpc-error', { detail: { peer, error } }))
    stream.reset()
  }

  #peerExchange (peers: PxPeer[]): void {
    for (const info of peers) {
      if (info.peerId === undefined || info.signedPeerRecord === undefined) continue
      let peerId: PeerId
      try { peerId = peerIdFromMultihash(info.peerId) } catch { continue }
      if (peerId.equals(this.#host.peerId) || this.#host.getConnections(peerId).length > 0) continue
      void (async () => {
        const record = await openPeerRecord(info.signedPeerRecord!, peerId)
        await this.#host.peerStore.merge(peerId, { addresses: record.addresses.map(multiaddr => ({ multiaddr, certified: true })) })
        await this.#host.dial(peerId)
      })().catch(() => { /* PX is a hint: a record that fails or a peer we cannot reach is skipped */ })
    }
  }
}
