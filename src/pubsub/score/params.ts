/**
 * Peer-score parameters and thresholds (gossipsub-v1.1.md "Peer Scoring",
 * "Score Thresholds", "Topic Parameter Calculation"). The spec fixes their
 * meaning and constraints but, being application-specific, not their values:
 * the defaults below are the ones js-libp2p and go-libp2p deployments start
 * from, so a mixed network penalises alike. A topic without TopicScoreParams
 * contributes nothing (P1–P4 = 0).
 */
import { InvalidScoreParamsError } from '../errors.js'

export interface TopicScoreParams {
  /** Weight of this topic's score in the total. */
  topicWeight: number
  /** P1, time in mesh: weight (small positive), quantum (ms per point), cap (points). */
  timeInMeshWeight: number
  timeInMeshQuantumMs: number
  timeInMeshCap: number
  /** P2, first message deliveries: weight (positive), decay factor, cap. */
  firstMessageDeliveriesWeight: number
  firstMessageDeliveriesDecay: number
  firstMessageDeliveriesCap: number
  /** P3, mesh message delivery rate: weight (negative), decay, threshold, cap, activation (ms), near-first window (ms). */
  meshMessageDeliveriesWeight: number
  meshMessageDeliveriesDecay: number
  meshMessageDeliveriesThreshold: number
  meshMessageDeliveriesCap: number
  meshMessageDeliveriesActivationMs: number
  meshMessageDeliveriesWindowMs: number
  /** P3b, mesh delivery failures: weight (negative), decay. */
  meshFailurePenaltyWeight: number
  meshFailurePenaltyDecay: number
  /** P4, invalid messages: weight (negative), decay. */
  invalidMessageDeliveriesWeight: number
  invalidMessageDeliveriesDecay: number
}

export interface PeerScoreParams {
  /** Per-topic parameters; topics absent here score 0. */
  topics: Record<string, TopicScoreParams>
  /** Cap on the sum of the topic scores (positive part only); 0: no cap. */
  topicScoreCap: number
  /** P5, the application's own score of a peer, and its weight. */
  appSpecificScore: (peer: string) => number
  appSpecificWeight: number
  /** P6, IP colocation: weight (negative), peers per IP tolerated, IPs never penalised. */
  ipColocationFactorWeight: number
  ipColocationFactorThreshold: number
  ipColocationFactorWhitelist: Set<string>
  /** P7, behaviour penalty: weight (negative), threshold, decay. */
  behaviourPenaltyWeight: number
  behaviourPenaltyThreshold: number
  behaviourPenaltyDecay: number
  /** Decay runs this often (ms); counters below decayToZero become 0. */
  decayIntervalMs: number
  decayToZero: number
  /** How long a disconnected peer's score is remembered (ms), so reconnecting does not launder it. */
  retainScoreMs: number
}

export interface PeerScoreThresholds {
  /** Below: no gossip to or from the peer (must be < 0). */
  gossipThreshold: number
  /** Below: our own messages are not sent to the peer (≤ gossipThreshold). */
  publishThreshold: number
  /** Below: every RPC from the peer is ignored (< publishThreshold). */
  graylistThreshold: number
  /** At or above: the peer's PRUNE peer exchange is followed (≥ 0). */
  acceptPXThreshold: number
  /** A mesh whose median score is below this gets opportunistic grafts (≥ 0). */
  opportunisticGraftThreshold: number
}

export const DEFAULT_SCORE_THRESHOLDS: Readonly<PeerScoreThresholds> = Object.freeze({
  gossipThreshold: -10,
  publishThreshold: -50,
  graylistThreshold: -80,
  acceptPXThreshold: 10,
  opportunisticGraftThreshold: 20
})

export const DEFAULT_TOPIC_SCORE_PARAMS: Readonly<TopicScoreParams> = Object.freeze({
  topicWeight: 0.5,
  timeInMeshWeight: 1,
  timeInMeshQuantumMs: 1000,
  timeInMeshCap: 3600,
  firstMessageDeliveriesWeight: 1,
  firstMessageDeliveriesDecay: 0.5,
  firstMessageDeliveriesCap: 2000,
  meshMessageDeliveriesWeight: -1,
  meshMessageDeliveriesDecay: 0.5,
  meshMessageDeliveriesThreshold: 20,
  meshMessageDeliveriesCap: 100,
  meshMessageDeliveriesActivationMs: 5000,
  meshMessageDeliveriesWindowMs: 10,
  meshFailurePenaltyWeight: -1,
  meshFailurePenaltyDecay: 0.5,
  invalidMessageDeliveriesWeight: -1,
  invalidMessageDeliveriesDecay: 0.3
})

export function defaultScoreParams (): PeerScoreParams {
  return {
    topics: {},
    topicScoreCap: 10,
    appSpecificScore: () => 0,
    appSpecificWeight: 10,
    ipColocationFactorWeight: -5,
    ipColocationFactorThreshold: 10,
    ipColocationFactorWhitelist: new Set(),
    behaviourPenaltyWeight: -10,
    behaviourPenaltyThreshold: 0,
    behaviourPenaltyDecay: 0.2,
    decayIntervalMs: 1000,
    decayToZero: 0.1,
    retainScoreMs: 3600_000
  }
}

export type PeerScoreParamsInit = Partial<Omit<PeerScoreParams, 'topics'>> & { topics?: Record<string, Partial<TopicScoreParams>> }

/** Full parameters from partial ones (missing fields take the defaults), checked against the spec's constraints. */
export function scoreParams (init: PeerScoreParamsInit = {}): PeerScoreParams {
  const topics: Record<string, TopicScoreParams> = {}
  for (const [topic, p] of Object.entries(init.topics ?? {})) topics[topic] = { ...DEFAULT_TOPIC_SCORE_PARAMS, ...p }
  const params = { ...defaultScoreParams(), ...init, topics }
  validateScoreParams(params)
  return params
}

export function scoreThresholds (init: Partial<PeerScoreThresholds> = {}): PeerScoreThresholds {
  const t = { ...DEFAULT_SCORE_THRESHOLDS, ...init }
  validateScoreThresholds(t)
  return t
}

const fail = (message: string): never => { throw new InvalidScoreParamsError(message) }
const isDecay = (x: number): boolean => x > 0 && x < 1

export function validateScoreParams (p: PeerScoreParams): void {
  if (p.topicScoreCap < 0) fail('topicScoreCap must be ≥ 0')
  if (p.ipColocationFactorWeight > 0) fail('ipColocationFactorWeight must be ≤ 0')
  if (p.ipColocationFactorWeight !== 0 && p.ipColocationFactorThreshold < 1) fail('ipColocationFactorThreshold must be ≥ 1')
  if (p.behaviourPenaltyWeight > 0) fail('behaviourPenaltyWeight must be ≤ 0')
  if (p.behaviourPenaltyWeight !== 0 && !isDecay(p.behaviourPenaltyDecay)) fail('behaviourPenaltyDecay must be in (0, 1)')
  if (!(p.decayIntervalMs >= 1)) fail('decayIntervalMs must be ≥ 1')
  if (!isDecay(p.decayToZero)) fail('decayToZero must be in (0, 1)')
  for (const [topic, t] of Object.entries(p.topics)) {
    const where = `topic ${topic}: `
    if (t.topicWeight < 0) fail(where + 'topicWeight must be ≥ 0')
    if (t.timeInMeshWeight < 0) fail(where + 'timeInMeshWeight must be ≥ 0')
    if (t.timeInMeshWeight !== 0 && !(t.timeInMeshQuantumMs > 0)) fail(where + 'timeInMeshQuantumMs must be > 0')
    if (t.firstMessageDeliveriesWeight < 0) fail(where + 'firstMessageDeliveriesWeight must be ≥ 0')
    if (t.firstMessageDeliveriesWeight !== 0 && !isDecay(t.firstMessageDeliveriesDecay)) fail(where + 'firstMessageDeliveriesDecay must be in (0, 1)')
    if (t.meshMessageDeliveriesWeight > 0) fail(where + 'meshMessageDeliveriesWeight must be ≤ 0')
    if (t.meshMessageDeliveriesWeight !== 0) {
      if (!isDecay(t.meshMessageDeliveriesDecay)) fail(where + 'meshMessageDeliveriesDecay must be in (0, 1)')
      if (!(t.meshMessageDeliveriesThreshold > 0)) fail(where + 'meshMessageDeliveriesThreshold must be > 0')
      if (t.meshMessageDeliveriesCap < t.meshMessageDeliveriesThreshold) fail(where + 'meshMessageDeliveriesCap must be ≥ the threshold')
    }
    if (t.meshFailurePenaltyWeight > 0) fail(where + 'meshFailurePenaltyWeight must be ≤ 0')
    if (t.meshFailurePenaltyWeight !== 0 && !isDecay(t.meshFailurePenaltyDecay)) fail(where + 'meshFailurePenaltyDecay must be in (0, 1)')
    if (t.invalidMessageDeliveriesWeight > 0) fail(where + 'invalidMessageDeliveriesWeight must be ≤ 0')
    if (t.invalidMessageDeliveriesWeight !== 0 && !isDecay(t.invalidMessageDeliveriesDecay)) fail(where + 'invalidMessageDeliveriesDecay must be in (0, 1)')
  }
}

export function validateScoreThresholds (t: PeerScoreThresholds): void {
  if (t.gossipThreshold >= 0) fail('gossipThreshold must be < 0')
  if (t.publishThreshold > t.gossipThreshold) fail('publishThreshold must be ≤ gossipThreshold')
  if (t.graylistThreshold >= t.publishThreshold) fail('graylistThreshold must be < publishThreshold')
  if (t.acceptPXThreshold < 0) fail('acceptPXThreshold must be ≥ 0')
  if (t.opportunisticGraftThreshold < 0) fail('opportunisticGraftThreshold must be ≥ 0')
}
