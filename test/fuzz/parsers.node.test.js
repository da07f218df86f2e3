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
import { FuzzFailure, expectNamed, parseOrNamed } from '../../fuzz/named.js'

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

test('the engine finds a planted crash and shrinks it to a small input', async () => {
  // A parser with a bug: it indexes past the end when the input starts with 0x7f and is short.
  const planted = {
    name: 'planted',
    async setup () { return { seeds: [Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8)], ctx: {} } },
    run (input) {
      parseOrNamed(() => {
        if (input[0] === 0x7f && input.length < 4) throw new TypeError('cannot read past the end')
        // A named rejection is not a crash.
        if (input[0] === 0x7e) throw Object.assign(new Error('named'), { name: 'PlantedParseError' })
      }, 'planted parser')
    }
  }
  const result = await fuzzTarget(planted, { count: 20_000, seed: SEED })
  assert.ok(result.failed, 'the crash was found')
  assert.match(result.failure.message, /planted parser threw TypeError: cannot read past the end/)
  assert.ok(result.failure.input.startsWith('7f') && result.failure.input.length <= 6, `shrunk to ${result.failure.input}`)
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
