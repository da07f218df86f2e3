// WASM kernels against their own pure-JS fallback, same interface, same run.
// This is what `npm start` prints until the node's demo takes over; each kernel
// family adds its rows here as it lands.
import { runBench, saveReport, randomBytes } from './harness.js'
import { sha256, useBackend, init } from '../dist/crypto/index.js'

const BACKENDS = ['wasm-simd', 'wasm', 'js']

function backendCases (fn) {
  return BACKENDS.map(backend => ({ name: `wasp2p ${backend}`, setup: () => useBackend(backend), fn }))
}

export async function run (options = {}) {
  await init()
  const groups = []
  for (const size of [32, 1024, 65536]) {
    const data = randomBytes(size)
    groups.push({ name: `sha256 ${size} B`, bytes: size, baseline: 'wasp2p js', cases: backendCases(() => sha256(data)) })
  }
  const report = await runBench({ name: 'kernels', groups, rounds: options.rounds ?? 7, sampleMs: 25, warmupMs: 60 })
  useBackend('auto')
  return report
}

if (import.meta.url === `file://${globalThis.process?.argv?.[1]}`) {
  const report = await run()
  const file = await saveReport(report)
  if (file) console.log(`\nwrote ${file}`)
}
