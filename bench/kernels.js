// WASM kernels against their own pure-JS fallback, same interface, same run.
// This is what `npm start` prints until the node's demo takes over; each kernel
// family adds its rows here as it lands.
import { runBench, saveReport, randomBytes } from './harness.js'
import { sha256, hmacSha256, hkdfSha256, chacha20poly1305, useBackend, init } from '../dist/crypto/index.js'

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
  const key = randomBytes(32)
  const message = randomBytes(64)
  groups.push({ name: 'hmacSha256 64 B', bytes: 64, baseline: 'wasp2p js', cases: backendCases(() => hmacSha256(key, message)) })
  const noInfo = new Uint8Array(0)
  groups.push({ name: 'hkdfSha256 Noise shape → 64 B', baseline: 'wasp2p js', cases: backendCases(() => hkdfSha256(message.subarray(0, 32), key, noInfo, 64)) })
  const nonce = randomBytes(12)
  for (const size of [32, 1024, 65519]) {
    const data = randomBytes(size)
    const ciphers = {}
    const cases = BACKENDS.map(backend => ({
      name: `wasp2p ${backend}`,
      setup: () => { useBackend(backend); ciphers[backend] ??= chacha20poly1305(key) },
      fn: () => ciphers[backend].encrypt(nonce, data)
    }))
    groups.push({ name: `chacha20poly1305 seal ${size} B`, bytes: size, baseline: 'wasp2p js', cases })
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
