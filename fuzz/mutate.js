// Inputs for the parsers: mutations of valid encodings (seeds), as fast-check
// arbitraries so a failure shrinks to a small list of edits of one seed.
// A mutation is 1–8 edits: bit flips, "interesting" byte values, inserted
// random bytes, deletions, truncation, duplicated or spliced-in slices (of the
// same or another seed), and varints of boundary values written over or into
// the input — lengths and counts are where parsers break. A tenth of the
// inputs are plain random bytes and a tenth the seeds themselves.
import fc from 'fast-check'

const INTERESTING_BYTES = [0x00, 0x01, 0x02, 0x0a, 0x0c, 0x10, 0x20, 0x7f, 0x80, 0x81, 0xfe, 0xff]
const INTERESTING_NUMBERS = [0, 1, 2, 11, 12, 13, 31, 32, 33, 63, 64, 127, 128, 255, 256, 1023, 1024, 4096, 65535, 65536,
  0x7fffffff, 0x80000000, 0xffffffff, 2 ** 32, 2 ** 53 - 1, 2 ** 53, 2 ** 63, 2 ** 64 - 1]

/** Unsigned LEB128 of a non-negative number (BigInt inside, so 2^64 − 1 encodes exactly). */
export function encodeVarint (value) {
  let v = BigInt(value)
  const out = []
  do {
    const byte = Number(v & 0x7fn)
    v >>= 7n
    out.push(v > 0n ? byte | 0x80 : byte)
  } while (v > 0n)
  return Uint8Array.from(out)
}

function concat (...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) { out.set(p, at); at += p.length }
  return out
}

/**
 * One edit packed in a 31-bit integer, so fast-check draws (and shrinks) a
 * short array of numbers rather than nested records — about six times faster
 * to generate, which is what a million inputs per parser costs: bits 0–2 the
 * operation, 3–10 its small parameter (bit, byte value, length, varint
 * choice), 11–30 the position (taken modulo the input length).
 */
export function decodeEdit (v) {
  const small = (v >>> 3) & 0xff
  const at = v >>> 11
  switch (v & 7) {
    case 0: return { op: 'flip', at, bit: small & 7 }
    case 1: return { op: 'set', at, value: (small & 0x80) !== 0 ? INTERESTING_BYTES[small % INTERESTING_BYTES.length] : small }
    case 2: return { op: 'insert', at, bytes: Uint8Array.from({ length: (small & 15) + 1 }, (_, i) => (Math.imul(v, i + 1) >>> 13) & 0xff) }
    case 3: return { op: 'delete', at, length: (small & 15) + 1 }
    case 4: return { op: 'truncate', at }
    case 5: return { op: 'duplicate', from: Math.imul(at, 2654435761) >>> 11, length: (small & 63) + 1, to: at }
    case 6: return { op: 'splice', other: small, from: Math.imul(at, 40503) >>> 3, length: (small & 127) + 1, to: at }
    default: return { op: 'varint', at, value: INTERESTING_NUMBERS[small % INTERESTING_NUMBERS.length], overwrite: (small & 0x80) !== 0 }
  }
}

/** Applies `edits` to a copy of `seed`; `seeds` feeds the splice edit. */
export function applyEdits (seed, edits, seeds) {
  let bytes = seed.slice()
  for (const e of edits) {
    const n = bytes.length
    switch (e.op) {
      case 'flip': if (n > 0) bytes[e.at % n] ^= 1 << e.bit; break
      case 'set': if (n > 0) bytes[e.at % n] = e.value; break
      case 'insert': { const at = e.at % (n + 1); bytes = concat(bytes.subarray(0, at), e.bytes, bytes.subarray(at)); break }
      case 'delete': if (n > 0) { const at = e.at % n; bytes = concat(bytes.subarray(0, at), bytes.subarray(at + e.length)) } break
      case 'truncate': bytes = bytes.slice(0, e.at % (n + 1)); break
      case 'duplicate': if (n > 0) { const from = e.from % n; const slice = bytes.slice(from, from + e.length); const to = e.to % (n + 1); bytes = concat(bytes.subarray(0, to), slice, bytes.subarray(to)) } break
      case 'splice': {
        const other = seeds[e.other % seeds.length]
        if (other.length === 0) break
        const from = e.from % other.length
        const to = e.to % (n + 1)
        bytes = concat(bytes.subarray(0, to), other.subarray(from, from + e.length), bytes.subarray(to))
        break
      }
      case 'varint': {
        const v = encodeVarint(e.value)
        const at = e.at % (n + 1)
        bytes = concat(bytes.subarray(0, at), v, bytes.subarray(e.overwrite ? at + v.length : at))
        break
      }
    }
  }
  return bytes
}

/** Inputs for a parser whose valid encodings are `seeds` (at least one). */
export function fuzzInputs (seeds, { maxRandomLength = 512 } = {}) {
  if (seeds.length === 0) throw new RangeError('fuzzInputs needs at least one seed')
  const mutated = fc.tuple(fc.nat({ max: seeds.length - 1 }), fc.array(fc.nat(), { minLength: 1, maxLength: 8 }))
    .map(([i, edits]) => applyEdits(seeds[i], edits.map(decodeEdit), seeds))
  return fc.oneof(
    { arbitrary: mutated, weight: 8 },
    { arbitrary: fc.uint8Array({ maxLength: maxRandomLength }), weight: 1 },
    { arbitrary: fc.constantFrom(...seeds), weight: 1 }
  )
}
