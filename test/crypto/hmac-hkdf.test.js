// HMAC-SHA256 (RFC 4231) and HKDF-SHA256 (RFC 5869) on every backend.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { sha256, hmacSha256, hkdfSha256, HKDF_SHA256_MAX_LENGTH, useBackend, activeBackend } from '../../dist/crypto/index.js'
import { HMAC_SHA256_VECTORS, HKDF_SHA256_VECTORS, hex } from './_rfc-vectors.js'
import { BACKENDS, onBackend } from './_backends.js'



for (const backend of BACKENDS) {
  test(`${backend}: reports the backend it runs on`, () => {
    useBackend(backend)
    console.log(`  hmac/hkdf backend under test: ${activeBackend()}`)
    assert.is(activeBackend(), backend)
    useBackend('auto')
  })

  for (const vector of HMAC_SHA256_VECTORS) {
    onBackend(backend, vector.name, () => {
      const mac = hmacSha256(vector.key, vector.data)
      assert.is(mac.length, 32)
      assert.is(hex(mac.subarray(0, vector.truncate ?? 32)), vector.mac)
    })
  }

  for (const vector of HKDF_SHA256_VECTORS) {
    onBackend(backend, vector.name, () => {
      assert.is(hex(hmacSha256(vector.salt, vector.ikm)), vector.prk, 'PRK = HMAC(salt, IKM)')
      assert.is(hex(hkdfSha256(vector.ikm, vector.salt, vector.info, vector.length)), vector.okm)
    })
  }

  onBackend(backend, 'HKDF output is a prefix of any longer output', () => {
    const { ikm, salt, info } = HKDF_SHA256_VECTORS[1]
    const full = hex(hkdfSha256(ikm, salt, info, HKDF_SHA256_MAX_LENGTH))
    assert.is(full.length, HKDF_SHA256_MAX_LENGTH * 2)
    for (const length of [0, 1, 31, 32, 33, 64, 100, 8159]) {
      assert.is(hex(hkdfSha256(ikm, salt, info, length)), full.slice(0, length * 2), `length ${length}`)
    }
  })

  onBackend(backend, 'HMAC and HKDF between streaming updates leave the hasher intact', () => {
    const data = Uint8Array.from({ length: 3000 }, (_, i) => (i * 31) & 0xff)
    const expected = hex(sha256(data))
    const { key, data: macData, mac } = HMAC_SHA256_VECTORS[6]
    const { ikm, salt, info, length, okm } = HKDF_SHA256_VECTORS[1]
    const hasher = sha256.create()
    for (let at = 0; at < data.length; at += 500) {
      hasher.update(data.subarray(at, at + 500))
      assert.is(hex(hmacSha256(key, macData)), mac)
      assert.is(hex(hkdfSha256(ikm, salt, info, length)), okm)
    }
    assert.is(hex(hasher.digest()), expected)
  })

  onBackend(backend, 'HKDF refuses lengths outside 0..255·32', () => {
    const empty = new Uint8Array(0)
    for (const length of [HKDF_SHA256_MAX_LENGTH + 1, -1, 1.5, Number.NaN]) {
      assert.throws(() => hkdfSha256(empty, empty, empty, length), err => err instanceof RangeError, `length ${length}`)
    }
  })
}

test('input checks: TypeError for non-bytes', () => {
  const bytes = new Uint8Array(4)
  assert.throws(() => hmacSha256('key', bytes), err => err instanceof TypeError)
  assert.throws(() => hmacSha256(bytes, [1]), err => err instanceof TypeError)
  assert.throws(() => hkdfSha256(bytes, undefined, bytes, 32), err => err instanceof TypeError)
})

test.run()
