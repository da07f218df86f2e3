// Runs one fuzz target in this thread: fast-check draws `count` inputs from
// the target's mutated seeds (mutate.js), each is parsed, and any crash,
// broken property or slow input is a failure, shrunk by fast-check to a small
// case. Also replays the kept regression vectors (fuzz/regressions/<target>/).
import fc from 'fast-check'
import { fuzzInputs } from './mutate.js'
import { FuzzFailure } from './named.js'

/**
 * Most CPU time one input may take: 5 s. Every parser here handles an input
 * of a few KiB in microseconds to a millisecond; seconds mean quadratic work.
 * CPU time, not wall time: on the shared 2-core box this runs on, at nice 19,
 * a process can wait seconds for a core (wall time is recorded too).
 */
export const PER_INPUT_LIMIT_MS = 5_000

export const toHex = bytes => Buffer.from(bytes).toString('hex')

/**
 * @param target  a fuzz target (targets/*.js)
 * @param options count, seed, onInput(input, index) before each input
 */
export async function fuzzTarget (target, { count, seed = Date.now() >>> 0, onInput, setup } = {}) {
  const { seeds, ctx } = setup ?? await target.setup()
  let index = 0
  let slowest = 0
  let slowestCpu = 0
  const started = performance.now()
  const body = async input => {
    onInput?.(input, index)
    index++
    const t = performance.now()
    const cpu = process.cpuUsage()
    await target.run(input, ctx)
    const took = performance.now() - t
    const used = process.cpuUsage(cpu)
    const cpuMs = (used.user + used.system) / 1000
    if (took > slowest) slowest = took
    if (cpuMs > slowestCpu) slowestCpu = cpuMs
    if (cpuMs > PER_INPUT_LIMIT_MS) throw new FuzzFailure(`input took ${cpuMs.toFixed(0)} ms of CPU (limit ${PER_INPUT_LIMIT_MS} ms)`)
  }
  const details = await fc.check(fc.asyncProperty(fuzzInputs(seeds), body), { numRuns: count, seed, endOnFailure: false, markInterruptAsFailure: true })
  const result = {
    target: target.name,
    covers: target.covers,
    inputs: index,
    runs: details.numRuns,
    seed,
    elapsedMs: Math.round(performance.now() - started),
    slowestInputMs: Number(slowest.toFixed(3)),
    slowestInputCpuMs: Number(slowestCpu.toFixed(3)),
    failed: details.failed
  }
  if (details.failed) {
    const input = details.counterexample?.[0]
    const err = details.errorInstance
    result.failure = {
      message: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      cause: err?.cause instanceof Error ? `${err.cause.name}: ${err.cause.message}\n${err.cause.stack}` : undefined,
      input: input !== undefined ? toHex(input) : undefined,
      path: details.counterexamplePath
    }
  }
  return result
}

/** Replays every kept vector of `target`; resolves with the failures (empty when all pass). */
export async function replayRegressions (target, vectors) {
  const { ctx } = await target.setup()
  const failures = []
  for (const { name, bytes } of vectors) {
    try { await target.run(bytes, ctx) } catch (err) { failures.push(`${name}: ${err.name}: ${err.message}`) }
  }
  return failures
}
