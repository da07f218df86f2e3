// Protobuf reader/writer: encodings from the protobuf guide, round trips, hostile input, fuzzing.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ProtoWriter, ProtoReader, ProtobufError, DEFAULT_MAX_MESSAGE_SIZE } from '../../dist/protobuf/index.js'

const hex = (s) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16))
const toHex = (u) => Array.from(u, (b) => b.toString(16).padStart(2, '0')).join('')

/** Bounded fuzz budget: mutations per run. */
const FUZZ_MUTATIONS = 3000

// Small deterministic PRNG so that a failure is reproducible from the printed seed.
function prng (seed) {
  let s = seed >>> 0
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296 }
}

function readAll (bytes, options) {
  const out = []
  const r = new ProtoReader(bytes, options)
  while (r.next()) {
    if (r.wireType === 0) out.push([r.field, 'varint', r.uint64()])
    else if (r.wireType === 2) out.push([r.field, 'bytes', toHex(r.bytes())])
    else { out.push([r.field, 'fixed', r.wireType]); r.skipField() }
  }
  return out
}

test('encodings from the protobuf encoding guide', () => {
  assert.is(toHex(new ProtoWriter().uint32(1, 150).finish()), '089601')
  assert.is(toHex(new ProtoWriter().string(2, 'testing').finish()), '120774657374696e67')
  assert.is(toHex(new ProtoWriter().int32(1, -2).finish()), '08feffffffffffffffff01')
  assert.is(toHex(new ProtoWriter().bool(3, true).uint64(4, 2n ** 64n - 1n).finish()), '1801' + '20ffffffffffffffffff01')
  const r = new ProtoReader(hex('08feffffffffffffffff01'))
  assert.ok(r.next()); assert.is(r.int32(), -2); assert.not.ok(r.next())
})

test('round trip of every type, nested messages, repeated fields, unknown fields skipped', () => {
  const inner = new ProtoWriter().string(1, 'héllo').finish()
  const w = new ProtoWriter()
  w.uint32(1, 0xffffffff).uint64(2, 1234567890123456789n).bool(3, false).bytes(4, new Uint8Array(300).fill(7))
  w.bytes(5, inner).bytes(5, inner).string(6, '')
  const encoded = w.finish()
  // An unknown fixed64 and fixed32 field appended by hand: field 9 wire 1, field 10 wire 5.
  const withUnknown = new Uint8Array([...encoded, 0x49, 1, 2, 3, 4, 5, 6, 7, 8, 0x55, 1, 2, 3, 4, 0x58, 0x01])
  const r = new ProtoReader(withUnknown)
  const seen = {}
  const nested = []
  while (r.next()) {
    switch (r.field) {
      case 1: seen.a = r.uint32(); break
      case 2: seen.b = r.uint64(); break
      case 3: seen.c = r.bool(); break
      case 4: seen.d = r.bytes(); break
      case 5: { const n = new ProtoReader(r.bytes()); assert.ok(n.next()); nested.push(n.string()); break }
      case 6: seen.f = r.string(); break
      default: r.skipField()
    }
  }
  assert.equal(seen, { a: 0xffffffff, b: 1234567890123456789n, c: false, d: new Uint8Array(300).fill(7), f: '' })
  assert.equal(nested, ['héllo', 'héllo'])
  // Fields not read at all are skipped by next()
  const r2 = new ProtoReader(withUnknown); let count = 0
  while (r2.next()) count++
  assert.is(count, 10)
})

test('string fields: ASCII (copied directly) and non-ASCII text encode as UTF-8, like bytes of TextEncoder', () => {
  const samples = ['', '/ipfs/id/1.0.0', 'x'.repeat(300), 'grüße', '日本語', 'a\u{1F600}b', 'lone \uD800 surrogate', '\u007f\u0080']
  for (const text of samples) {
    const viaString = new ProtoWriter().uint32(1, 7).string(3, text).finish()
    const viaBytes = new ProtoWriter().uint32(1, 7).bytes(3, new TextEncoder().encode(text)).finish()
    assert.equal([...viaString], [...viaBytes], JSON.stringify(text))
  }
})

test('writer rejects out-of-range values at the edge', () => {
  const w = new ProtoWriter()
  assert.throws(() => w.uint32(1, -1), RangeError)
  assert.throws(() => w.uint32(1, 2 ** 32), RangeError)
  assert.throws(() => w.uint32(0, 1), RangeError)
  assert.throws(() => w.uint64(1, -1n), RangeError)
  assert.throws(() => w.bytes(1, 'x'), TypeError)
})

const isProtobufError = (err) => err instanceof ProtobufError

test('hostile input: named errors', () => {
  const cases = {
    truncatedVarint: '0896',
    truncatedLength: '1205616263',
    lengthOverflow: '12ffffffff0f00',
    tagOverflow: 'ffffffffff7f',
    fieldZero: '0001',
    groupWireType: '0b',
    wireType7: '0f01',
    varint11Bytes: '08ffffffffffffffffffff01',
    truncatedFixed64: '09010203',
    truncatedFixed32: '0d01'
  }
  for (const [name, h] of Object.entries(cases)) {
    assert.throws(() => readAll(hex(h)), isProtobufError, name)
  }
  // uint32() on a value wider than 32 bits, wrong wire type, invalid UTF-8
  let r = new ProtoReader(hex('0880808080 10'.replace(/ /g, ''))); r.next()
  assert.throws(() => r.uint32(), isProtobufError)
  r = new ProtoReader(hex('0801')); r.next()
  assert.throws(() => r.bytes(), isProtobufError)
  r = new ProtoReader(hex('0a02c328')); r.next()
  assert.throws(() => r.string(), isProtobufError)
  // limits
  assert.throws(() => new ProtoReader(new Uint8Array(11), { maxSize: 10 }), isProtobufError)
  assert.throws(() => new ProtoReader(new Uint8Array(DEFAULT_MAX_MESSAGE_SIZE + 1)), isProtobufError)
  assert.throws(() => readAll(hex('080108010801'), { maxFields: 2 }), isProtobufError)
  assert.equal(readAll(hex('080108010801'), { maxFields: 3 }).length, 3)
})

test(`fuzz: ${FUZZ_MUTATIONS} random mutations of valid encodings give values or ProtobufError only`, () => {
  const seed = (Math.random() * 2 ** 32) >>> 0
  const rand = prng(seed)
  const int = (n) => Math.floor(rand() * n)
  let ok = 0
  let rejected = 0
  for (let i = 0; i < FUZZ_MUTATIONS; i++) {
    const w = new ProtoWriter()
    const fields = 1 + int(6)
    for (let f = 0; f < fields; f++) {
      const field = 1 + int(20)
      switch (int(4)) {
        case 0: w.uint32(field, int(2 ** 32)); break
        case 1: w.uint64(field, BigInt(int(2 ** 32)) * BigInt(int(2 ** 32))); break
        case 2: w.bytes(field, new Uint8Array(int(200)).map(() => int(256))); break
        default: w.string(field, 'x'.repeat(int(40)))
      }
    }
    const bytes = w.finish()
    const m = bytes.slice()
    switch (int(4)) {
      case 0: m[int(m.length)] = int(256); break
      case 1: m[int(m.length)] ^= 1 << int(8); break
      case 2: { const cut = m.subarray(0, int(m.length)); m.fill(0); m.set(cut); break }
      default: for (let k = 0; k < 4; k++) m[int(m.length)] = int(256)
    }
    const input = rand() < 0.3 ? m.subarray(0, int(m.length + 1)) : m
    try {
      readAll(input)
      ok++
    } catch (err) {
      if (!(err instanceof ProtobufError)) {
        throw new Error(`seed ${seed}, case ${i}: ${toHex(input)} threw ${err?.name}: ${err?.message}`)
      }
      rejected++
    }
  }
  assert.is(ok + rejected, FUZZ_MUTATIONS)
  assert.ok(rejected > 0, 'some mutations must be rejected')
})

test.run()
