// ChaCha20-Poly1305 on every backend against node:crypto (OpenSSL) on random
// inputs: every length 0..1100, the lengths around the SIMD pass (256 B), the
// block (64 B), 4 KiB, Noise's largest message and past the kernel's regions
// (the JS fallback inside the WASM path). Also: forgeries are rejected without
// plaintext, and dispose() zeroes the key in the kernel.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createCipheriv, randomBytes, randomInt } from 'node:crypto'
import { chacha20poly1305, DecryptionError, useBackend } from '../../dist/crypto/index.js'
import { chacha20poly1305Kernel } from '../../dist/crypto/_chacha20poly1305-wasm.js'
import { activeChacha20Poly1305 } from '../../dist/crypto/backends.js'
import { chacha20poly1305Js } from '../../dist/crypto/_chacha20poly1305-js.js'

const BACKENDS = ['wasm-simd', 'wasm', 'js']

function reference (key, nonce, plaintext, aad) {
  const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
  c.setAAD(aad, { plaintextLength: plaintext.length })
  return Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()])
}

const around = (...centres) => centres.flatMap(c => [c - 17, c - 16, c - 15, c - 1, c, c + 1, c + 15, c + 16, c + 17]).filter(n => n >= 0)
const LENGTHS = [
  ...Array.from({ length: 1101 }, (_, i) => i),
  ...around(2048, 4096, 8192, 65519, 65535),
  65536, 100000
]
/** Copies that are plain Uint8Arrays (Buffer#slice aliases). */
const copy = b => new Uint8Array(b)
const isA = Class => err => err instanceof Class && err.name === Class.name
const same = (a, b) => Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0

function kernelRegion (name, length) {
  const k = chacha20poly1305Kernel.get()
  const at = k.exports[name].value
  return k.bytes.subarray(at, at + length)
}

for (const backend of BACKENDS) {
  test(`[${backend}] seal and open match node:crypto on ${LENGTHS.length} lengths`, () => {
    useBackend(backend)
    assert.is(chacha20poly1305Kernel.backend(), backend)
    let checked = 0
    for (const length of LENGTHS) {
      const key = randomBytes(32)
      const nonce = randomBytes(12)
      // Mostly short AADs (Noise uses 0 or 32 bytes); now and then past the kernel's AAD region.
      const aadLength = length % 97 === 0 ? 4096 + randomInt(2) : randomInt(0, 70)
      const aad = randomBytes(aadLength)
      const plaintext = randomBytes(length)
      const expected = reference(key, nonce, plaintext, aad)
      const cipher = chacha20poly1305(key)
      const sealed = cipher.encrypt(nonce, plaintext, aad)
      assert.ok(same(sealed, expected), `seal differs at length ${length}, aad ${aadLength}`)
      const opened = cipher.decrypt(nonce, expected, aad)
      assert.ok(same(opened, plaintext), `open differs at length ${length}, aad ${aadLength}`)
      cipher.dispose()
      checked++
    }
    assert.is(checked, LENGTHS.length)
  })

  test(`[${backend}] tampered tag, ciphertext, AAD or nonce → DecryptionError, input untouched`, () => {
    useBackend(backend)
    for (const length of [0, 1, 63, 64, 255, 256, 1000, 65519]) {
      const key = randomBytes(32)
      const nonce = randomBytes(12)
      const aad = randomBytes(32)
      const cipher = chacha20poly1305(key)
      const sealed = cipher.encrypt(nonce, randomBytes(length), aad)
      const forgeries = []
      const tag = copy(sealed); tag[length + randomInt(16)] ^= 1 << randomInt(8); forgeries.push(['tag', tag, aad, nonce])
      if (length > 0) { const ct = copy(sealed); ct[randomInt(length)] ^= 1 << randomInt(8); forgeries.push(['ciphertext', ct, aad, nonce]) }
      const badAad = copy(aad); badAad[randomInt(32)] ^= 1 << randomInt(8); forgeries.push(['aad', sealed, badAad, nonce])
      const badNonce = copy(nonce); badNonce[randomInt(12)] ^= 1 << randomInt(8); forgeries.push(['nonce', sealed, aad, badNonce])
      forgeries.push(['truncated', sealed.subarray(0, sealed.length - 1), aad, nonce])
      for (const [what, message, associated, n] of forgeries) {
        const before = copy(message)
        assert.throws(() => cipher.decrypt(n, message, associated), isA(DecryptionError), `${what} forgery accepted at length ${length}`)
        assert.ok(same(message, before), `${what}: the caller's buffer changed`)
        if (backend !== 'js' && message.length >= 16) {
          // The kernel wiped the region the rejected message was copied into.
          assert.ok(kernelRegion('DATA', message.length).every(b => b === 0), `${what}: DATA not zeroed at length ${length}`)
        }
      }
      // The genuine message still opens after the failures.
      assert.is(cipher.decrypt(nonce, sealed, aad).length, length)
      cipher.dispose()
    }
  })

  test(`[${backend}] no keystream stays in the kernel after open, accepted or rejected`, () => {
    useBackend(backend)
    if (backend === 'js') return
    for (const length of [100, 300, 1000, 4097, 65519]) {
      const key = randomBytes(32)
      const nonce = randomBytes(12)
      const plaintext = randomBytes(length)
      const cipher = chacha20poly1305(key)
      const sealed = cipher.encrypt(nonce, plaintext)
      const forged = copy(sealed); forged[length] ^= 1
      assert.throws(() => cipher.decrypt(nonce, forged), isA(DecryptionError))
      const memory = Buffer.from(chacha20poly1305Kernel.get().bytes.buffer)
      // Keystream = ciphertext XOR plaintext; look for 16-byte stretches of it anywhere in the kernel.
      const stretch = at => Buffer.from(sealed.subarray(at, at + 16).map((b, i) => b ^ plaintext[at + i]))
      const probes = [0, 64, 192, 256, length - 40].filter(at => at >= 0 && at + 16 <= length)
      for (const at of probes) assert.is(memory.indexOf(stretch(at)), -1, `keystream at ${at} left after a rejected open (length ${length})`)
      assert.is(cipher.decrypt(nonce, sealed).length, length)
      // DATA now holds the plaintext (the caller's copy was sliced out); the keystream must be gone.
      for (const at of probes) assert.is(memory.indexOf(stretch(at)), -1, `keystream at ${at} left after an accepted open (length ${length})`)
      cipher.dispose()
    }
  })

  test(`[${backend}] dispose() zeroes the kernel's key; other ciphers keep working`, () => {
    useBackend(backend)
    const key = randomBytes(32)
    const nonce = randomBytes(12)
    const cipher = chacha20poly1305(key)
    const other = chacha20poly1305(randomBytes(32))
    const sealed = cipher.encrypt(nonce, randomBytes(100))
    // The key is loaded per call and zeroed after it: even a live cipher leaves none in the kernel.
    if (backend !== 'js') assert.ok(kernelRegion('KEY', 32).every(b => b === 0), 'KEY zeroed after the call')
    cipher.dispose()
    if (backend !== 'js') {
      assert.ok(kernelRegion('KEY', 32).every(b => b === 0), 'KEY not zeroed by dispose()')
      // Nowhere else in the kernel's memory either: not as bytes, not splatted across a vector.
      const memory = Buffer.from(chacha20poly1305Kernel.get().bytes.buffer)
      assert.is(memory.indexOf(Buffer.from(key.subarray(0, 8))), -1, 'key bytes left in kernel memory')
      const splatted = Buffer.concat([key.subarray(0, 4), key.subarray(0, 4), key.subarray(0, 4), key.subarray(0, 4)])
      assert.is(memory.indexOf(splatted), -1, 'splatted key word left in kernel memory')
    }
    assert.ok(key.some(b => b !== 0), "the caller's key array is the caller's: dispose() works on a copy")
    assert.throws(() => cipher.decrypt(nonce, sealed), /disposed/)
    const again = other.encrypt(nonce, new Uint8Array(10))
    assert.ok(same(other.decrypt(nonce, again), new Uint8Array(10)))
    // A fresh cipher under the disposed key still decrypts: only the copies were wiped.
    assert.is(chacha20poly1305(key).decrypt(nonce, sealed).length, 100)
    other.dispose()
  })
}

/** Clamped r (RFC 8439 §2.5) of a one-time key as the kernel's five 26-bit limbs, little-endian u32 each. */
function rLimbs (polyKey) {
  const bytes = Uint8Array.from(polyKey.subarray(0, 16))
  bytes[3] &= 15; bytes[7] &= 15; bytes[11] &= 15; bytes[15] &= 15; bytes[4] &= 252; bytes[8] &= 252; bytes[12] &= 252
  let r = 0n
  for (let i = 15; i >= 0; i--) r = (r << 8n) | BigInt(bytes[i])
  const out = Buffer.alloc(20)
  for (let i = 0; i < 5; i++) out.writeUInt32LE(Number((r >> BigInt(26 * i)) & 0x3ffffffn), 4 * i)
  return out
}

for (const backend of ['wasm-simd', 'wasm']) {
  test(`[${backend}] raw Poly1305 matches the JS fallback around the vector MAC's four-block steps`, () => {
    useBackend(backend)
    const lengths = [0, 1, 15, 16, 17, 63, 64, 65, 240, 255, 256, 257, 272, 319, 320, 321, 1000, 1024, 4099, 65519, 65535]
    for (const length of lengths) {
      const key = randomBytes(32)
      const message = randomBytes(length)
      const tag = activeChacha20Poly1305().poly1305(key, message)
      assert.ok(same(tag, chacha20poly1305Js.poly1305(key, message)), `tag differs at length ${length}`)
    }
    // Limbs at their largest: all-ones key (r clamped) and all-ones message.
    const ones = new Uint8Array(32).fill(255)
    const message = new Uint8Array(4096).fill(255)
    assert.ok(same(activeChacha20Poly1305().poly1305(ones, message), chacha20poly1305Js.poly1305(ones, message)), 'tag differs with all-ones inputs')
  })

  test(`[${backend}] no Poly1305 key (r as limbs) stays in the kernel after seal or open`, () => {
    useBackend(backend)
    for (const length of [32, 1000, 65519]) {
      const key = randomBytes(32)
      const nonce = randomBytes(12)
      // The one-time key is keystream block 0 (RFC 8439 §2.6): ChaCha20 of 32 zero bytes at counter 0.
      const polyKey = createCipheriv('chacha20', key, Buffer.concat([Buffer.alloc(4), nonce])).update(Buffer.alloc(32))
      const limbs = rLimbs(polyKey)
      const memory = () => Buffer.from(chacha20poly1305Kernel.get().bytes.buffer)
      const cipher = chacha20poly1305(key)
      const sealed = cipher.encrypt(nonce, randomBytes(length))
      assert.is(memory().indexOf(limbs), -1, `r limbs left after seal (length ${length})`)
      assert.is(memory().indexOf(polyKey.subarray(0, 16)), -1, `r bytes left after seal (length ${length})`)
      cipher.decrypt(nonce, sealed)
      assert.is(memory().indexOf(limbs), -1, `r limbs left after open (length ${length})`)
      const forged = copy(sealed); forged[0] ^= 1
      assert.throws(() => cipher.decrypt(nonce, forged), isA(DecryptionError))
      assert.is(memory().indexOf(limbs), -1, `r limbs left after a rejected open (length ${length})`)
      cipher.dispose()
    }
  })
}

test('backend reset', () => { useBackend('auto') })

test.run()
