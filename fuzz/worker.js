// One fuzz target in a worker thread (run.js starts it): publishes each input
// and its index to shared memory before parsing it, so the main thread can
// name the input of a hang it kills; measures the heap after a full GC
// before and after the run.
import { parentPort, workerData } from 'node:worker_threads'
import v8 from 'node:v8'
import vm from 'node:vm'
import { targetNamed } from './targets/index.js'
import { fuzzTarget } from './engine.js'

const { name, count, seed, progress, inputBuffer } = workerData
const counter = new Int32Array(progress)
const inputLength = new Int32Array(inputBuffer, 0, 1)
const inputBytes = new Uint8Array(inputBuffer, 4)
const target = targetNamed(name)

// Workers take no --expose-gc; the flag set at run time exposes gc() to a fresh context.
v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc')
const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed }
const setup = await target.setup()
// One untimed pass over the seeds warms the code paths and any lazily built state.
for (const s of setup.seeds) { try { await target.run(s, setup.ctx) } catch {} }
const heapBefore = heap()
const report = Math.max(1, Math.floor(count / 20))
const result = await fuzzTarget(target, {
  count,
  seed,
  setup,
  onInput (input, index) {
    const n = Math.min(input.length, inputBytes.length)
    inputBytes.set(input.subarray(0, n))
    Atomics.store(inputLength, 0, n)
    Atomics.store(counter, 0, index + 1)
    if ((index + 1) % report === 0) parentPort.postMessage({ type: 'progress', done: index + 1 })
  }
})
const heapAfter = heap()
parentPort.postMessage({ type: 'result', result: { ...result, heapBeforeBytes: heapBefore, heapAfterBytes: heapAfter } })
