// SHA-256, batches, HMAC and HKDF: wasp2p's three backends against node:crypto
// (native, SHA-NI where the CPU has it), hash-wasm (C → WASM), ChainSafe's
// as-sha256 (AssemblyScript → WASM, what js-libp2p's Noise uses) and
// @noble/hashes (pure JS, also wasp2p's JS fallback). Node only (node:crypto).
//
//   node bench/crypto-sha256.js [--json]     (after npm run build)
import { createHash, createHmac, hkdfSync } from 'node:crypto'
import { createSHA256, sha256 as hashWasmSha256 } from 'hash-wasm'
import { digest as asDigest, digest64 as asDigest64 } from '@chainsafe/as-sha256'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import { hmac as nobleHmac } from '@noble/hashes/hmac.js'
import { hkdf as nobleHkdf } from '@noble/hashes/hkdf.js'
import { runBench, saveReport, randomBytes } from './harness.js'
import { sha256, sha256Many, hmacSha256, hkdfSha256, useBackend, init } from '../dist/crypto/index.js'

const BACKENDS = ['wasm-simd', 'wasm', 'js']
const SIZES = [32, 1024, 16384, 65536]
/** Keys per sha256Many batch: a routing-table refresh's worth of 32-byte Kademlia keys. */
const BATCH = 1024
/** Calls per timed operation in the 32-byte group, to keep the harness's own per-call cost out of the figure. */
const SMALL_CALLS = 64

function ours (fn) {
  return BACKENDS.map(backend => ({ name: `wasp2p ${backend}`, setup: () => useBackend(backend), fn }))
}

export async function run (options = {}) {
  await init()
  const hashWasm = await createSHA256()
  const groups = []
  for (const size of SIZES) {
    const data = randomBytes(size)
    groups.push({
      name: `sha256 ${size} B`,
      bytes: size,
      baseline: 'wasp2p js',
      cases: [
        ...ours(() => sha256(data)),
        { name: 'node:crypto', fn: () => createHash('sha256').update(data).digest() },
        { name: 'hash-wasm', fn: () => { hashWasm.init(); hashWasm.update(data); return hashWasm.digest('binary') } },
        { name: 'hash-wasm sha256() (async, hex)', fn: () => hashWasmSha256(data) },
        { name: '@chainsafe/as-sha256', fn: () => asDigest(data) },
        { name: '@noble/hashes', fn: () => nobleSha256(data) }
      ]
    })
  }

  // The harness awaits every call, which costs about as much as a 32-byte hash:
  // this group makes SMALL_CALLS calls per timed operation to see past it.
  const small = randomBytes(32)
  const repeat = fn => () => { for (let i = 0; i < SMALL_CALLS; i++) fn() }
  groups.push({
    name: `sha256 32 B, ${SMALL_CALLS} calls per op`,
    bytes: 32 * SMALL_CALLS,
    baseline: 'wasp2p js',
    cases: [
      ...ours(repeat(() => sha256(small))),
      { name: 'node:crypto', fn: repeat(() => createHash('sha256').update(small).digest()) },
      { name: 'hash-wasm', fn: repeat(() => { hashWasm.init(); hashWasm.update(small); return hashWasm.digest('binary') }) },
      { name: '@chainsafe/as-sha256', fn: repeat(() => asDigest(small)) },
      { name: '@noble/hashes', fn: repeat(() => nobleSha256(small)) }
    ]
  })

  for (const length of [32, 64]) {
    const keys = randomBytes(length * BATCH)
    const one = i => keys.subarray(i * length, (i + 1) * length)
    const cases = [
      ...ours(() => sha256Many(keys, length)),
      { name: 'wasp2p wasm-simd, one sha256() per key', setup: () => useBackend('wasm-simd'), fn: () => { for (let i = 0; i < BATCH; i++) sha256(one(i)) } },
      { name: 'node:crypto per key', fn: () => { for (let i = 0; i < BATCH; i++) createHash('sha256').update(one(i)).digest() } },
      { name: 'hash-wasm per key', fn: () => { for (let i = 0; i < BATCH; i++) { hashWasm.init(); hashWasm.update(one(i)); hashWasm.digest('binary') } } },
      { name: '@chainsafe/as-sha256 per key', fn: () => { for (let i = 0; i < BATCH; i++) asDigest(one(i)) } }
    ]
    if (length === 64) cases.push({ name: '@chainsafe/as-sha256 digest64 per key', fn: () => { for (let i = 0; i < BATCH; i++) asDigest64(one(i)) } })
    groups.push({ name: `sha256Many ${BATCH} × ${length} B`, bytes: length * BATCH, baseline: 'wasp2p js', cases })
  }

  const key = randomBytes(32)
  const message = randomBytes(64)
  groups.push({
    name: 'hmacSha256 32 B key, 64 B data',
    baseline: 'wasp2p js',
    cases: [
      ...ours(() => hmacSha256(key, message)),
      { name: 'node:crypto', fn: () => createHmac('sha256', key).update(message).digest() },
      { name: '@noble/hashes', fn: () => nobleHmac(nobleSha256, key, message) }
    ]
  })
  // Noise's HKDF shape (noise spec §4.3): chaining key as salt, a DH output as IKM, no info, two or three outputs.
  const empty = new Uint8Array(0)
  for (const length of [64, 96]) {
    groups.push({
      name: `hkdfSha256 Noise shape (32 B salt, 32 B ikm, no info) → ${length} B`,
      baseline: 'wasp2p js',
      cases: [
        ...ours(() => hkdfSha256(message.subarray(0, 32), key, empty, length)),
        { name: 'node:crypto hkdfSync', fn: () => hkdfSync('sha256', message.subarray(0, 32), key, empty, length) },
        { name: '@noble/hashes', fn: () => nobleHkdf(nobleSha256, message.subarray(0, 32), key, empty, length) }
      ]
    })
  }

  const report = await runBench({ name: 'crypto-sha256', groups, rounds: options.rounds ?? 9, sampleMs: options.sampleMs ?? 40, warmupMs: 150 })
  useBackend('auto')
  report.targets = targets(report)
  for (const line of report.targets) console.log(line)
  return report
}

/** The SHA-256 targets, read off this run. */
function targets (report) {
  const ns = (group, name) => report.results.find(r => r.group === group)?.rows.find(r => r.name === name)?.nsPerOp
  const big = 'sha256 65536 B'
  const smallGroup = `sha256 32 B, ${SMALL_CALLS} calls per op`
  const ratio = (a, b) => (ns(big, b) / ns(big, a)).toFixed(2)
  return [
    '',
    'targets (this run):',
    `  64 KiB: wasm-simd / hash-wasm = ${ratio('wasp2p wasm-simd', 'hash-wasm')}× (target ≥ 1.1), wasm scalar / hash-wasm = ${ratio('wasp2p wasm', 'hash-wasm')}×`,
    `  64 KiB: wasm-simd / as-sha256 = ${ratio('wasp2p wasm-simd', '@chainsafe/as-sha256')}× (target ≥ 2.5)`,
    `  64 KiB: wasm-simd / js fallback = ${ratio('wasp2p wasm-simd', 'wasp2p js')}× (target ≥ 4), wasm scalar / js = ${ratio('wasp2p wasm', 'wasp2p js')}×`,
    `  32 B: wasm-simd ${ns('sha256 32 B', 'wasp2p wasm-simd').toFixed(0)} ns/op, wasm ${ns('sha256 32 B', 'wasp2p wasm').toFixed(0)} ns/op as timed by the harness (one await per call);`,
    `        ${(ns(smallGroup, 'wasp2p wasm-simd') / SMALL_CALLS).toFixed(0)} and ${(ns(smallGroup, 'wasp2p wasm') / SMALL_CALLS).toFixed(0)} ns per hash in loops of ${SMALL_CALLS} (target ≤ 300)`
  ]
}

if (import.meta.url === `file://${globalThis.process?.argv?.[1]}`) {
  const report = await run()
  const file = await saveReport(report)
  if (file) console.log(`\nwrote ${file}`)
}
