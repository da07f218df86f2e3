// SHA-256, HMAC-SHA256 and HKDF-SHA256 on every backend against node:crypto,
// on random inputs of every length 0..1100, around the block (64), kernel
// chunk (65536) and other boundaries, and past INPUT_CAPACITY (chunked path).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import { sha256, sha256Many, hmacSha256, hkdfSha256, useBackend, activeBackend, backends } from '../../dist/crypto/index.js'
import { BACKENDS, onBackend } from './_backends.js'

const around = centre => [-2, -1, 0, 1, 2].map(d => centre + d)
const SIZES = [
  ...Array.from({ length: 1101 }, (_, i) => i),
  ...around(4096), ...around(8192), ...around(65536), ...around(131072), 200_003
]

/** RFC 5869 on node's HMAC, for info longer than hkdfSync accepts (1024 bytes). */
function nodeHkdfViaHmac (ikm, salt, info, length) {
  const prk = createHmac('sha256', salt).update(ikm).digest()
  const blocks = []
  let previous = Buffer.alloc(0)
  for (let i = 1; blocks.length * 32 < length; i++) {
    previous = createHmac('sha256', prk).update(previous).update(info).update(Buffer.from([i])).digest()
    blocks.push(previous)
  }
  return Buffer.concat(blocks).subarray(0, length).toString('hex')
}

const nodeSha256 = data => createHash('sha256').update(data).digest('hex')
const hex = bytes => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')


for (const backend of BACKENDS) {
  onBackend(backend, `sha256 one-shot on ${SIZES.length} sizes`, () => {
    console.log(`  differential backend: ${activeBackend()}`)
    for (const size of SIZES) {
      const data = randomBytes(size)
      assert.is(hex(sha256(data)), nodeSha256(data), `size ${size}`)
    }
  })

  onBackend(backend, 'sha256 streaming in uneven chunks, including chunks over 64 KiB', () => {
    for (const size of [1000, 65537, 200_003]) {
      const data = randomBytes(size)
      const hasher = sha256.create()
      for (let at = 0, step = 1; at < size; at += step, step = step * 7 + 3) hasher.update(data.subarray(at, at + step))
      assert.is(hex(hasher.digest()), nodeSha256(data), `size ${size}`)
    }
  })

  onBackend(backend, 'sha256 on unaligned views of a larger buffer', () => {
    const buffer = randomBytes(5000)
    for (const [offset, length] of [[1, 100], [3, 64], [7, 4000], [13, 0]]) {
      const view = new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length)
      assert.is(hex(sha256(view)), nodeSha256(view))
    }
  })

  onBackend(backend, 'sha256Many against per-message node:crypto', () => {
    for (const length of [1, 32, 34, 55, 56, 64, 100, 1000, 70_000]) {
      const count = length > 1000 ? 2 : 13
      const messages = randomBytes(length * count)
      const digests = sha256Many(messages, length)
      for (let i = 0; i < count; i++) {
        assert.is(hex(digests.subarray(i * 32, (i + 1) * 32)), nodeSha256(messages.subarray(i * length, (i + 1) * length)), `length ${length} message ${i}`)
      }
    }
  })

  onBackend(backend, 'hmacSha256 against node:crypto across key and data lengths', () => {
    for (const keyLength of [0, 1, 20, 32, 63, 64, 65, 131, 300]) {
      for (const dataLength of [0, 1, 31, 55, 56, 64, 119, 120, 1000, 65_500, 70_000]) {
        const key = randomBytes(keyLength)
        const data = randomBytes(dataLength)
        assert.is(hex(hmacSha256(key, data)), createHmac('sha256', key).update(data).digest('hex'), `key ${keyLength}, data ${dataLength}`)
      }
    }
  })

  onBackend(backend, 'hmacSha256 and hkdfSha256 at the edge of the kernel input region (65536 bytes)', () => {
    for (const dataLength of [65_503, 65_504, 65_505]) {
      const key = randomBytes(32)
      const data = randomBytes(dataLength)
      assert.is(hex(hmacSha256(key, data)), createHmac('sha256', key).update(data).digest('hex'), `32 + ${dataLength} bytes`)
    }
    for (const ikmLength of [65_471, 65_472, 65_473]) {
      const salt = randomBytes(32)
      const ikm = randomBytes(ikmLength)
      const info = randomBytes(32)
      assert.is(hex(hkdfSha256(ikm, salt, info, 64)), Buffer.from(hkdfSync('sha256', ikm, salt, info, 64)).toString('hex'), `32 + ${ikmLength} + 32 bytes`)
    }
  })

  onBackend(backend, 'hkdfSha256 against node:crypto', () => {
    const cases = [
      [32, 32, 0, 64], [32, 0, 0, 64], [32, 32, 0, 96], [0, 32, 0, 32], [13, 22, 10, 42],
      [80, 80, 80, 82], [64, 65, 1, 33], [100, 1000, 300, 8160], [32, 70_000, 0, 64], [1, 1, 70_000, 200]
    ]
    for (const [saltLength, ikmLength, infoLength, length] of cases) {
      const salt = randomBytes(saltLength)
      const ikm = randomBytes(ikmLength)
      const info = randomBytes(infoLength)
      const expected = infoLength <= 1024
        ? Buffer.from(hkdfSync('sha256', ikm, salt, info, length)).toString('hex')
        : nodeHkdfViaHmac(ikm, salt, info, length)
      if (infoLength <= 1024) assert.is(nodeHkdfViaHmac(ikm, salt, info, length), expected, 'the two node references agree')
      assert.is(hex(hkdfSha256(ikm, salt, info, length)), expected, `salt ${saltLength}, ikm ${ikmLength}, info ${infoLength}, length ${length}`)
    }
  })
}

for (const forced of ['js', 'wasm', 'auto']) {
  test(`with useBackend('${forced}'), backends.wasm and backends.js HMAC/HKDF match node:crypto`, () => {
    useBackend(forced)
    try {
      const key = randomBytes(40)
      const data = randomBytes(300)
      const expectedMac = createHmac('sha256', key).update(data).digest('hex')
      const expectedOkm = Buffer.from(hkdfSync('sha256', data, key, data.subarray(0, 20), 100)).toString('hex')
      for (const [name, pinned] of Object.entries(backends)) {
        assert.is(hex(pinned.hmacSha256(key, data)), expectedMac, `backends.${name}.hmacSha256`)
        assert.is(hex(pinned.hkdfSha256(data, key, data.subarray(0, 20), 100)), expectedOkm, `backends.${name}.hkdfSha256`)
      }
      assert.throws(() => backends.wasm.hkdfSha256(data, key, data, 8161), err => err instanceof RangeError)
      assert.throws(() => backends.js.hmacSha256('key', data), err => err instanceof TypeError)
    } finally { useBackend('auto') }
  })
}

test.run()
