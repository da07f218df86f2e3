// ChaCha20-Poly1305 seal and open: wasp2p (wasm-simd, wasm scalar, js fallback)
// against node:crypto (OpenSSL), @chainsafe/as-chacha20poly1305 (what
// @chainsafe/libp2p-noise runs) and @noble/ciphers, at the sizes the Noise
// channel sees: 32 B (acks, pings), 1 KiB, 16 KiB and 65519 B (the largest
// plaintext in one Noise message). Every case returns the same bytes
// (checked before timing).
import { runBench, saveReport, randomBytes } from './harness.js'
import { chacha20poly1305, useBackend, init } from '../dist/crypto/index.js'
import { chacha20poly1305 as noble } from '@noble/ciphers/chacha.js'
import { newInstance, ChaCha20Poly1305 as AsChaCha } from '@chainsafe/as-chacha20poly1305'

const SIZES = [32, 1024, 16384, 65519]

/** `--sizes=32,65519` runs a subset (Node); the default is every size above. */
function sizesFromArgs () {
  const arg = globalThis.process?.argv?.find(a => a.startsWith('--sizes='))
  return arg === undefined ? SIZES : arg.slice('--sizes='.length).split(',').map(Number)
}
const BACKENDS = ['wasm-simd', 'wasm', 'js']
const AAD_LENGTH = 32 // Noise handshake messages carry the 32-byte handshake hash; transport messages none

async function nodeCrypto () {
  if (globalThis.process?.versions?.node === undefined) return undefined
  const { createCipheriv, createDecipheriv } = await import('node:crypto')
  return {
    seal (key, nonce, plaintext, aad) {
      const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
      c.setAAD(aad, { plaintextLength: plaintext.length })
      const head = c.update(plaintext)
      c.final()
      const out = new Uint8Array(plaintext.length + 16)
      out.set(head); out.set(c.getAuthTag(), plaintext.length)
      return out
    },
    open (key, nonce, sealed, aad) {
      const length = sealed.length - 16
      const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
      d.setAAD(aad, { plaintextLength: length })
      d.setAuthTag(sealed.subarray(length))
      const out = d.update(sealed.subarray(0, length))
      d.final()
      return out
    }
  }
}

const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i])

export async function run (options = {}) {
  await init()
  const node = await nodeCrypto()
  const as = new AsChaCha(newInstance())
  const key = randomBytes(32)
  const nonce = randomBytes(12)
  const aad = randomBytes(AAD_LENGTH)
  const groups = []
  for (const op of ['seal', 'open']) {
    for (const size of options.sizes ?? sizesFromArgs()) {
      const plaintext = randomBytes(size)
      const ciphers = {}
      const sealed = noble(key, nonce, aad).encrypt(plaintext)
      const input = op === 'seal' ? plaintext : sealed
      const expected = op === 'seal' ? sealed : plaintext
      const cases = BACKENDS.map(backend => ({
        name: `wasp2p ${backend}`,
        setup: () => { useBackend(backend); ciphers[backend] ??= chacha20poly1305(key) },
        fn: op === 'seal' ? () => ciphers[backend].encrypt(nonce, input, aad) : () => ciphers[backend].decrypt(nonce, input, aad)
      }))
      if (node) cases.push({ name: 'node:crypto', fn: () => node[op](key, nonce, input, aad) })
      cases.push({ name: 'as-chacha20poly1305', fn: op === 'seal' ? () => as.seal(key, nonce, input, aad) : () => as.open(key, nonce, input, aad) })
      cases.push({ name: '@noble/ciphers', fn: op === 'seal' ? () => noble(key, nonce, aad).encrypt(input) : () => noble(key, nonce, aad).decrypt(input) })
      for (const c of cases) {
        await c.setup?.()
        if (!equal(c.fn(), expected)) throw new Error(`${c.name} ${op} ${size} B gives different bytes`)
      }
      groups.push({ name: `chacha20poly1305 ${op} ${size} B`, bytes: size, baseline: node ? 'node:crypto' : 'as-chacha20poly1305', cases })
    }
  }
  const report = await runBench({ name: 'crypto-chacha', groups, rounds: options.rounds ?? 9, sampleMs: options.sampleMs ?? 30, warmupMs: options.warmupMs ?? 300 })
  useBackend('auto')
  report.summary = summarize(report)
  for (const line of report.summary) console.log(line)
  return report
}

/** The ratios the targets are stated in, from the same run. */
function summarize (report) {
  const lines = ['\nratios (median ns/op, same run):']
  for (const g of report.results) {
    const ns = name => g.rows.find(r => r.name === name)?.nsPerOp
    const simd = ns('wasp2p wasm-simd')
    const parts = [
      `vs as-chacha ${(ns('as-chacha20poly1305') / simd).toFixed(2)}×`,
      ns('node:crypto') ? `vs node:crypto ${(ns('node:crypto') / simd).toFixed(2)}×` : undefined,
      `vs wasp2p js ${(ns('wasp2p js') / simd).toFixed(2)}×`,
      `scalar vs js ${(ns('wasp2p js') / ns('wasp2p wasm')).toFixed(2)}×`,
      `${simd.toFixed(0)} ns/op`
    ].filter(Boolean)
    lines.push(`  ${g.group.padEnd(32)} wasm-simd: ${parts.join(', ')}`)
  }
  return lines
}

if (import.meta.url === `file://${globalThis.process?.argv?.[1]}`) {
  const report = await run()
  const file = await saveReport(report)
  if (file) console.log(`\nwrote ${file}`)
}
