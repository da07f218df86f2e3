#!/usr/bin/env node
// `npm run fuzz [-- --count N] [--seed S] [--record] [target ...]`: runs each
// fuzz target (fuzz/targets/) for N inputs (default 10,000) in its own worker
// thread, replays the kept regression vectors first, and reports per target:
// inputs, time, slowest input, heap growth. A failure is a crash (anything
// but a named error), a broken property, an input over PER_INPUT_LIMIT_MS, a
// hang (no progress for HANG_TIMEOUT_MS: the worker is killed and the input
// named), or heap growth over MAX_HEAP_GROWTH_BYTES; failing inputs are kept
// as regression vectors. `--record` writes bench/results/fuzz.json (or
// `--out FILE`) after every target, and on SIGINT/SIGTERM with the target in
// progress marked interrupted, so a long run stopped early still says how far
// each parser got.
import { Worker } from 'node:worker_threads'
import { writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import os from 'node:os'
import { TARGETS, targetNamed } from './targets/index.js'
import { PER_INPUT_LIMIT_MS, replayRegressions, toHex } from './engine.js'
import { loadVectors, saveVector } from './regressions.js'

/** No new input for this long is a hang: 30 s, far above PER_INPUT_LIMIT_MS, so only a stuck parser trips it. */
export const HANG_TIMEOUT_MS = 30_000
/**
 * Heap growth allowed over a whole run, measured after full GCs: 64 MiB. A
 * parser that keeps anything per input (a cache without a bound, a listener
 * never removed) grows by its size times a million; this bound catches that.
 */
export const MAX_HEAP_GROWTH_BYTES = 64 * 1024 * 1024
/** Old-space limit of a fuzz worker: 1 GiB; past it the worker dies, which is reported as unbounded memory. */
export const WORKER_HEAP_LIMIT_MB = 1024
const INPUT_SHARE_BYTES = 1 << 20

function parseArgs (argv) {
  const options = { count: 10_000, seed: (Date.now() >>> 0), record: false, out: undefined, names: [] }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--count') options.count = Number(argv[++i])
    else if (a.startsWith('--count=')) options.count = Number(a.slice(8))
    else if (a === '--seed') options.seed = Number(argv[++i])
    else if (a === '--record') options.record = true
    else if (a === '--out') { options.out = argv[++i]; options.record = true }
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`)
    else options.names.push(a)
  }
  if (!Number.isSafeInteger(options.count) || options.count < 1) throw new Error('--count must be a positive integer')
  return options
}

function runWorker (name, count, seed) {
  const progress = new SharedArrayBuffer(4)
  const inputBuffer = new SharedArrayBuffer(4 + INPUT_SHARE_BYTES)
  const counter = new Int32Array(progress)
  const worker = new Worker(new URL('./worker.js', import.meta.url), {
    workerData: { name, count, seed, progress, inputBuffer },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_LIMIT_MB }
  })
  const lastInput = () => {
    const n = new Int32Array(inputBuffer, 0, 1)[0]
    return toHex(new Uint8Array(inputBuffer, 4, n))
  }
  return new Promise(resolve => {
    let last = -1
    let lastChange = Date.now()
    let settled = false
    const finish = value => { if (!settled) { settled = true; clearInterval(watchdog); resolve(value) } }
    const watchdog = setInterval(() => {
      const now = Atomics.load(counter, 0)
      if (now !== last) { last = now; lastChange = Date.now(); return }
      if (Date.now() - lastChange > HANG_TIMEOUT_MS) {
        const input = lastInput()
        void worker.terminate()
        finish({ target: name, failed: true, inputs: now, failure: { message: `hang: no progress for ${HANG_TIMEOUT_MS} ms`, input } })
      }
    }, 1000)
    current = { name, inputs: () => Atomics.load(counter, 0) }
    worker.on('message', m => {
      if (m.type === 'progress') process.stdout.write(`  ${name}: ${m.done}/${count}\n`)
      else if (m.type === 'result') finish(m.result)
    })
    worker.on('error', err => {
      const memory = err?.code === 'ERR_WORKER_OUT_OF_MEMORY'
      finish({ target: name, failed: true, inputs: Atomics.load(counter, 0), failure: { message: memory ? `unbounded memory: the worker passed ${WORKER_HEAP_LIMIT_MB} MiB` : `worker crashed: ${err?.stack ?? err}`, input: lastInput() } })
    })
    worker.on('exit', code => finish({ target: name, failed: true, inputs: Atomics.load(counter, 0), failure: { message: `worker exited (${code}) without a result`, input: lastInput() } }))
  })
}

let current
const options = parseArgs(process.argv.slice(2))
const outFile = options.out ?? fileURLToPath(new URL('../bench/results/fuzz.json', import.meta.url))

async function record (partial) {
  if (!options.record) return
  const report = {
    name: 'fuzz', date: new Date().toISOString(), node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length,
    engine: 'fast-check property runs over mutated valid encodings (fuzz/mutate.js); @jazzer.js/core needs a native libFuzzer addon (see README, "Fuzzing")',
    countPerTarget: options.count, seed: options.seed, perInputLimitMs: PER_INPUT_LIMIT_MS, hangTimeoutMs: HANG_TIMEOUT_MS, maxHeapGrowthBytes: MAX_HEAP_GROWTH_BYTES,
    results: partial !== undefined ? [...results, partial] : results
  }
  await writeFile(outFile, JSON.stringify(report, null, 2) + '\n')
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    const partial = current !== undefined ? { target: current.name, interrupted: true, failed: false, inputs: current.inputs() } : undefined
    record(partial).finally(() => process.exit(130))
  })
}
const targets = options.names.length > 0 ? options.names.map(targetNamed) : TARGETS
const results = []
let failed = false
console.log(`fuzzing ${targets.length} targets, ${options.count} inputs each, seed ${options.seed}`)
for (const target of targets) {
  const vectors = await loadVectors(target.name)
  const regressions = await replayRegressions(target, vectors)
  const result = await runWorker(target.name, options.count, options.seed)
  result.regressionVectors = vectors.length
  if (regressions.length > 0) { result.failed = true; result.regressionFailures = regressions }
  if (result.heapAfterBytes !== undefined) {
    result.heapGrowthBytes = result.heapAfterBytes - result.heapBeforeBytes
    if (result.heapGrowthBytes > MAX_HEAP_GROWTH_BYTES) {
      result.failed = true
      result.failure ??= { message: `heap grew by ${result.heapGrowthBytes} bytes over the run (limit ${MAX_HEAP_GROWTH_BYTES})` }
    }
  }
  if (result.failure?.input !== undefined) result.failure.keptAs = await saveVector(target.name, result.failure.input)
  failed ||= result.failed
  results.push(result)
  current = undefined
  await record()
  const rate = result.elapsedMs > 0 ? Math.round(result.inputs / (result.elapsedMs / 1000)) : 0
  console.log(`${result.failed ? 'FAIL' : 'ok  '} ${target.name.padEnd(16)} ${String(result.inputs).padStart(9)} inputs  ${((result.elapsedMs ?? 0) / 1000).toFixed(1).padStart(7)} s  ${String(rate).padStart(7)}/s  slowest ${result.slowestInputMs ?? "?"} ms (cpu ${result.slowestInputCpuMs ?? "?"} ms)  heap ${result.heapGrowthBytes !== undefined ? `${(result.heapGrowthBytes / 1048576).toFixed(1)} MiB` : '?'}  ${vectors.length} vectors`)
  if (result.failed) console.log(`     ${result.failure?.message ?? ''}${result.regressionFailures ? `\n     regressions: ${result.regressionFailures.join('; ')}` : ''}${result.failure?.keptAs ? `\n     kept as ${result.failure.keptAs}` : ''}${result.failure?.cause ? `\n     ${result.failure.cause}` : ''}`)
}
if (options.record) console.log(`wrote ${outFile}`)
process.exit(failed ? 1 : 0)
