// A short pass of every fuzz target (fuzz/targets/: one per parser that takes
// network bytes), in this process: a few thousand mutated valid encodings and
// random inputs each, with a fixed seed so a failure replays; plus every kept
// regression vector. `npm run fuzz -- --count 1000000` is the long run
// (bench/results/fuzz.json); this is the same code on a short budget.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { TARGETS } from '../../fuzz/targets/index.js'
import { fuzzTarget, replayRegressions } from '../../fuzz/engine.js'
import { loadVectors } from '../../fuzz/regressions.js'
import { FuzzFailure, expectNamed } from '../../fuzz/named.js'

/** Inputs per target: enough to reach every seed and edit kind many times, small enough for `npm test`. */
const INPUTS = 3000
const SEED = 0x5eed

test('the crash rule: built-in errors are crashes, named errors are clean rejections', () => {
  class ParseError extends Error { name = 'ParseError' }
  assert.not.throws(() => expectNamed(new ParseError('bad input')))
  for (const err of [new TypeError('x'), new RangeError('x'), new Error('x'), 'a string']) {
    assert.throws(() => expectNamed(err), e => e instanceof FuzzFailure)
  }
})

for (const target of TARGETS) {
  test(`fuzz ${target.name}: ${INPUTS} inputs and the kept vectors, no crash or broken property`, async () => {
    const failures = await replayRegressions(target, await loadVectors(target.name))
    assert.equal(failures, [], 'regression vectors')
    const result = await fuzzTarget(target, { count: INPUTS, seed: SEED })
    assert.ok(!result.failed, `${result.failure?.message} on input ${result.failure?.input}\n${result.failure?.cause ?? ''}`)
    assert.is(result.runs, INPUTS)
    assert.ok(result.inputs >= INPUTS, `${result.inputs} inputs ran`)
  })
}

test.run()
