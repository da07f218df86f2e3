// encryptInto / decryptParts / decryptInPlace (the Noise data path) give
// exactly what encrypt / decrypt give, on every backend, for messages split
// anywhere; a tampered message throws and leaves the pieces untouched.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { chacha20poly1305, DecryptionError, useBackend, init, activeBackend } from '../../dist/crypto/index.js'

const BACKENDS = ['wasm-simd', 'wasm', 'js']
const LENGTHS = [0, 1, 63, 64, 65, 1000, 65519, 65536 + 17]

/** Deterministic bytes (no node:crypto: this file also runs in browsers). */
function bytes (n, seed) {
  const out = new Uint8Array(n)
  let x = seed >>> 0 || 1
  for (let i = 0; i < n; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; out[i] = x & 0xff }
  return out
}

/** `message` cut into pieces at the given offsets, each piece a copy in its own buffer. */
function split (message, cuts) {
  const parts = []
  let start = 0
  for (const cut of [...cuts, message.length]) {
    const at = Math.min(Math.max(cut, start), message.length)
    parts.push(message.slice(start, at))
    start = at
  }
  return parts
}

const joined = parts => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.length }
  return out
}

test.after(() => { useBackend('auto') })

/** Browsers compile WASM asynchronously: init() after choosing the backend (a no-op once compiled). */
async function on (backend) { useBackend(backend); await init(); assert.is(activeBackend(), backend) }

for (const backend of BACKENDS) {
  test(`${backend}: encryptInto writes encrypt's output at the offset and nothing else`, async () => {
    await on(backend)
    const cipher = chacha20poly1305(bytes(32, 1))
    const nonce = bytes(12, 2)
    for (const n of LENGTHS) {
      const plaintext = bytes(n, n + 3)
      const out = new Uint8Array(n + 16 + 7).fill(0xee)
      const written = cipher.encryptInto(nonce, plaintext, out, 5)
      assert.is(written, n + 16)
      assert.equal(out.subarray(5, 5 + n + 16), cipher.encrypt(nonce, plaintext), `length ${n}`)
      assert.ok(out.subarray(0, 5).every(b => b === 0xee) && out.subarray(5 + n + 16).every(b => b === 0xee), 'bytes outside untouched')
    }
    assert.throws(() => cipher.encryptInto(nonce, bytes(10, 9), new Uint8Array(25), 0), RangeError)
  })

  test(`${backend}: decryptParts and decryptInPlace open a message split anywhere`, async () => {
    await on(backend)
    const cipher = chacha20poly1305(bytes(32, 4))
    const nonce = bytes(12, 5)
    for (const n of LENGTHS) {
      const plaintext = bytes(n, n + 6)
      const sealed = cipher.encrypt(nonce, plaintext)
      const cutSets = [[], [1], [n >> 1], [n, n + 1], [3, n >> 2, n - 1, n + 15]]
      for (const cuts of cutSets) {
        assert.equal(cipher.decryptParts(nonce, split(sealed, cuts)), plaintext, `decryptParts ${n} ${cuts}`)
        const parts = split(sealed, cuts)
        cipher.decryptInPlace(nonce, parts)
        assert.equal(joined(parts).subarray(0, n), plaintext, `decryptInPlace ${n} ${cuts}`)
        assert.equal(joined(parts).subarray(n), sealed.subarray(n), 'the tag bytes stay as they were')
      }
    }
  })

  test(`${backend}: a tampered message throws DecryptionError and leaves the pieces untouched`, async () => {
    await on(backend)
    const cipher = chacha20poly1305(bytes(32, 7))
    const nonce = bytes(12, 8)
    const sealed = cipher.encrypt(nonce, bytes(5000, 9))
    for (const flip of [0, 2500, 4999, 5000, 5015]) {
      const bad = sealed.slice()
      bad[flip] ^= 1
      const parts = split(bad, [1000, 4000])
      const before = joined(parts)
      assert.throws(() => cipher.decryptInPlace(nonce, parts), err => err instanceof DecryptionError)
      assert.equal(joined(parts), before)
      assert.throws(() => cipher.decryptParts(nonce, split(bad, [7])), err => err instanceof DecryptionError)
    }
    assert.throws(() => cipher.decryptInPlace(nonce, [new Uint8Array(15)]), err => err instanceof DecryptionError)
  })
}

test.run()
