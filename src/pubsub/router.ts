/**
 * The gossipsub router (gossipsub-v1.0.md "Router State", "Message
 * Processing", "Heartbeat"; gossipsub-v1.1.md; v1.2 IDONTWANT), independent of
 * streams: RPCs come in through `handleRpc`, go out through `host.send`, and
 * time is `host.now`, so a whole network of routers can be simulated in one
 * process (the property tests) and the same code runs over real connections
 * (./service.ts).
 *
 * State per topic: the peers subscribed to it (`topics`), our `mesh` for
 * topics we joined, our `fanout` for topics we publish to without joining,
 * and the `backoff` after a PRUNE. Floodsub peers get every message of their
 * topics and no control messages. Direct peers (v1.1 "Explicit Peering
 * Agreements") get every message of their topics too, never join a mesh, get
 * no gossip, and are heard whatever their score.
 */
import type { PrivateKey } from '../keys/types.js'
import type { PeerId } from '../peer-id/types.js'
import * as C from './constants.js'
import { PubSubUsageError } from './errors.js'
import { idBytes, idKey } from './message-id.js'
import { MessageCache } from './message-cache.js'
import type { ResolvedOptions } from './options.js'
import { emptyControl, isEmptyControl, type ControlIHave, type ControlMessage, type ControlPrune, type PxPeer, type Rpc, type RpcMessage, type SubOpts } from './rpc.js'
import { PeerScore } from './score/peer-score.js'
import { SeenCache } from './seen-cache.js'
import { AuthorCache, buildMessage, checkMessageSignature, SeqnoCounter } from './signing.js'

export type ValidationResult = 'accept' | 'ignore' | 'reject'
export type TopicValidator = (message: PubSubMessage, propagationSource: PeerId) => ValidationResult | Promise<ValidationResult>

/** A message as the application sees it. */
export interface PubSubMessage {
  topic: string
  data: Uint8Array
  /** The author (signed messages only). */
  from?: PeerId
  seqno?: bigint
  /** The message id (by the router's message-id function). */
  id: Uint8Array
  type: 'signed' | 'unsigned'
}

export interface MessageEventDetail { message: PubSubMessage, propagationSource: PeerId }
export interface SubscriptionChangeDetail { peerId: PeerId, subscriptions: SubOpts[] }

export interface RouterHost {
  readonly peerId: PeerId
  readonly privateKey: PrivateKey
  /** Sends one RPC; false when it could not be queued (the peer's queue is full or gone). */
  send: (peer: string, rpc: Rpc) => boolean
  /** A received, validated message for a topic we subscribe. */
  onMessage: (detail: MessageEventDetail) => void
  onSubscriptionChange: (detail: SubscriptionChangeDetail) => void
  /** Peer exchange from a PRUNE we accept (the service dials them). */
  onPeerExchange?: (peers: PxPeer[]) => void
  /** The signed peer record we hold for a peer, to offer in PX. */
  peerRecord?: (peer: string) => Uint8Array | undefined
  now?: () => number
  random?: () => number
}

export interface RouterPeer {
  readonly id: string
  readonly peerId: PeerId
  protocol: string
  /** Whether we dialed the connection (v1.1 outbound mesh quota, D_out). */
  readonly outbound: boolean
  readonly topics: Set<string>
  /** v1.2: ids the peer told us not to send, with the heartbeat tick it did. */
  readonly dontWant: Map<string, number>
}

const isGossip = (p: RouterPeer): boolean => p.protocol !== C.FLOODSUB_PROTOCOL
const isV11 = (p: RouterPeer): boolean => p.protocol === C.MESHSUB_V11_PROTOCOL || p.protocol === C.MESHSUB_V12_PROTOCOL
const isV12 = (p: RouterPeer): boolean => p.protocol === C.MESHSUB_V12_PROTOCOL

interface Outgoing { graft: Set<string>, prune: Map<string, boolean>, ihave: ControlIHave[] }

export class GossipsubRouter {
  readonly options: ResolvedOptions
  readonly peers = new Map<string, RouterPeer>()
  /** Topic → ids of the peers subscribed to it. */
  readonly topics = new Map<string, Set<string>>()
  readonly subscriptions = new Set<string>()
  readonly mesh = new Map<string, Set<string>>()
  readonly fanout = new Map<string, Set<string>>()
  readonly fanoutLastPublish = new Map<string, number>()
  /** Topic → peer → time the backoff ends. */
  readonly backoff = new Map<string, Map<string, number>>()
  readonly seen: SeenCache
  readonly mcache: MessageCache
  readonly score: PeerScore
  readonly validators = new Map<string, TopicValidator>()
  /** Ids of the direct peers (options.directPeers). */
  readonly direct: ReadonlySet<string>
  heartbeatTicks = 0

  readonly #host: RouterHost
  readonly #now: () => number
  readonly #random: () => number
  readonly #seqno = new SeqnoCounter()
  readonly #authors = new AuthorCache()
  /** IHAVE messages and asked ids per peer since the last heartbeat (v1.1 "Spam Protection"). */
  readonly #peerHave = new Map<string, number>()
  readonly #iasked = new Map<string, number>()
  /** IWANT ids served per peer since the last heartbeat. */
  readonly #iwantServed = new Map<string, number>()
  /** Promises: message id → peer → deadline by which it must deliver (v1.1 "Spam Protection"). */
  readonly #promises = new Map<string, Map<string, number>>()
  #lastDecay: number

  constructor (host: RouterHost, options: ResolvedOptions) {
    this.#host = host
    this.options = options
    this.#now = host.now ?? Date.now
    this.#random = host.random ?? Math.random
    this.seen = new SeenCache({ ttlMs: options.seenTtlMs, now: this.#now })
    this.mcache = new MessageCache({ length: options.mcacheLength, gossip: options.mcacheGossip })
    this.score = new PeerScore(options.scoreParams, this.#now)
    this.#lastDecay = this.#now()
    this.direct = new Set(options.directPeers.map(p => p.id))
  }

  // --- peers -------------------------------------------------------------

  addPeer (peerId: PeerId, protocol: string, outbound: boolean, ips: string[] = []): void {
    const id = peerId.toString()
    const existing = this.peers.get(id)
    if (existing !== undefined) { existing.protocol = protocol; return }
    this.peers.set(id, { id, peerId, protocol, outbound, topics: new Set(), dontWant: new Map() })
    this.score.addPeer(id)
    this.score.setIps(id, ips)
    // pubsub README "The RPC": subscriptions are announced to every new pubsub peer.
    if (this.subscriptions.size > 0) this.#host.send(id, { subscriptions: [...this.subscriptions].map(topic => ({ subscribe: true, topic })), messages: [] })
  }

  removePeer (id: string): void {
    const peer = this.peers.get(id)
    if (peer === undefined) return
    for (const topic of peer.topics) this.topics.get(topic)?.delete(id)
    for (const [topic, mesh] of this.mesh) if (mesh.delete(id)) this.score.prune(id, topic)
    for (const fanout of this.fanout.values()) fanout.delete(id)
    this.score.removePeer(id)
    this.peers.delete(id)
    this.#peerHave.delete(id)
    this.#iasked.delete(id)
    this.#iwantServed.delete(id)
  }

  // --- API ---------------------------------------------------------------

  subscribe (topic: string): void {
    checkTopic(topic)
    if (this.subscriptions.has(topic)) return
    this.subscriptions.add(topic)
    this.#announce(topic, true)
    this.#join(topic)
  }

  unsubscribe (topic: string): void {
    if (!this.subscriptions.delete(topic)) return
    this.#announce(topic, false)
    this.#leave(topic)
  }

  /** Publishes `data`; resolves with the ids of the peers it was sent to. */
  async publish (topic: string, data: Uint8Array): Promise<string[]> {
    checkTopic(topic)
    const message = await buildMessage(this.options.signaturePolicy, this.#host, this.#seqno, topic, data)
    const id = this.options.msgIdFn(message)
    const key = idKey(id)
    if (!this.seen.add(key)) throw new PubSubUsageError('a message with this id was already published or seen (StrictNoSign ids are the hash of the data)')
    this.mcache.put(key, id, message)
    const targets = this.#publishTargets(topic)
    const rpc: Rpc = { subscriptions: [], messages: [message] }
    const reached: string[] = []
    for (const peer of targets) if (this.#host.send(peer, rpc)) reached.push(peer)
    if (this.options.emitSelf && this.subscriptions.has(topic)) {
      this.#host.onMessage({ message: this.#toPubSubMessage(message, id, this.#host.peerId), propagationSource: this.#host.peerId })
    }
    return reached
  }

  #publishTargets (topic: string): Set<string> {
    const { publishThreshold } = this.options.scoreThresholds
    const subscribers = this.topics.get(topic) ?? new Set<string>()
    const targets = new Set<string>()
    for (const id of subscribers) {
      const peer = this.peers.get(id)
      if (peer !== undefined && (!isGossip(peer) || this.direct.has(id))) targets.add(id)
    }
    if (this.options.floodPublish) {
      for (const id of subscribers) if (this.score.score(id) >= publishThreshold) targets.add(id)
      return targets
    }
    let peers = this.mesh.get(topic)
    if (peers === undefined) {
      peers = this.fanout.get(topic)
      if (peers === undefined) {
        peers = new Set(this.#pick(topic, this.options.D, id => this.score.score(id) >= publishThreshold))
        this.fanout.set(topic, peers)
      }
      this.fanoutLastPublish.set(topic, this.#now())
    }
    for (const id of peers) targets.add(id)
    return targets
  }

  // --- inbound -----------------------------------------------------------

  /** Processes one RPC from `from` (gossipsub-v1.0.md "Message Processing"). */
  async handleRpc (from: string, rpc: Rpc): Promise<void> {
    const peer = this.peers.get(from)
    if (peer === undefined) return
    // v1.1 "Score Thresholds": a graylisted peer's RPCs are ignored entirely; "incoming RPCs
    // are always accepted" from direct peers ("Explicit Peering Agreements").
    if (!this.direct.has(from) && this.score.score(from) < this.options.scoreThresholds.graylistThreshold) return
    if (rpc.subscriptions.length > 0) this.#handleSubscriptions(peer, rpc.subscriptions)
    if (rpc.control !== undefined) for (const d of rpc.control.idontwant) this.#handleIDontWant(peer, d.messageIds)
    for (const message of rpc.messages) {
      if (!this.peers.has(from)) return
      await this.#handleMessage(peer, message)
    }
    if (rpc.control === undefined || !isGossip(peer) || !this.peers.has(from)) return
    const iwant = this.#handleIHave(peer, rpc.control.ihave)
    const served = this.#handleIWant(peer, rpc.control.iwant)
    const prune = this.#handleGraft(peer, rpc.control.graft)
    this.#handlePrune(peer, rpc.control.prune)
    const control = emptyControl()
    if (iwant.length > 0) control.iwant.push({ messageIds: iwant })
    control.prune = prune
    if (served.length > 0 || !isEmptyControl(control)) this.#host.send(from, { subscriptions: [], messages: served, control })
  }

  #handleSubscriptions (peer: RouterPeer, subscriptions: SubOpts[]): void {
    const changes: SubOpts[] = []
    for (const { subscribe, topic } of subscriptions) {
      if (topic.length === 0 || topic.length > C.MAX_TOPIC_LENGTH) continue
      if (subscribe) {
        if (peer.topics.has(topic) || peer.topics.size >= C.MAX_TOPICS_PER_PEER) continue
        peer.topics.add(topic)
        let set = this.topics.get(topic)
        if (set === undefined) { set = new Set(); this.topics.set(topic, set) }
        set.add(peer.id)
      } else {
        if (!peer.topics.delete(topic)) continue
        const set = this.topics.get(topic)
        set?.delete(peer.id)
        if (set?.size === 0) this.topics.delete(topic)
        if (this.mesh.get(topic)?.delete(peer.id) === true) this.score.prune(peer.id, topic)
        this.fanout.get(topic)?.delete(peer.id)
      }
      changes.push({ subscribe, topic })
    }
    if (changes.length > 0) this.#host.onSubscriptionChange({ peerId: peer.peerId, subscriptions: changes })
  }

  async #handleMessage (peer: RouterPeer, message: RpcMessage): Promise<void> {
    const topic = message.topic
    if (!this.subscriptions.has(topic)) return
    let id: Uint8Array
    try {
      id = this.options.msgIdFn(message)
    } catch {
      this.score.rejectMessage(peer.id, undefined, topic)
      return
    }
    const key = idKey(id)
    if (this.seen.has(key)) {
      this.score.duplicateMessage(peer.id, key, topic)
      this.#promises.delete(key)
      return
    }
    this.seen.add(key)
    this.score.validateMessage(key)
    const check = await checkMessageSignature(this.options.signaturePolicy, message, this.#authors)
    if (!check.valid) {
      // pubsub README "Message Signing": drop and do not propagate; P₄ for the sender.
      this.score.rejectMessage(peer.id, key, topic)
      return
    }
    const pubsubMessage = this.#toPubSubMessage(message, id, check.from)
    const validator = this.validators.get(topic)
    if (validator !== undefined) {
      let result: ValidationResult
      try { result = await validator(pubsubMessage, peer.peerId) } catch { result = 'reject' }
      if (result === 'reject') { this.score.rejectMessage(peer.id, key, topic); return }
      if (result === 'ignore') { this.score.ignoreMessage(key); return }
    }
    this.score.deliverMessage(peer.id, key, topic)
    this.#promises.delete(key)
    this.mcache.put(key, id, message)
    this.#host.onMessage({ message: pubsubMessage, propagationSource: peer.peerId })
    this.#forward(message, key, peer.id, check.from?.toString())
  }

  #toPubSubMessage (message: RpcMessage, id: Uint8Array, from: PeerId | undefined): PubSubMessage {
    const out: PubSubMessage = { topic: message.topic, data: message.data ?? new Uint8Array(0), id, type: from !== undefined ? 'signed' : 'unsigned' }
    if (from !== undefined) out.from = from
    if (message.seqno !== undefined) out.seqno = new DataView(message.seqno.buffer, message.seqno.byteOffset, 8).getBigUint64(0, false)
    return out
  }

  /** To the mesh (gossipsub), every subscribed floodsub and direct peer, except the source and the author. */
  #forward (message: RpcMessage, key: string, source: string, author: string | undefined): void {
    const topic = message.topic
    const targets = new Set<string>()
    for (const id of this.topics.get(topic) ?? []) {
      const p = this.peers.get(id)
      if (p !== undefined && (!isGossip(p) || this.direct.has(id))) targets.add(id)
    }
    for (const id of this.mesh.get(topic) ?? []) targets.add(id)
    targets.delete(source)
    if (author !== undefined) targets.delete(author)
    const large = (message.data?.length ?? 0) >= C.IDONTWANT_MIN_DATA_SIZE
    if (large) {
      // v1.2: tell our 1.2 mesh peers first, so those that get it elsewhere do not send it back.
      // One RPC object for all of them: the service encodes it once.
      const dontWant: Rpc = { subscriptions: [], messages: [], control: { ...emptyControl(), idontwant: [{ messageIds: [idBytes(key)] }] } }
      for (const peerId of this.mesh.get(topic) ?? []) {
        const p = this.peers.get(peerId)
        if (p !== undefined && isV12(p) && peerId !== source) this.#host.send(peerId, dontWant)
      }
    }
    const rpc: Rpc = { subscriptions: [], messages: [message] }
    for (const id of targets) {
      const p = this.peers.get(id)
      if (p === undefined || p.dontWant.has(key)) continue
      this.#host.send(id, rpc)
    }
  }

  #handleIDontWant (peer: RouterPeer, ids: Uint8Array[]): void {
    for (const id of ids) {
      if (id.length > C.MAX_MESSAGE_ID_LENGTH) continue
      const key = idKey(id)
      peer.dontWant.delete(key)
      peer.dontWant.set(key, this.heartbeatTicks)
      if (peer.dontWant.size > C.MAX_IDONTWANT_IDS_PER_PEER) peer.dontWant.delete(peer.dontWant.keys().next().value as string)
    }
  }

  /** IHAVE → the ids we want (v1.0 "IHAVE", v1.1 "Spam Protection"). */
  #handleIHave (peer: RouterPeer, ihaves: ControlIHave[]): Uint8Array[] {
    if (ihaves.length === 0) return []
    if (this.score.score(peer.id) < this.options.scoreThresholds.gossipThreshold) return []
    const have = (this.#peerHave.get(peer.id) ?? 0) + 1
    this.#peerHave.set(peer.id, have)
    if (have > C.MAX_IHAVE_MESSAGES) return []
    const asked = this.#iasked.get(peer.id) ?? 0
    if (asked >= C.MAX_IHAVE_LENGTH) return []
    const wanted = new Map<string, Uint8Array>()
    let examined = 0
    outer: for (const { topic, messageIds } of ihaves) {
      if (!this.subscriptions.has(topic)) continue
      for (const id of messageIds) {
        if (++examined > C.MAX_IHAVE_LENGTH) break outer
        if (id.length > C.MAX_MESSAGE_ID_LENGTH) continue
        const key = idKey(id)
        if (!this.seen.has(key)) wanted.set(key, id)
      }
    }
    if (wanted.size === 0) return []
    const ask = Math.min(wanted.size, C.MAX_IHAVE_LENGTH - asked)
    const keys = this.#shuffle([...wanted.keys()]).slice(0, ask)
    this.#iasked.set(peer.id, asked + keys.length)
    // One promise per IWANT, for a random id of it (v1.1 "Spam Protection").
    const promised = keys[Math.floor(this.#random() * keys.length)]!
    let byPeer = this.#promises.get(promised)
    if (byPeer === undefined) { byPeer = new Map(); this.#promises.set(promised, byPeer) }
    if (!byPeer.has(peer.id)) byPeer.set(peer.id, this.#now() + C.IWANT_FOLLOWUP_MS)
    return keys.map(k => wanted.get(k)!)
  }

  /** IWANT → the cached messages, each served to a peer at most GOSSIP_RETRANSMISSION times. */
  #handleIWant (peer: RouterPeer, iwants: Array<{ messageIds: Uint8Array[] }>): RpcMessage[] {
    if (iwants.length === 0) return []
    if (this.score.score(peer.id) < this.options.scoreThresholds.gossipThreshold) return []
    const out = new Map<string, RpcMessage>()
    let served = this.#iwantServed.get(peer.id) ?? 0
    for (const { messageIds } of iwants) {
      for (const id of messageIds) {
        if (served >= C.MAX_IHAVE_LENGTH) {
          // An IWANT flood: more ids in one heartbeat than we ever advertise to a peer.
          if (served === C.MAX_IHAVE_LENGTH) this.score.addPenalty(peer.id)
          served = C.MAX_IHAVE_LENGTH + 1
          this.#iwantServed.set(peer.id, served)
          return [...out.values()]
        }
        served++
        if (id.length > C.MAX_MESSAGE_ID_LENGTH) continue
        const key = idKey(id)
        if (out.has(key)) continue
        const entry = this.mcache.getForPeer(key, peer.id)
        if (entry === undefined || entry.count > C.GOSSIP_RETRANSMISSION) continue
        out.set(key, entry.message)
      }
    }
    this.#iwantServed.set(peer.id, served)
    return [...out.values()]
  }

  /** GRAFT → the PRUNEs we answer with (v1.0 "GRAFT", v1.1 "PRUNE Backoff", "Outbound Mesh Quotas"). */
  #handleGraft (peer: RouterPeer, grafts: Array<{ topic: string }>): ControlPrune[] {
    const prunes: ControlPrune[] = []
    const now = this.#now()
    for (const { topic } of grafts) {
      const mesh = this.mesh.get(topic)
      if (mesh === undefined) {
        // Not joined: refuse without PX, so the peer does not retry at once (v1.0 "GRAFT").
        if (topic.length > 0 && topic.length <= C.MAX_TOPIC_LENGTH) prunes.push(this.#makePrune(peer, topic, false))
        continue
      }
      if (mesh.has(peer.id)) continue
      if (this.direct.has(peer.id)) {
        // v1.1 "Explicit Peering Agreements": "an error to GRAFT on an explicit peer ... rejected
        // with a PRUNE" (no PX, no penalty: it is a configuration mismatch, not an attack).
        prunes.push(this.#makePrune(peer, topic, false))
        continue
      }
      const backoffEnds = this.backoff.get(topic)?.get(peer.id)
      if (backoffEnds !== undefined && now < backoffEnds) {
        // v1.1 "PRUNE Backoff": a GRAFT in backoff is penalised, twice if it comes within the flood threshold.
        this.score.addPenalty(peer.id)
        if (now < backoffEnds - this.options.pruneBackoffMs + this.options.graftFloodThresholdMs) this.score.addPenalty(peer.id)
        this.#setBackoff(topic, peer.id, this.options.pruneBackoffMs)
        prunes.push(this.#makePrune(peer, topic, false))
        continue
      }
      if (this.score.score(peer.id) < 0) {
        prunes.push(this.#makePrune(peer, topic, false))
        continue
      }
      if (mesh.size >= this.options.Dhi && !peer.outbound) {
        prunes.push(this.#makePrune(peer, topic, true))
        continue
      }
      mesh.add(peer.id)
      this.score.graft(peer.id, topic)
    }
    return prunes
  }

  #handlePrune (peer: RouterPeer, prunes: ControlPrune[]): void {
    for (const { topic, peers, backoff } of prunes) {
      if (this.mesh.get(topic)?.delete(peer.id) === true) this.score.prune(peer.id, topic)
      this.#setBackoff(topic, peer.id, backoff !== undefined && backoff > 0 ? backoff * 1000 : this.options.pruneBackoffMs)
      if (peers.length > 0 && this.score.score(peer.id) >= this.options.scoreThresholds.acceptPXThreshold) {
        this.#host.onPeerExchange?.(peers.slice(0, C.MAX_PX_DIALS))
      }
    }
  }

  // --- mesh maintenance ---------------------------------------------------

  #announce (topic: string, subscribe: boolean): void {
    const rpc: Rpc = { subscriptions: [{ subscribe, topic }], messages: [] }
    for (const id of this.peers.keys()) this.#host.send(id, rpc)
  }

  /** JOIN(topic), gossipsub-v1.0.md "Topic Membership": fanout peers first, then others, to D. */
  #join (topic: string): void {
    const mesh = new Set<string>()
    for (const id of this.fanout.get(topic) ?? []) {
      if (mesh.size >= this.options.D) break
      if (this.#eligibleForMesh(topic, id, mesh)) mesh.add(id)
    }
    this.fanout.delete(topic)
    this.fanoutLastPublish.delete(topic)
    for (const id of this.#pick(topic, this.options.D - mesh.size, id => this.#eligibleForMesh(topic, id, mesh))) mesh.add(id)
    this.mesh.set(topic, mesh)
    for (const id of mesh) {
      this.score.graft(id, topic)
      this.#host.send(id, { subscriptions: [], messages: [], control: { ...emptyControl(), graft: [{ topic }] } })
    }
  }

  /** LEAVE(topic): PRUNE every mesh peer with the unsubscribe backoff (v1.1 "PRUNE Backoff"). */
  #leave (topic: string): void {
    const mesh = this.mesh.get(topic)
    this.mesh.delete(topic)
    for (const id of mesh ?? []) {
      this.score.prune(id, topic)
      this.#setBackoff(topic, id, this.options.unsubscribeBackoffMs)
      const peer = this.peers.get(id)
      if (peer === undefined) continue
      const prune = this.#makePrune(peer, topic, false, this.options.unsubscribeBackoffMs)
      this.#host.send(id, { subscriptions: [], messages: [], control: { ...emptyControl(), prune: [prune] } })
    }
  }

  #eligibleForMesh (topic: string, id: string, mesh: Set<string>): boolean {
    const peer = this.peers.get(id)
    if (peer === undefined || !isGossip(peer) || this.direct.has(id) || mesh.has(id) || !peer.topics.has(topic)) return false
    if (this.#inBackoff(topic, id)) return false
    return this.score.score(id) >= 0
  }

  #inBackoff (topic: string, id: string): boolean {
    const ends = this.backoff.get(topic)?.get(id)
    return ends !== undefined && this.#now() < ends
  }

  #setBackoff (topic: string, id: string, ms: number): void {
    let byPeer = this.backoff.get(topic)
    if (byPeer === undefined) { byPeer = new Map(); this.backoff.set(topic, byPeer) }
    const ends = this.#now() + ms
    if ((byPeer.get(id) ?? 0) < ends) byPeer.set(id, ends)
  }

  #makePrune (peer: RouterPeer, topic: string, px: boolean, backoffMs = this.options.pruneBackoffMs): ControlPrune {
    if (!isV11(peer)) return { topic, peers: [] }
    const prune: ControlPrune = { topic, peers: [], backoff: Math.ceil(backoffMs / 1000) }
    if (px && this.options.doPX) {
      const candidates = this.#pick(topic, C.PRUNE_PEERS, id => id !== peer.id && this.score.score(id) >= 0)
      for (const id of candidates) {
        const record = this.#host.peerRecord?.(id)
        const info: PxPeer = { peerId: this.peers.get(id)!.peerId.multihash }
        if (record !== undefined) info.signedPeerRecord = record
        prune.peers.push(info)
      }
    }
    return prune
  }

  /**
   * Up to `n` random gossipsub peers of `topic` that pass `filter`: the candidates for mesh,
   * fanout, gossip and PX, which never include a direct peer (it gets every message anyway).
   */
  #pick (topic: string, n: number, filter: (id: string) => boolean): string[] {
    if (n <= 0) return []
    const out: string[] = []
    for (const id of this.topics.get(topic) ?? []) {
      const peer = this.peers.get(id)
      if (peer !== undefined && isGossip(peer) && !this.direct.has(id) && filter(id)) out.push(id)
    }
    return this.#shuffle(out).slice(0, n)
  }

  #shuffle<T> (items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random() * (i + 1))
      const t = items[i]!; items[i] = items[j]!; items[j] = t
    }
    return items
  }

  /** One heartbeat (gossipsub-v1.0.md "Heartbeat", v1.1 additions); synchronous. */
  heartbeat (): void {
    const now = this.#now()
    const o = this.options
    this.heartbeatTicks++
    if (now - this.#lastDecay >= o.scoreParams.decayIntervalMs) { this.score.decay(); this.#lastDecay = now }
    this.#peerHave.clear()
    this.#iasked.clear()
    this.#iwantServed.clear()
    this.#applyBrokenPromises(now)
    for (const [topic, byPeer] of this.backoff) {
      for (const [id, ends] of byPeer) if (ends + o.heartbeatIntervalMs < now) byPeer.delete(id)
      if (byPeer.size === 0) this.backoff.delete(topic)
    }

    const scores = new Map<string, number>()
    const scoreOf = (id: string): number => {
      let s = scores.get(id)
      if (s === undefined) { s = this.score.score(id); scores.set(id, s) }
      return s
    }
    const outgoing = new Map<string, Outgoing>()
    const out = (id: string): Outgoing => {
      let x = outgoing.get(id)
      if (x === undefined) { x = { graft: new Set(), prune: new Map(), ihave: [] }; outgoing.set(id, x) }
      return x
    }
    const graft = (topic: string, mesh: Set<string>, id: string): void => {
      mesh.add(id)
      this.score.graft(id, topic)
      out(id).graft.add(topic)
    }
    const prune = (topic: string, mesh: Set<string>, id: string, px: boolean): void => {
      mesh.delete(id)
      this.score.prune(id, topic)
      this.#setBackoff(topic, id, o.pruneBackoffMs)
      out(id).prune.set(topic, px)
    }
    const candidates = (topic: string, mesh: Set<string>, filter: (id: string) => boolean): string[] =>
      this.#pick(topic, Infinity, id => !mesh.has(id) && this.peers.get(id)!.topics.has(topic) && !this.#inBackoff(topic, id) && filter(id))

    for (const [topic, mesh] of this.mesh) {
      // v1.1: peers with a negative score leave the mesh (without PX).
      for (const id of [...mesh]) if (scoreOf(id) < 0) prune(topic, mesh, id, false)

      if (mesh.size < o.Dlo) {
        for (const id of candidates(topic, mesh, id => scoreOf(id) >= 0).slice(0, o.D - mesh.size)) graft(topic, mesh, id)
      }

      if (mesh.size > o.Dhi) {
        // v1.1 "Mesh Maintenance": keep D_score best by score, the rest at random, to D; then at least D_out outbound.
        const byScore = this.#shuffle([...mesh]).sort((a, b) => scoreOf(b) - scoreOf(a))
        const keep = [...byScore.slice(0, o.Dscore), ...this.#shuffle(byScore.slice(o.Dscore))].slice(0, o.D)
        const rest = byScore.filter(id => !keep.includes(id))
        let outbound = keep.filter(id => this.peers.get(id)!.outbound).length
        if (outbound < o.Dout) {
          for (const id of rest) {
            if (outbound >= o.Dout) break
            if (!this.peers.get(id)!.outbound) continue
            // Replace the lowest-ranked inbound peer beyond the D_score best.
            for (let i = keep.length - 1; i >= o.Dscore; i--) {
              if (!this.peers.get(keep[i]!)!.outbound) { keep[i] = id; outbound++; break }
            }
          }
        }
        const kept = new Set(keep)
        for (const id of [...mesh]) if (!kept.has(id)) prune(topic, mesh, id, true)
      }

      if (mesh.size >= o.Dlo) {
        const outbound = [...mesh].filter(id => this.peers.get(id)!.outbound).length
        if (outbound < o.Dout) {
          const room = Math.min(o.Dout - outbound, o.Dhi - mesh.size)
          for (const id of candidates(topic, mesh, id => this.peers.get(id)!.outbound && scoreOf(id) >= 0).slice(0, room)) graft(topic, mesh, id)
        }
      }

      // v1.1 "Opportunistic Grafting": a mesh whose median score is low takes peers above the median.
      if (this.heartbeatTicks % C.OPPORTUNISTIC_GRAFT_TICKS === 0 && mesh.size > 1) {
        const sorted = [...mesh].map(scoreOf).sort((a, b) => a - b)
        const median = sorted[Math.floor(sorted.length / 2)]!
        if (median < o.scoreThresholds.opportunisticGraftThreshold) {
          const room = Math.min(C.OPPORTUNISTIC_GRAFT_PEERS, o.Dhi - mesh.size)
          for (const id of candidates(topic, mesh, id => scoreOf(id) > median).slice(0, room)) graft(topic, mesh, id)
        }
      }

      this.#emitGossip(topic, mesh, scoreOf, out)
    }

    for (const [topic, last] of this.fanoutLastPublish) {
      if (last + o.fanoutTtlMs < now) { this.fanout.delete(topic); this.fanoutLastPublish.delete(topic) }
    }
    for (const [topic, fanout] of this.fanout) {
      for (const id of [...fanout]) {
        if (!(this.peers.get(id)?.topics.has(topic) ?? false) || scoreOf(id) < o.scoreThresholds.publishThreshold) fanout.delete(id)
      }
      if (fanout.size < o.D) {
        for (const id of this.#pick(topic, o.D - fanout.size, id => !fanout.has(id) && scoreOf(id) >= o.scoreThresholds.publishThreshold)) fanout.add(id)
      }
      this.#emitGossip(topic, fanout, scoreOf, out)
    }

    for (const [id, x] of outgoing) {
      const peer = this.peers.get(id)
      if (peer === undefined) continue
      const control: ControlMessage = emptyControl()
      for (const topic of x.graft) control.graft.push({ topic })
      for (const [topic, px] of x.prune) control.prune.push(this.#makePrune(peer, topic, px))
      control.ihave = x.ihave
      this.#host.send(id, { subscriptions: [], messages: [], control })
    }

    for (const peer of this.peers.values()) {
      for (const [key, tick] of peer.dontWant) {
        if (this.heartbeatTicks - tick < C.IDONTWANT_TTL_HEARTBEATS) break
        peer.dontWant.delete(key)
      }
    }
    this.mcache.shift()
    this.seen.prune()
  }

  /** IHAVE to D_lazy (or GossipFactor of the eligible) peers outside `exclude` (v1.1 "Adaptive Gossip Dissemination"). */
  #emitGossip (topic: string, exclude: Set<string>, scoreOf: (id: string) => number, out: (id: string) => Outgoing): void {
    let ids = this.mcache.getGossipIds(topic)
    if (ids.length === 0) return
    const eligible = this.#pick(topic, Infinity, id => !exclude.has(id) && scoreOf(id) >= this.options.scoreThresholds.gossipThreshold)
    const target = Math.max(this.options.Dlazy, Math.floor(this.options.gossipFactor * eligible.length))
    if (ids.length > C.MAX_IHAVE_LENGTH) ids = this.#shuffle([...ids]).slice(0, C.MAX_IHAVE_LENGTH)
    for (const id of eligible.slice(0, target)) out(id).ihave.push({ topic, messageIds: ids })
  }

  /** v1.1: a peer that advertised a message, was asked for it and did not deliver in time is penalised. */
  #applyBrokenPromises (now: number): void {
    for (const [key, byPeer] of this.#promises) {
      for (const [id, deadline] of byPeer) {
        if (deadline > now) continue
        byPeer.delete(id)
        this.score.addPenalty(id)
      }
      if (byPeer.size === 0) this.#promises.delete(key)
    }
  }

  /** Pending IWANT promises (tests, memory checks). */
  get promiseCount (): number { return this.#promises.size }
}

function checkTopic (topic: string): void {
  if (typeof topic !== 'string' || topic.length === 0) throw new PubSubUsageError('a topic is a non-empty string')
  if (topic.length > C.MAX_TOPIC_LENGTH) throw new PubSubUsageError(`a topic is at most ${C.MAX_TOPIC_LENGTH} characters`)
}
