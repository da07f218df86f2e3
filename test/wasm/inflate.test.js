// Our DEFLATE decoder (assembly/inflate.ts through src/wasm/inflate.ts) against the platform's CompressionStream('deflate-raw')
// (node:zlib in Node, the browser's own in Chromium): every block type, overlapping matches,
// prefixes, and malformed input as InflateError.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { inflateRaw, InflateError } from '../../dist/wasm/inflate.js'

async function deflateRaw (bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
function noise (length, seed) {
  const out = new Uint8Array(length)
  let x = seed
  for (let i = 0; i < length; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; out[i] = x & 0xff }
  return out
}

/** Text-like input: few symbols, long repeats, so the compressor picks dynamic Huffman blocks with matches. */
function repetitive (length, seed) {
  const words = ['kernel ', 'simd ', 'scalar ', 'deflate ', 'yamux ', 'noise ', '\n']
  const r = noise(length, seed)
  let text = ''
  for (let i = 0; text.length < length; i++) text += words[r[i % length] % words.length]
  return new TextEncoder().encode(text.slice(0, length))
}

const CASES = [
  ['empty', new Uint8Array(0)],
  ['one byte', new Uint8Array([42])],
  ['a run (overlapping match, distance 1)', new Uint8Array(5000).fill(7)],
  ['random (stored blocks)', noise(50_000, 1)],
  ['text-like (dynamic Huffman)', repetitive(100_000, 2)],
  ['random then repeated (matches across block boundaries)', (() => { const a = noise(20_000, 3); const out = new Uint8Array(60_000); out.set(a); out.set(a, 20_000); out.set(a, 40_000); return out })()]
]

for (const [name, input] of CASES) {
  test(`${name}: inflates to the original`, async () => {
    const packed = await deflateRaw(input)
    const out = inflateRaw(packed, input.length)
    assert.is(out.length, input.length)
    assert.ok(out.every((b, i) => b === input[i]), 'same bytes')
  })
}

test('a prefix stops early and equals the start of the input', async () => {
  const input = repetitive(50_000, 4)
  const out = inflateRaw(await deflateRaw(input), 12_345)
  assert.ok(out.every((b, i) => b === input[i]))
})

test('fixed Huffman codes: a hand-made block (RFC 1951 §3.2.6)', () => {
  // Final block, type 01: literals "a" (0x61 → code 0x91, 8 bits), then end of block (7 zero bits).
  // Bits LSB-first: 1 (final), 1 0 (type 1, LSB first), code bits MSB-first: 10010001, then 0000000.
  const bits = [1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
  const bytes = new Uint8Array(Math.ceil(bits.length / 8))
  bits.forEach((b, i) => { bytes[i >> 3] |= b << (i & 7) })
  assert.equal([...inflateRaw(bytes, 1)], [0x61])
})

test('malformed input is an InflateError, never a hang or an overrun', async () => {
  const packed = await deflateRaw(repetitive(10_000, 5))
  assert.throws(() => inflateRaw(packed.subarray(0, packed.length >> 1), 10_000), err => err instanceof InflateError && err.name === 'InflateError')
  assert.throws(() => inflateRaw(packed, 10_001), err => err instanceof InflateError, 'declared length longer than the stream')
  assert.throws(() => inflateRaw(new Uint8Array([0x07]), 10), err => err instanceof InflateError, 'reserved block type 3')
  assert.throws(() => inflateRaw(new Uint8Array([0x01, 0x05, 0x00, 0x00, 0x00]), 5), err => err instanceof InflateError, 'stored length check')
  // Random garbage: each decode either fails with InflateError or yields exactly the declared length.
  for (let seed = 1; seed <= 200; seed++) {
    try {
      assert.is(inflateRaw(noise(64, seed * 7919), 256).length, 256)
    } catch (err) {
      if (!(err instanceof InflateError)) throw err
    }
  }
})

test('beyond the decoder\'s capacity is an InflateError, not a partial result', async () => {
  assert.throws(() => inflateRaw(new Uint8Array(65537), 10), err => err instanceof InflateError)
  assert.throws(() => inflateRaw(new Uint8Array(10), 131073), err => err instanceof InflateError)
})

test('one decoder instance per call: a failed call leaves the next one correct', async () => {
  const input = repetitive(20_000, 6)
  const packed = await deflateRaw(input)
  assert.throws(() => inflateRaw(packed.subarray(0, 100), input.length), err => err instanceof InflateError)
  const out = inflateRaw(packed, input.length)
  assert.ok(out.every((b, i) => b === input[i]))
})

test.run()
