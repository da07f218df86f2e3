/**
 * Peer scoring (gossipsub-v1.1.md "The Score Function"):
 *
 *   score(p) = TopicCap(Σ_t w_t·(w₁P₁ + w₂P₂ + w₃P₃ + w₃ᵦP₃ᵦ + w₄P₄)) + w₅P₅ + w₆P₆ + w₇P₇
 *
 * P₁ time in mesh (capped quanta), P₂ first deliveries (capped, decaying),
 * P₃ the square of the mesh delivery deficit below a threshold once the peer
 * has been in the mesh for the activation time, P₃ᵦ the deficits accumulated
 * at prune, P₄ the square of invalid deliveries, P₅ the application's score,
 * P₆ the square of the surplus of peers sharing an IP, P₇ the square of the
 * behaviour penalty above its threshold. Counters decay multiplicatively every
 * decay interval and become 0 below `decayToZero` ("Parameter Decay").
 *
 * Delivery records tie a message id to the peers that delivered it while it
 * was being validated, so duplicates of a valid message within the
 * near-first window count for P₃ and duplicates of an invalid one count for P₄.
 */
import { MAX_SEEN_ENTRIES, SEEN_TTL_MS } from '../constants.js'
import type { PeerScoreParams, TopicScoreParams } from './params.js'

interface TopicStats {
  inMesh: boolean
  graftTime: number
  meshTime: number
  firstMessageDeliveries: number
  meshMessageDeliveries: number
  meshMessageDeliveriesActive: boolean
  meshFailurePenalty: number
  invalidMessageDeliveries: number
}

interface PeerStats {
  connected: boolean
  /** When a disconnected peer's stats are dropped. */
  expires: number
  topics: Map<string, TopicStats>
  ips: string[]
  behaviourPenalty: number
}

type DeliveryStatus = 'unknown' | 'valid' | 'invalid' | 'ignored'
interface DeliveryRecord { status: DeliveryStatus, firstSeen: number, validated: number, peers: Set<string>, expires: number }

export class PeerScore {
  readonly params: PeerScoreParams
  readonly #peers = new Map<string, PeerStats>()
  readonly #peersByIp = new Map<string, Set<string>>()
  readonly #deliveries = new Map<string, DeliveryRecord>()
  readonly #now: () => number

  constructor (params: PeerScoreParams, now: () => number = Date.now) {
    this.params = params
    this.#now = now
  }

  addPeer (peer: string): void {
    const stats = this.#peers.get(peer)
    if (stats !== undefined) { stats.connected = true; stats.expires = Infinity; return }
    this.#peers.set(peer, { connected: true, expires: Infinity, topics: new Map(), ips: [], behaviourPenalty: 0 })
  }

  /**
   * A disconnect: mesh memberships end (with their P₃ᵦ deficit); a peer with a
   * positive score is forgotten, one with a negative score is retained (spec:
   * "RetainScore") so it cannot reconnect with a clean slate.
   */
  removePeer (peer: string): void {
    const stats = this.#peers.get(peer)
    if (stats === undefined) return
    if (this.score(peer) > 0) { this.#setIps(peer, stats, []); this.#peers.delete(peer); return }
    for (const [topic, t] of stats.topics) {
      const params = this.params.topics[topic]
      if (t.inMesh && params !== undefined) this.#applyDeficit(t, params)
      t.inMesh = false
      t.firstMessageDeliveries = 0
    }
    stats.connected = false
    stats.expires = this.#now() + this.params.retainScoreMs
    this.#setIps(peer, stats, [])
  }

  setIps (peer: string, ips: string[]): void {
    const stats = this.#peers.get(peer)
    if (stats !== undefined) this.#setIps(peer, stats, ips)
  }

  #setIps (peer: string, stats: PeerStats, ips: string[]): void {
    for (const ip of stats.ips) {
      const set = this.#peersByIp.get(ip)
      set?.delete(peer)
      if (set?.size === 0) this.#peersByIp.delete(ip)
    }
    stats.ips = [...new Set(ips)]
    for (const ip of stats.ips) {
      let set = this.#peersByIp.get(ip)
      if (set === undefined) { set = new Set(); this.#peersByIp.set(ip, set) }
      set.add(peer)
    }
  }

  #topic (peer: string, topic: string): { t: TopicStats, params: TopicScoreParams } | undefined {
    const params = this.params.topics[topic]
    const stats = this.#peers.get(peer)
    if (params === undefined || stats === undefined) return undefined
    let t = stats.topics.get(topic)
    if (t === undefined) {
      t = { inMesh: false, graftTime: 0, meshTime: 0, firstMessageDeliveries: 0, meshMessageDeliveries: 0, meshMessageDeliveriesActive: false, meshFailurePenalty: 0, invalidMessageDeliveries: 0 }
      stats.topics.set(topic, t)
    }
    return { t, params }
  }

  graft (peer: string, topic: string): void {
    const x = this.#topic(peer, topic)
    if (x === undefined) return
    x.t.inMesh = true
    x.t.graftTime = this.#now()
    x.t.meshTime = 0
    x.t.meshMessageDeliveriesActive = false
  }

  prune (peer: string, topic: string): void {
    const x = this.#topic(peer, topic)
    if (x === undefined) return
    this.#applyDeficit(x.t, x.params)
    x.t.inMesh = false
  }

  /** P₃ᵦ: a peer leaving the mesh with a delivery deficit keeps its square (spec "P₃ᵦ"). */
  #applyDeficit (t: TopicStats, params: TopicScoreParams): void {
    if (t.meshMessageDeliveriesActive && t.meshMessageDeliveries < params.meshMessageDeliveriesThreshold) {
      const deficit = params.meshMessageDeliveriesThreshold - t.meshMessageDeliveries
      t.meshFailurePenalty += deficit * deficit
    }
  }

  /** P₇: protocol misbehaviour (broken IWANT promises, GRAFT in backoff, oversized RPCs, …). */
  addPenalty (peer: string, count = 1): void {
    const stats = this.#peers.get(peer)
    if (stats !== undefined) stats.behaviourPenalty += count
  }

  /** A message started validation; later copies are attached to its record. */
  validateMessage (key: string): void {
    this.#record(key)
  }

  #record (key: string): DeliveryRecord {
    let record = this.#deliveries.get(key)
    if (record === undefined) {
      const now = this.#now()
      record = { status: 'unknown', firstSeen: now, validated: 0, peers: new Set(), expires: now + SEEN_TTL_MS }
      if (this.#deliveries.size >= MAX_SEEN_ENTRIES) this.#deliveries.delete(this.#deliveries.keys().next().value as string)
      this.#deliveries.set(key, record)
    }
    return record
  }

  /** The first copy validated: P₂ (and P₃) for its deliverer, P₃ for those whose copies came while validating. */
  deliverMessage (from: string, key: string, topic: string): void {
    this.#markFirstDelivery(from, topic)
    const record = this.#record(key)
    if (record.status !== 'unknown') return
    record.status = 'valid'
    record.validated = this.#now()
    for (const peer of record.peers) if (peer !== from) this.#markDuplicate(peer, topic)
  }

  /** A message that failed validation (invalid signature or an application reject): P₄ for every deliverer. */
  rejectMessage (from: string, key: string | undefined, topic: string): void {
    this.#markInvalid(from, topic)
    if (key === undefined) return
    const record = this.#record(key)
    if (record.status !== 'unknown') return
    record.status = 'invalid'
    for (const peer of record.peers) if (peer !== from) this.#markInvalid(peer, topic)
    record.peers.clear()
  }

  /** An application ignore: no score either way. */
  ignoreMessage (key: string): void {
    const record = this.#record(key)
    if (record.status === 'unknown') { record.status = 'ignored'; record.peers.clear() }
  }

  /** A copy of a message we have seen. */
  duplicateMessage (from: string, key: string, topic: string): void {
    const record = this.#deliveries.get(key)
    if (record === undefined || record.peers.has(from)) return
    switch (record.status) {
      case 'unknown': record.peers.add(from); break
      case 'valid': {
        record.peers.add(from)
        const window = this.params.topics[topic]?.meshMessageDeliveriesWindowMs ?? 0
        if (this.#now() - record.validated <= window) this.#markDuplicate(from, topic)
        break
      }
      case 'invalid': this.#markInvalid(from, topic); break
      case 'ignored': break
    }
  }

  #markFirstDelivery (peer: string, topic: string): void {
    const x = this.#topic(peer, topic)
    if (x === undefined) return
    x.t.firstMessageDeliveries = Math.min(x.params.firstMessageDeliveriesCap, x.t.firstMessageDeliveries + 1)
    if (x.t.inMesh) x.t.meshMessageDeliveries = Math.min(x.params.meshMessageDeliveriesCap, x.t.meshMessageDeliveries + 1)
  }

  #markDuplicate (peer: string, topic: string): void {
    const x = this.#topic(peer, topic)
    if (x === undefined || !x.t.inMesh) return
    x.t.meshMessageDeliveries = Math.min(x.params.meshMessageDeliveriesCap, x.t.meshMessageDeliveries + 1)
  }

  #markInvalid (peer: string, topic: string): void {
    const x = this.#topic(peer, topic)
    if (x !== undefined) x.t.invalidMessageDeliveries += 1
  }

  /** The score of `peer` now; 0 for a peer we know nothing about. */
  score (peer: string): number {
    const stats = this.#peers.get(peer)
    if (stats === undefined) return 0
    const now = this.#now()
    const p = this.params
    let score = 0
    for (const [topic, t] of stats.topics) {
      const tp = p.topics[topic]
      if (tp === undefined) continue
      let topicScore = 0
      if (t.inMesh) {
        const meshTime = now - t.graftTime
        const p1 = Math.min(meshTime / tp.timeInMeshQuantumMs, tp.timeInMeshCap)
        topicScore += p1 * tp.timeInMeshWeight
      }
      topicScore += t.firstMessageDeliveries * tp.firstMessageDeliveriesWeight
      const active = t.meshMessageDeliveriesActive || (t.inMesh && now - t.graftTime >= tp.meshMessageDeliveriesActivationMs)
      if (t.inMesh && active && t.meshMessageDeliveries < tp.meshMessageDeliveriesThreshold) {
        const deficit = tp.meshMessageDeliveriesThreshold - t.meshMessageDeliveries
        topicScore += deficit * deficit * tp.meshMessageDeliveriesWeight
      }
      topicScore += t.meshFailurePenalty * tp.meshFailurePenaltyWeight
      topicScore += t.invalidMessageDeliveries * t.invalidMessageDeliveries * tp.invalidMessageDeliveriesWeight
      score += topicScore * tp.topicWeight
    }
    if (p.topicScoreCap > 0 && score > p.topicScoreCap) score = p.topicScoreCap
    score += p.appSpecificScore(peer) * p.appSpecificWeight
    for (const ip of stats.ips) {
      if (p.ipColocationFactorWhitelist.has(ip)) continue
      const surplus = (this.#peersByIp.get(ip)?.size ?? 0) - p.ipColocationFactorThreshold
      if (surplus > 0) score += surplus * surplus * p.ipColocationFactorWeight
    }
    if (stats.behaviourPenalty > p.behaviourPenaltyThreshold) {
      const excess = stats.behaviourPenalty - p.behaviourPenaltyThreshold
      score += excess * excess * p.behaviourPenaltyWeight
    }
    return score
  }

  /** One decay interval: decays every counter, activates P₃ where due, forgets expired peers and records. */
  decay (): void {
    const now = this.#now()
    const p = this.params
    const toZero = (x: number, factor: number): number => { const y = x * factor; return y < p.decayToZero ? 0 : y }
    for (const [peer, stats] of this.#peers) {
      if (!stats.connected && stats.expires <= now) { this.#peers.delete(peer); continue }
      for (const [topic, t] of stats.topics) {
        const tp = p.topics[topic]
        if (tp === undefined) continue
        t.firstMessageDeliveries = toZero(t.firstMessageDeliveries, tp.firstMessageDeliveriesDecay)
        t.meshMessageDeliveries = toZero(t.meshMessageDeliveries, tp.meshMessageDeliveriesDecay)
        t.meshFailurePenalty = toZero(t.meshFailurePenalty, tp.meshFailurePenaltyDecay)
        t.invalidMessageDeliveries = toZero(t.invalidMessageDeliveries, tp.invalidMessageDeliveriesDecay)
        if (t.inMesh) {
          t.meshTime = now - t.graftTime
          if (t.meshTime >= tp.meshMessageDeliveriesActivationMs) t.meshMessageDeliveriesActive = true
        }
      }
      stats.behaviourPenalty = toZero(stats.behaviourPenalty, p.behaviourPenaltyDecay)
    }
    for (const [key, record] of this.#deliveries) {
      if (record.expires > now) break
      this.#deliveries.delete(key)
    }
  }

  /** Peers with stats (connected or retained); for tests and memory checks. */
  get size (): number { return this.#peers.size }
}
