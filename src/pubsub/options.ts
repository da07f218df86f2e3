/**
 * Router options, each defaulting to the named constant of ./constants.ts
 * (the spec's value) and checked against the spec's constraints once, here.
 */
import * as C from './constants.js'
import { PubSubUsageError } from './errors.js'
import { msgIdFromData, msgIdFromOrigin, type MessageIdFn } from './message-id.js'
import { scoreParams, scoreThresholds, type PeerScoreParams, type PeerScoreParamsInit, type PeerScoreThresholds } from './score/params.js'
import type { SignaturePolicy } from './signing.js'

export interface GossipsubOptions {
  D?: number
  Dlo?: number
  Dhi?: number
  Dlazy?: number
  Dscore?: number
  Dout?: number
  heartbeatIntervalMs?: number
  fanoutTtlMs?: number
  mcacheLength?: number
  mcacheGossip?: number
  seenTtlMs?: number
  pruneBackoffMs?: number
  unsubscribeBackoffMs?: number
  graftFloodThresholdMs?: number
  /** Default FLOOD_PUBLISH (true). */
  floodPublish?: boolean
  /** Offer peers in the PRUNEs we send (v1.1 "Peer Exchange"); default false, as in go- and js-libp2p (for bootstrappers). */
  doPX?: boolean
  gossipFactor?: number
  /** Default 'StrictSign'. */
  signaturePolicy?: SignaturePolicy
  /** Default: msgIdFromOrigin under StrictSign, msgIdFromData (SHA-256) under StrictNoSign. */
  msgIdFn?: MessageIdFn
  scoreParams?: PeerScoreParamsInit
  scoreThresholds?: Partial<PeerScoreThresholds>
  /** Deliver our own published messages to our own `message` listeners; default false. */
  emitSelf?: boolean
  /** Protocols to speak, best first; default PUBSUB_PROTOCOLS (meshsub 1.2, 1.1, 1.0, floodsub). */
  protocols?: string[]
}

export interface ResolvedOptions {
  D: number
  Dlo: number
  Dhi: number
  Dlazy: number
  Dscore: number
  Dout: number
  heartbeatIntervalMs: number
  fanoutTtlMs: number
  mcacheLength: number
  mcacheGossip: number
  seenTtlMs: number
  pruneBackoffMs: number
  unsubscribeBackoffMs: number
  graftFloodThresholdMs: number
  floodPublish: boolean
  doPX: boolean
  gossipFactor: number
  signaturePolicy: SignaturePolicy
  msgIdFn: MessageIdFn
  scoreParams: PeerScoreParams
  scoreThresholds: PeerScoreThresholds
  emitSelf: boolean
  protocols: string[]
}

export function resolveOptions (o: GossipsubOptions = {}): ResolvedOptions {
  const signaturePolicy = o.signaturePolicy ?? 'StrictSign'
  if (signaturePolicy !== 'StrictSign' && signaturePolicy !== 'StrictNoSign') throw new PubSubUsageError(`unknown signature policy ${String(signaturePolicy)}`)
  const r: ResolvedOptions = {
    D: o.D ?? C.D,
    Dlo: o.Dlo ?? C.D_LO,
    Dhi: o.Dhi ?? C.D_HI,
    Dlazy: o.Dlazy ?? C.D_LAZY,
    Dscore: o.Dscore ?? C.D_SCORE,
    Dout: o.Dout ?? C.D_OUT,
    heartbeatIntervalMs: o.heartbeatIntervalMs ?? C.HEARTBEAT_INTERVAL_MS,
    fanoutTtlMs: o.fanoutTtlMs ?? C.FANOUT_TTL_MS,
    mcacheLength: o.mcacheLength ?? C.MCACHE_LENGTH,
    mcacheGossip: o.mcacheGossip ?? C.MCACHE_GOSSIP,
    seenTtlMs: o.seenTtlMs ?? C.SEEN_TTL_MS,
    pruneBackoffMs: o.pruneBackoffMs ?? C.PRUNE_BACKOFF_MS,
    unsubscribeBackoffMs: o.unsubscribeBackoffMs ?? C.UNSUBSCRIBE_BACKOFF_MS,
    graftFloodThresholdMs: o.graftFloodThresholdMs ?? C.GRAFT_FLOOD_THRESHOLD_MS,
    floodPublish: o.floodPublish ?? C.FLOOD_PUBLISH,
    doPX: o.doPX ?? false,
    gossipFactor: o.gossipFactor ?? C.GOSSIP_FACTOR,
    signaturePolicy,
    msgIdFn: o.msgIdFn ?? (signaturePolicy === 'StrictSign' ? msgIdFromOrigin : msgIdFromData),
    scoreParams: scoreParams(o.scoreParams),
    scoreThresholds: scoreThresholds(o.scoreThresholds),
    emitSelf: o.emitSelf ?? false,
    protocols: o.protocols ?? [...C.PUBSUB_PROTOCOLS]
  }
  // gossipsub-v1.0.md "Parameters" and v1.1 "Overview of New Parameters".
  if (!(r.Dlo <= r.D && r.D <= r.Dhi)) throw new PubSubUsageError('need D_lo ≤ D ≤ D_hi')
  if (!(r.Dout < r.Dlo && r.Dout <= r.D / 2)) throw new PubSubUsageError('need D_out < D_lo and D_out ≤ D/2')
  if (!(r.Dscore <= r.D)) throw new PubSubUsageError('need D_score ≤ D')
  if (!(r.mcacheGossip <= r.mcacheLength)) throw new PubSubUsageError('need mcache_gossip ≤ mcache_len')
  if (!(r.heartbeatIntervalMs > 0)) throw new PubSubUsageError('heartbeatIntervalMs must be > 0')
  if (!(r.gossipFactor >= 0 && r.gossipFactor <= 1)) throw new PubSubUsageError('gossipFactor must be in [0, 1]')
  return r
}
