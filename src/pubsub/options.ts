/**
 * Router options, each defaulting to the named constant of ./constants.ts
 * (the spec's value) and checked against the spec's constraints once, here.
 */
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '../peer-id/index.js'
import type { PeerId } from '../peer-id/types.js'
import * as C from './constants.js'
import { PubSubUsageError } from './errors.js'
import { msgIdFromData, msgIdFromOrigin, msgIdLax, type MessageIdFn } from './message-id.js'
import { scoreParams, scoreThresholds, type PeerScoreParams, type PeerScoreParamsInit, type PeerScoreThresholds } from './score/params.js'
import { SIGNATURE_POLICIES, type SignaturePolicy } from './signing.js'

/** A direct peer (v1.1 "Explicit Peering Agreements"): its id and where to dial it (js-libp2p's `{ id, addrs }`). */
export interface DirectPeer {
  id: PeerId | string
  addrs?: Array<Multiaddr | string>
}

export interface ResolvedDirectPeer { id: string, peerId: PeerId, addrs: Multiaddr[] }

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
  /**
   * Default 'StrictSign'. 'LaxSign' and 'LaxNoSign' are the spec's legacy policies (accept
   * unsigned messages, verify signed ones); choosing one logs a deprecation warning.
   */
  signaturePolicy?: SignaturePolicy
  /** Default: msgIdFromOrigin under StrictSign, msgIdFromData (SHA-256) under StrictNoSign, msgIdLax under the Lax policies. */
  msgIdFn?: MessageIdFn
  scoreParams?: PeerScoreParamsInit
  scoreThresholds?: Partial<PeerScoreThresholds>
  /** Deliver our own published messages to our own `message` listeners; default false. */
  emitSelf?: boolean
  /** Protocols to speak, best first; default PUBSUB_PROTOCOLS (meshsub 1.2, 1.1, 1.0, floodsub). */
  protocols?: string[]
  /**
   * Direct peers (v1.1 "Explicit Peering Agreements", reciprocal and agreed out of band): kept
   * connected (dialed at start and redialed every `directConnectTicks` heartbeats), sent every
   * message of their topics, never in a mesh (their GRAFTs are answered with a PRUNE), and their
   * RPCs are accepted whatever their score.
   */
  directPeers?: DirectPeer[]
  /** Default DIRECT_CONNECT_TICKS (300 heartbeats). */
  directConnectTicks?: number
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
  directPeers: ResolvedDirectPeer[]
  directConnectTicks: number
}

export function resolveOptions (o: GossipsubOptions = {}): ResolvedOptions {
  const signaturePolicy = o.signaturePolicy ?? 'StrictSign'
  if (!SIGNATURE_POLICIES.includes(signaturePolicy)) throw new PubSubUsageError(`unknown signature policy ${String(signaturePolicy)}`)
  // pubsub README "Signature Policy Options": Lax use "should be discouraged through deprecation warnings".
  if (signaturePolicy === 'LaxSign' || signaturePolicy === 'LaxNoSign') warnLax(signaturePolicy)
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
    msgIdFn: o.msgIdFn ?? defaultMsgIdFn(signaturePolicy),
    scoreParams: scoreParams(o.scoreParams),
    scoreThresholds: scoreThresholds(o.scoreThresholds),
    emitSelf: o.emitSelf ?? false,
    protocols: o.protocols ?? [...C.PUBSUB_PROTOCOLS],
    directPeers: (o.directPeers ?? []).map(resolveDirectPeer),
    directConnectTicks: o.directConnectTicks ?? C.DIRECT_CONNECT_TICKS
  }
  // gossipsub-v1.0.md "Parameters" and v1.1 "Overview of New Parameters".
  if (!(r.Dlo <= r.D && r.D <= r.Dhi)) throw new PubSubUsageError('need D_lo ≤ D ≤ D_hi')
  if (!(r.Dout < r.Dlo && r.Dout <= r.D / 2)) throw new PubSubUsageError('need D_out < D_lo and D_out ≤ D/2')
  if (!(r.Dscore <= r.D)) throw new PubSubUsageError('need D_score ≤ D')
  if (!(r.mcacheGossip <= r.mcacheLength)) throw new PubSubUsageError('need mcache_gossip ≤ mcache_len')
  if (!(r.heartbeatIntervalMs > 0)) throw new PubSubUsageError('heartbeatIntervalMs must be > 0')
  if (!(r.gossipFactor >= 0 && r.gossipFactor <= 1)) throw new PubSubUsageError('gossipFactor must be in [0, 1]')
  if (!(Number.isInteger(r.directConnectTicks) && r.directConnectTicks > 0)) throw new PubSubUsageError('directConnectTicks must be a positive integer')
  return r
}

function defaultMsgIdFn (policy: SignaturePolicy): MessageIdFn {
  if (policy === 'StrictSign') return msgIdFromOrigin
  if (policy === 'StrictNoSign') return msgIdFromData
  return msgIdLax
}

const warned = new Set<string>()
/** Once per policy and process: a node per test must not flood the console. */
function warnLax (policy: SignaturePolicy): void {
  if (warned.has(policy)) return
  warned.add(policy)
  console.warn(`wasp2p pubsub: signature policy ${policy} is deprecated (pubsub spec: non-deterministic, insecure); use StrictSign or StrictNoSign`)
}

function resolveDirectPeer (p: DirectPeer): ResolvedDirectPeer {
  let peerId: PeerId
  try { peerId = typeof p.id === 'string' ? peerIdFromString(p.id) : p.id } catch (err) { throw new PubSubUsageError(`direct peer id ${String(p.id)}: ${(err as Error).message}`) }
  return { id: peerId.toString(), peerId, addrs: (p.addrs ?? []).map(a => typeof a === 'string' ? multiaddr(a) : a) }
}
