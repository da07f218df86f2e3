// No plaintext and no key material stays in a WASM kernel's linear memory
// after a call: the whole memory of each build (SIMD and scalar) is searched,
// after real operations, for the key, the plaintext, the Poly1305 one-time key
// and keystream (ChaCha20-Poly1305), and for the HMAC key, its ipad/opad
// blocks, the data, the HKDF input key, PRK and output (SHA-256 kernel).
// Reference values come from node:crypto. A control shows the search does
// find bytes that are meant to stay (the public nonce; a plain digest's input).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createCipheriv, createHmac, randomBytes } from 'node:crypto'
import { chacha20poly1305, hmacSha256, hkdfSha256, sha256, useBackend } from '../../dist/crypto/index.js'
import { chacha20poly1305Kernel } from '../../dist/crypto/_chacha20poly1305-wasm.js'
import { sha256Kernel } from '../../dist/crypto/_sha256-wasm.js'

const BACKENDS = ['wasm-simd', 'wasm']

/** Where in `memory` any 12-byte window of `secret` (every 4th offset) occurs; -1 if nowhere. */
function findAnyWindow (memory, secret, window = 12) {
  for (let at = 0; at + window <= secret.length; at += 4) {
    const found = memory.indexOf(Buffer.from(secret.subarray(at, at + window)))
    if (found >= 0) return found
  }
  return -1
}

/** The secret as big-endian u32 words swapped to little-endian, as SHA-256 loads them. */
function wordSwapped (bytes) {
  const out = Buffer.from(bytes)
  for (let i = 0; i + 4 <= out.length; i += 4) out.writeUInt32LE(Buffer.from(bytes).readUInt32BE(i), i)
  return out
}

function memoryOf (kernel) { return Buffer.from(kernel.get().bytes.buffer) }

function keystream (key, nonce, bytes) {
  const iv = Buffer.concat([Buffer.alloc(4), nonce]) // block counter 0, then the 96-bit nonce
  return createCipheriv('chacha20', key, iv).update(Buffer.alloc(bytes))
}

for (const backend of BACKENDS) {
  test(`[${backend}] ChaCha20-Poly1305: after seal and open no key, plaintext or keystream is left in kernel memory`, () => {
    useBackend(backend)
    try {
      for (const length of [1000, 65519]) {
        const key = randomBytes(32)
        const nonce = randomBytes(12)
        const plaintext = randomBytes(length)
        const aad = randomBytes(32)
        const cipher = chacha20poly1305(key)
        const sealed = cipher.encrypt(nonce, plaintext, aad)
        const opened = cipher.decrypt(nonce, sealed, aad)
        assert.ok(Buffer.from(opened).equals(plaintext), 'round trip')
        const memory = memoryOf(chacha20poly1305Kernel)
        // Control: the nonce is public and stays; finding it shows the search sees the kernel's memory.
        assert.ok(memory.indexOf(nonce) >= 0, 'control: the nonce is found')
        assert.is(findAnyWindow(memory, key), -1, `key left in memory (${length} B)`)
        const splat = Buffer.concat([key.subarray(0, 4), key.subarray(0, 4), key.subarray(0, 4), key.subarray(0, 4)])
        assert.is(memory.indexOf(splat), -1, 'splatted key word left in memory')
        assert.is(findAnyWindow(memory, plaintext, 16), -1, `plaintext left in memory (${length} B)`)
        const stream = keystream(key, nonce, 64 * 5)
        assert.is(findAnyWindow(memory, stream.subarray(0, 32)), -1, 'Poly1305 one-time key left in memory')
        assert.is(findAnyWindow(memory, stream.subarray(64), 16), -1, 'keystream left in memory')
        cipher.dispose()
      }
    } finally {
      useBackend('auto')
    }
  })

  test(`[${backend}] HMAC and HKDF: no key, data, PRK or output is left in kernel memory`, () => {
    useBackend(backend)
    try {
      const key = randomBytes(32)
      const data = randomBytes(100)
      const tag = hmacSha256(key, data)
      assert.ok(Buffer.from(tag).equals(createHmac('sha256', key).update(data).digest()), 'hmac is right')
      let memory = memoryOf(sha256Kernel)
      const padded = Buffer.concat([key, Buffer.alloc(32)])
      const ipad = Buffer.from(padded.map(b => b ^ 0x36))
      const opad = Buffer.from(padded.map(b => b ^ 0x5c))
      for (const [what, secret] of [['key', key], ['data', data], ['tag', Buffer.from(tag)], ['key ^ ipad', ipad.subarray(0, 32)], ['key ^ opad', opad.subarray(0, 32)]]) {
        assert.is(findAnyWindow(memory, secret), -1, `HMAC ${what} left in memory`)
        assert.is(findAnyWindow(memory, wordSwapped(secret)), -1, `HMAC ${what} (as loaded words) left in memory`)
      }

      const ikm = randomBytes(32)
      const salt = randomBytes(32)
      const info = Buffer.from('wasp2p kernel wipe')
      const okm = hkdfSha256(ikm, salt, info, 64)
      const prk = createHmac('sha256', salt).update(ikm).digest()
      const t1 = createHmac('sha256', prk).update(Buffer.concat([info, Buffer.from([1])])).digest()
      assert.ok(Buffer.from(okm.subarray(0, 32)).equals(t1), 'hkdf is right')
      memory = memoryOf(sha256Kernel)
      for (const [what, secret] of [['ikm', ikm], ['salt', salt], ['PRK', prk], ['output', Buffer.from(okm)]]) {
        assert.is(findAnyWindow(memory, secret), -1, `HKDF ${what} left in memory`)
        assert.is(findAnyWindow(memory, wordSwapped(secret)), -1, `HKDF ${what} (as words) left in memory`)
      }

      // Control: a plain digest's input is not secret and stays in INPUT: the search finds it.
      const message = randomBytes(48)
      sha256(message)
      assert.ok(findAnyWindow(memoryOf(sha256Kernel), message) >= 0, 'control: a digest input is found')
    } finally {
      useBackend('auto')
    }
  })
}

test.run()
