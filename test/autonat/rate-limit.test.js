// The AutoNAT server's admission (src/autonat/rate-limit.ts): per-peer and global
// counts per window, and the cap on dial-backs in progress.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Admission, autonatV2 } from '../../dist/autonat/index.js'

test('per peer: the count per window, other peers unaffected', () => {
  const a = new Admission({ maxRequestsPerPeer: 2, maxRequestsPerWindow: 100, maxConcurrentDialBacks: 100, rateWindowMs: 60_000 })
  assert.is(a.admit('p'), undefined); a.release()
  assert.is(a.admit('p'), undefined); a.release()
  assert.match(a.admit('p'), /more than 2 requests from p/)
  assert.is(a.admit('q'), undefined)
})

test('global: the count per window over all peers', () => {
  const a = new Admission({ maxRequestsPerPeer: 100, maxRequestsPerWindow: 3, maxConcurrentDialBacks: 100, rateWindowMs: 60_000 })
  for (const p of ['a', 'b', 'c']) { assert.is(a.admit(p), undefined); a.release() }
  assert.match(a.admit('d'), /more than 3 requests in/)
})

test('concurrent dial-backs: refused while the slots are held, admitted after a release', () => {
  const a = new Admission({ maxConcurrentDialBacks: 2 })
  assert.is(a.admit('a'), undefined)
  assert.is(a.admit('b'), undefined)
  assert.match(a.admit('c'), /2 dial-backs already in progress/)
  assert.is(a.active, 2)
  a.release()
  assert.is(a.admit('c'), undefined)
})

test('a new window starts the counts again', async () => {
  const a = new Admission({ maxRequestsPerPeer: 1, rateWindowMs: 30 })
  assert.is(a.admit('p'), undefined); a.release()
  assert.ok(a.admit('p') !== undefined)
  await new Promise(resolve => setTimeout(resolve, 60))
  assert.is(a.admit('p'), undefined)
})

test('autonatV2 checks its options at the edge: RangeError', () => {
  for (const bad of [{ confirmations: 0 }, { confirmations: 1.5 }, { maxInFlight: -1 }, { dialDataBytes: [10, 5] }]) {
    assert.throws(() => autonatV2(bad), RangeError, JSON.stringify(bad))
  }
  assert.is(autonatV2({ confirmations: 1 }).needs[0], 'identify')
})

test.run()
