// SHA-256 on every backend: FIPS 180-4 examples, streaming against one-shot,
// interleaved hashers, and batches against single digests.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { sha256, sha256Many, useBackend, activeBackend } from '../../dist/crypto/index.js'
import { SHA256_VECTORS, hex } from './_rfc-vectors.js'
import { BACKENDS, onBackend } from './_backends.js'


/** A small seeded generator (xorshift32), so that a failure can be replayed. */
function random (seed) {
  let x = seed >>> 0 || 1
  const next = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x }
  return {
    int: n => next() % n,
    bytes: n => { const out = new Uint8Array(n); for (let i = 0; i < n; i++) out[i] = next() & 0xff; return out }
  }
}


for (const backend of BACKENDS) {
  test(`${backend}: reports the backend it runs on`, () => {
    useBackend(backend)
    console.log(`  sha256 backend under test: ${activeBackend()}`)
    assert.is(activeBackend(), backend)
    useBackend('auto')
  })

  for (const vector of SHA256_VECTORS) {
    onBackend(backend, `FIPS 180-4 ${vector.name}`, () => {
      assert.is(hex(sha256(vector.message())), vector.digest)
      assert.is(hex(sha256.create().update(vector.message()).digest()), vector.digest)
    })
  }

  onBackend(backend, 'streaming with random split points equals one-shot', () => {
    const rng = random(0x5ee0 + backend.length)
    for (const size of [0, 1, 63, 64, 65, 127, 128, 1000, 4097, 70_000, 140_000]) {
      const data = rng.bytes(size)
      const expected = hex(sha256(data))
      for (let round = 0; round < 4; round++) {
        const hasher = sha256.create()
        let at = 0
        while (at < size) {
          const step = rng.int(round === 0 ? 3 : round === 1 ? 70 : round === 2 ? 600 : 80_000) + 1
          hasher.update(data.subarray(at, at + step))
          at += step
        }
        if (round === 3) hasher.update(new Uint8Array(0))
        assert.is(hex(hasher.digest()), expected, `size ${size}, round ${round}`)
      }
    }
  })

  onBackend(backend, 'interleaved hashers and one-shot calls in between do not disturb each other', () => {
    const rng = random(77)
    const a = rng.bytes(5000)
    const b = rng.bytes(3333)
    const other = rng.bytes(200)
    const expectedOther = hex(sha256(other))
    // Longer than the kernel's INPUT region: this one-shot borrows the streaming context.
    const large = rng.bytes(70_000)
    const expectedLarge = hex(sha256(large))
    const ha = sha256.create()
    const hb = sha256.create()
    for (let i = 0; i < 50; i++) {
      ha.update(a.subarray(i * 100, (i + 1) * 100))
      assert.is(hex(sha256(other)), expectedOther, 'one-shot while hashers are open')
      hb.update(b.subarray(i * 67, Math.min(b.length, (i + 1) * 67)))
      if (i % 10 === 0) assert.is(sha256Many(other, 50).length, 4 * 32)
      if (i % 10 === 5) assert.is(hex(sha256(large)), expectedLarge, 'large one-shot while hashers are open')
    }
    hb.update(b.subarray(50 * 67))
    const db = hex(hb.digest())
    const da = hex(ha.digest())
    assert.is(da, hex(sha256(a)))
    assert.is(db, hex(sha256(b)))
  })

  onBackend(backend, 'a finished hasher refuses further use', () => {
    const hasher = sha256.create().update(new Uint8Array([1, 2, 3]))
    hasher.digest()
    assert.throws(() => hasher.update(new Uint8Array(1)))
    assert.throws(() => hasher.digest())
  })

  onBackend(backend, 'sha256Many equals per-message hashing', () => {
    const rng = random(1234)
    for (const length of [1, 20, 32, 55, 56, 63, 64, 65, 100, 119, 120, 200]) {
      for (const count of [1, 2, 3, 4, 5, 7, 8, 9, 33]) {
        const messages = rng.bytes(length * count)
        const digests = sha256Many(messages, length)
        assert.is(digests.length, count * 32)
        for (let i = 0; i < count; i++) {
          assert.is(hex(digests.subarray(i * 32, (i + 1) * 32)), hex(sha256(messages.subarray(i * length, (i + 1) * length))), `length ${length}, count ${count}, message ${i}`)
        }
      }
    }
  })

  onBackend(backend, 'sha256Many of more messages than one kernel call holds', () => {
    const rng = random(99)
    const length = 40
    const count = 2100 // over 2048 digests per call, and over 65536 bytes of input
    const messages = rng.bytes(length * count)
    const digests = sha256Many(messages, length)
    for (let i = 0; i < count; i++) {
      assert.is(hex(digests.subarray(i * 32, (i + 1) * 32)), hex(sha256(messages.subarray(i * length, (i + 1) * length))), `message ${i}`)
    }
  })
}

test('input checks: TypeError for non-bytes, RangeError for bad batch lengths', () => {
  assert.throws(() => sha256('abc'), err => err instanceof TypeError)
  assert.throws(() => sha256.create().update([1, 2]), err => err instanceof TypeError)
  assert.throws(() => sha256Many(new Uint8Array(10), 3), err => err instanceof RangeError)
  assert.throws(() => sha256Many(new Uint8Array(10), 0), err => err instanceof RangeError)
})

test.run()
