// Peer scoring arithmetic against cases worked by hand from gossipsub-v1.1.md "The Score Function"
// and "Parameter Decay" (every expected value below is computed in the comment beside it).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { PeerScore, scoreParams, scoreThresholds, InvalidScoreParamsError } from '../../dist/pubsub/index.js'

const T = 'topic'
function setup (init = {}) {
  let now = 0
  const params = scoreParams({
    ipColocationFactorWeight: 0,
    ...init,
    topics: { [T]: { topicWeight: 0.5, timeInMeshWeight: 1, timeInMeshQuantumMs: 1000, timeInMeshCap: 3600, firstMessageDeliveriesWeight: 1, firstMessageDeliveriesDecay: 0.5, firstMessageDeliveriesCap: 2000, meshMessageDeliveriesWeight: -1, meshMessageDeliveriesDecay: 0.5, meshMessageDeliveriesThreshold: 20, meshMessageDeliveriesCap: 100, meshMessageDeliveriesActivationMs: 5000, meshMessageDeliveriesWindowMs: 10, meshFailurePenaltyWeight: -1, meshFailurePenaltyDecay: 0.5, invalidMessageDeliveriesWeight: -1, invalidMessageDeliveriesDecay: 0.3, ...init.topic } }
  })
  const score = new PeerScore(params, () => now)
  return { score, advance: ms => { now += ms } }
}
const close = (actual, expected) => assert.ok(Math.abs(actual - expected) < 1e-9, `expected ${expected}, got ${actual}`)

test('P1: 10 s in the mesh at 1 point per second, topic weight 0.5 → 5 (P3 off)', () => {
  const { score, advance } = setup({ topic: { meshMessageDeliveriesWeight: 0 } })
  score.addPeer('a'); score.graft('a', T); advance(10_000)
  close(score.score('a'), 5) // 0.5 · (1 · 10)
})

test('P1 + P2 + P3: 6 s in mesh, 4 first deliveries, threshold 20 → 0.5·(6 + 4 − 16²) = −123', () => {
  const { score, advance } = setup()
  score.addPeer('a'); score.graft('a', T)
  for (let i = 0; i < 4; i++) { score.validateMessage(`m${i}`); score.deliverMessage('a', `m${i}`, T) }
  advance(6000)
  close(score.score('a'), -123)
})

test('P3 applies only after the activation time: at 4 s, 0.5·(4 + 4) = 4', () => {
  const { score, advance } = setup()
  score.addPeer('a'); score.graft('a', T)
  for (let i = 0; i < 4; i++) { score.validateMessage(`m${i}`); score.deliverMessage('a', `m${i}`, T) }
  advance(4000)
  close(score.score('a'), 4)
})

test('P3b: pruned with a deficit of 16 → 0.5·(4 − 256) = −126; one decay → 0.5·(2 − 128) = −63', () => {
  const { score, advance } = setup()
  score.addPeer('a'); score.graft('a', T)
  for (let i = 0; i < 4; i++) { score.validateMessage(`m${i}`); score.deliverMessage('a', `m${i}`, T) }
  advance(6000)
  score.decay() // activates P3 (mesh time ≥ 5 s); P2: 4 → 2, P3 counter: 4 → 2
  close(score.score('a'), 0.5 * (6 + 2 - 18 * 18)) // −158
  score.prune('a', T)
  close(score.score('a'), 0.5 * (2 - 18 * 18)) // P3b = 18² = 324 → −161
  score.decay()
  close(score.score('a'), 0.5 * (1 - 162)) // P2 1, P3b 162 → −80.5
})

test('P4: 3 invalid messages → 0.5·(−1·3²) = −4.5; decays by 0.3', () => {
  const { score } = setup()
  score.addPeer('a')
  for (let i = 0; i < 3; i++) { score.validateMessage(`x${i}`); score.rejectMessage('a', `x${i}`, T) }
  close(score.score('a'), -4.5)
  score.decay()
  close(score.score('a'), 0.5 * -(0.9 * 0.9)) // 3 · 0.3 = 0.9
})

test('P4 for a duplicate of an invalid message; P3 for a near-first duplicate of a valid one', () => {
  const { score, advance } = setup()
  for (const p of ['a', 'b', 'c']) { score.addPeer(p); score.graft(p, T) }
  score.validateMessage('bad')
  score.duplicateMessage('b', 'bad', T) // arrives while validating
  score.rejectMessage('a', 'bad', T)
  score.duplicateMessage('c', 'bad', T) // arrives after the verdict
  close(score.score('b'), -0.5)
  close(score.score('c'), -0.5)
  score.validateMessage('good')
  score.deliverMessage('a', 'good', T)
  advance(5) // within the 10 ms window
  score.duplicateMessage('b', 'good', T)
  advance(100)
  score.duplicateMessage('c', 'good', T) // too late: not counted
  advance(4895) // 5 s in the mesh: P3 active; deficits a: 19, b: 19, c: 20
  close(score.score('a'), 0.5 * (5 + 1 - 19 * 19 - 1)) // P1 5, P2 1, P3 −361, P4 −1
  close(score.score('b'), 0.5 * (5 - 19 * 19 - 1))
  close(score.score('c'), 0.5 * (5 - 20 * 20 - 1))
})

test('topic score cap: a large positive topic score is capped at topicScoreCap (10); P5 is not', () => {
  const { score, advance } = setup({ appSpecificScore: () => 2, appSpecificWeight: 10 })
  score.addPeer('a'); score.graft('a', T)
  for (let i = 0; i < 20; i++) { score.validateMessage(`m${i}`); score.deliverMessage('a', `m${i}`, T) }
  advance(100_000) // P1 100, P3 counter 20 (no deficit)
  close(score.score('a'), 10 + 20)
})

test('P6: 12 peers on one IP, threshold 10, weight −5 → −5·2² = −20 each; whitelisted IPs are exempt', () => {
  const { score } = setup({ ipColocationFactorWeight: -5, ipColocationFactorThreshold: 10, ipColocationFactorWhitelist: new Set(['10.0.0.9']) })
  for (let i = 0; i < 12; i++) { score.addPeer(`p${i}`); score.setIps(`p${i}`, ['10.0.0.1']) }
  close(score.score('p0'), -20)
  score.setIps('p11', ['10.0.0.9'])
  close(score.score('p0'), -5) // 11 left: surplus 1
  close(score.score('p11'), 0)
})

test('P7: penalty 3, weight −10 → −90; decay 0.2 → −3.6, −0.144, then 0 below decayToZero', () => {
  const { score } = setup()
  score.addPeer('a')
  score.addPenalty('a', 3)
  close(score.score('a'), -90)
  score.decay(); close(score.score('a'), -10 * 0.6 * 0.6)
  score.decay(); close(score.score('a'), -10 * 0.12 * 0.12)
  score.decay(); close(score.score('a'), 0)
})

test('a disconnected peer with a negative score is retained for retainScore; a positive one is forgotten', () => {
  const { score, advance } = setup({ retainScoreMs: 10_000 })
  score.addPeer('bad'); score.addPenalty('bad', 1)
  score.addPeer('good'); score.graft('good', T); advance(2000)
  score.removePeer('bad'); score.removePeer('good')
  assert.is(score.size, 1)
  score.addPeer('bad')
  assert.ok(score.score('bad') < 0, 'reconnecting does not launder the score')
  score.removePeer('bad')
  advance(10_001)
  score.decay()
  assert.is(score.size, 0)
})

test('thresholds and parameters are checked against the spec constraints', () => {
  assert.throws(() => scoreThresholds({ gossipThreshold: 1 }), e => e instanceof InvalidScoreParamsError)
  assert.throws(() => scoreThresholds({ publishThreshold: -5 }), e => e.name === 'InvalidScoreParamsError')
  assert.throws(() => scoreThresholds({ graylistThreshold: -10 }), e => e instanceof InvalidScoreParamsError)
  assert.throws(() => scoreThresholds({ acceptPXThreshold: -1 }), e => e instanceof InvalidScoreParamsError)
  assert.throws(() => scoreParams({ behaviourPenaltyWeight: 1 }), e => e instanceof InvalidScoreParamsError)
  assert.throws(() => scoreParams({ topics: { t: { meshMessageDeliveriesCap: 1, meshMessageDeliveriesThreshold: 5 } } }), e => e instanceof InvalidScoreParamsError)
  assert.ok(scoreThresholds().graylistThreshold < scoreThresholds().publishThreshold)
})

test.run()
