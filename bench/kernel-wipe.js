// The cost of wiping secrets from the WASM kernels' memory after each call
// (key and DATA of ChaCha20-Poly1305, input, output and intermediate state of
// HMAC / HKDF): this tree's kernels against a build from before the wipe,
// given by WASP2P_BASELINE_DIST (a dist/ directory, e.g. /work/main/dist from
// an older commit), in the same run, interleaved; and @chainsafe's
// as-chacha20poly1305 / as-sha256 (what js-libp2p's Noise runs) for scale.
// Without a baseline only this tree and @chainsafe run.
import { pathToFileURL } from 'node:url'
import { runBench, saveReport, randomBytes } from './harness.js'
import * as current from '../dist/crypto/index.js'
import { newInstance, ChaCha20Poly1305 as AsChaCha } from '@chainsafe/as-chacha20poly1305'

const baselineDir = globalThis.process?.env?.WASP2P_BASELINE_DIST
const baseline = baselineDir !== undefined ? await import(pathToFileURL(`${baselineDir}/crypto/index.js`).href) : undefined

export async function run (options = {}) {
  await current.init()
  await baseline?.init()
  const builds = [['wasp2p (wipes)', current], ...(baseline !== undefined ? [['wasp2p before wipe', baseline]] : [])]
  const key = randomBytes(32)
  const nonce = randomBytes(12)
  const aad = randomBytes(32)
  const as = new AsChaCha(newInstance())
  const groups = []
  for (const size of [32, 1024, 65519]) {
    const data = randomBytes(size)
    const sealed = current.chacha20poly1305(key).encrypt(nonce, data, aad)
    for (const [op, fn] of [['seal', (c) => c.encrypt(nonce, data, aad)], ['open', (c) => c.decrypt(nonce, sealed, aad)]]) {
      const cases = builds.map(([name, lib]) => {
        let cipher
        return { name, setup: () => { lib.useBackend('wasm-simd'); cipher ??= lib.chacha20poly1305(key) }, fn: () => fn(cipher) }
      })
      cases.push({ name: '@chainsafe/as-chacha20poly1305', fn: op === 'seal' ? () => as.seal(key, nonce, data, aad) : () => as.open(key, nonce, sealed, aad) })
      groups.push({ name: `chacha20poly1305 ${op} ${size} B`, bytes: size, baseline: builds.at(-1)[0], cases })
    }
  }
  const message = randomBytes(64)
  groups.push({
    name: 'hmacSha256 64 B', bytes: 64, baseline: builds.at(-1)[0],
    cases: builds.map(([name, lib]) => ({ name, setup: () => lib.useBackend('wasm-simd'), fn: () => lib.hmacSha256(key, message) }))
  })
  groups.push({
    name: 'hkdfSha256 Noise shape → 64 B', baseline: builds.at(-1)[0],
    cases: builds.map(([name, lib]) => ({ name, setup: () => lib.useBackend('wasm-simd'), fn: () => lib.hkdfSha256(message.subarray(0, 32), key, new Uint8Array(0), 64) }))
  })
  // The added work alone, on the kernel's own memory: reload the key, zero KEY, zero DATA (what
  // each seal/open now does beyond the old path), so the cost is visible apart from the noise.
  const { chacha20poly1305Kernel } = await import('../dist/crypto/_chacha20poly1305-wasm.js')
  current.useBackend('wasm-simd')
  const k = chacha20poly1305Kernel.get()
  const KEY = k.exports.KEY.value
  const DATA = k.exports.DATA.value
  for (const size of [48, 1040, 65535]) {
    groups.push({
      name: `the wipe alone: key reload + KEY + DATA[${size}]`,
      cases: [{ name: 'wasp2p wipe', fn: () => { k.bytes.set(key, KEY); k.bytes.fill(0, KEY, KEY + 32); k.bytes.fill(0, DATA, DATA + size) } }]
    })
  }
  const report = await runBench({ name: 'kernel-wipe', groups, rounds: options.rounds ?? 11 })
  current.useBackend('auto')
  baseline?.useBackend('auto')
  return report
}

if (import.meta.url === `file://${globalThis.process?.argv?.[1]}`) {
  const report = await run()
  const file = await saveReport(report)
  if (file) console.log(`\nwrote ${file}`)
}
