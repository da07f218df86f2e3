/**
 * A DEFLATE decoder (RFC 1951), synchronous and runtime-neutral, for the
 * kernels build/build.js embeds compressed (see ./kernel.ts for why a
 * compressed embedding, and why this rather than `DecompressionStream`).
 *
 * A stream is a sequence of blocks (§3.2.3), each stored (§3.2.4), or
 * Huffman-coded with the fixed (§3.2.6) or transmitted (§3.2.7) codes, of
 * literals and <length, backward distance> pairs (§3.2.5). Huffman codes are
 * canonical (§3.2.2): the code lengths alone define them. Each code becomes a
 * lookup table indexed by the next `bits` input bits (codes arrive most
 * significant bit first inside an LSB-first stream, §3.1.1, so the table is
 * indexed by the bit-reversed code), one read per symbol. This runs once per
 * page, cold, in the interpreter: a first version that walked the code one bit
 * at a time cost 14 ms more than plain base64 on a fresh Chromium page for the
 * basic node's kernels (bench/bundle.js), more than the compile itself.
 *
 * The input is our own build output, but a decoder must not trust lengths:
 * the output never exceeds `outputLength`, and anything malformed is an
 * InflateError.
 */

/** Malformed or truncated DEFLATE data, or more output than declared. */
export class InflateError extends Error {
  override name = 'InflateError'
}

/** The longest Huffman code DEFLATE allows (§3.2.7). */
const MAX_CODE_BITS = 15
/** Literal/length symbols: 0–255 literals, 256 end of block, 257–285 lengths (§3.2.5). */
const LITLEN_SYMBOLS = 288
const DISTANCE_SYMBOLS = 32
const END_OF_BLOCK = 256
/** The order in which code-length code lengths are transmitted (§3.2.7). */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

/** A code as a lookup table: entry = symbol << 4 | code length, 0 where no code starts with those bits. */
interface Huffman {
  readonly table: Uint16Array
  readonly bits: number
}

/** Canonical codes from code lengths (§3.2.2), spread over every index whose low `length` bits are the reversed code. */
function huffman (lengths: Uint8Array, n: number): Huffman {
  const counts = new Uint16Array(MAX_CODE_BITS + 1)
  let bits = 1
  for (let i = 0; i < n; i++) {
    counts[lengths[i]]++
    if (lengths[i] > bits) bits = lengths[i]
  }
  counts[0] = 0
  const next = new Uint16Array(MAX_CODE_BITS + 2)
  for (let len = 1, code = 0; len <= MAX_CODE_BITS; len++) {
    code = (code + counts[len - 1]) << 1
    next[len] = code
  }
  const table = new Uint16Array(1 << bits)
  for (let symbol = 0; symbol < n; symbol++) {
    const len = lengths[symbol]
    if (len === 0) continue
    const code = next[len]++
    if (code >= 1 << len) throw new InflateError('over-subscribed Huffman code')
    let reversed = 0
    for (let i = 0; i < len; i++) reversed |= ((code >> i) & 1) << (len - 1 - i)
    for (let at = reversed; at < table.length; at += 1 << len) table[at] = (symbol << 4) | len
  }
  return { table, bits }
}

/** Base value and extra bits of each length (257–285) and distance (0–29) code (§3.2.5). */
interface CodeTables {
  readonly lengthBase: Uint16Array
  readonly lengthExtra: Uint8Array
  readonly distanceBase: Uint16Array
  readonly distanceExtra: Uint8Array
  readonly fixedLitLen: Huffman
  readonly fixedDistance: Huffman
}

let tables: CodeTables | undefined

/** The §3.2.5 tables follow a pattern (extra bits grow by one every 4 lengths / 2 distances), so they are computed, not listed. */
function codeTables (): CodeTables {
  if (tables !== undefined) return tables
  const lengthBase = new Uint16Array(29)
  const lengthExtra = new Uint8Array(29)
  for (let i = 0, base = 3; i < 28; i++) {
    lengthExtra[i] = i < 8 ? 0 : (i >> 2) - 1
    lengthBase[i] = base
    base += 1 << lengthExtra[i]
  }
  lengthBase[28] = 258 // code 285 is 258 with no extra bits, not the pattern's 227 + 32
  const distanceBase = new Uint16Array(30)
  const distanceExtra = new Uint8Array(30)
  for (let i = 0, base = 1; i < 30; i++) {
    distanceExtra[i] = i < 4 ? 0 : (i >> 1) - 1
    distanceBase[i] = base
    base += 1 << distanceExtra[i]
  }
  const fixed = new Uint8Array(LITLEN_SYMBOLS)
  fixed.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288)
  const fixedLitLen = huffman(fixed, LITLEN_SYMBOLS)
  const fixedDistance = huffman(new Uint8Array(DISTANCE_SYMBOLS).fill(5), DISTANCE_SYMBOLS)
  tables = { lengthBase, lengthExtra, distanceBase, distanceExtra, fixedLitLen, fixedDistance }
  return tables
}

/**
 * The input as a bit stream, least significant bit first (§3.1.1). Past the
 * end it reads zero bytes, so that a table lookup may peek beyond the last
 * code; consuming any of those bits is a truncated stream. Used for the block
 * headers and code lengths; the symbol loop of `inflateRaw` keeps the same
 * state in locals, since property access and calls dominate cold code.
 */
class BitReader {
  buffer = 0
  count = 0
  at = 0
  constructor (readonly input: Uint8Array) {}

  /** `n` (≤ 16) bits. */
  bits (n: number): number {
    while (this.count < n) {
      this.buffer |= (this.at < this.input.length ? this.input[this.at] : 0) << this.count
      this.at++
      this.count += 8
    }
    const value = this.buffer & ((1 << n) - 1)
    this.buffer >>>= n
    this.count -= n
    this.checkNotPastEnd()
    return value
  }

  checkNotPastEnd (): void {
    if (this.at > this.input.length && this.count < (this.at - this.input.length) << 3) throw new InflateError('truncated DEFLATE stream')
  }

  decode (h: Huffman): number {
    while (this.count < h.bits) {
      this.buffer |= (this.at < this.input.length ? this.input[this.at] : 0) << this.count
      this.at++
      this.count += 8
    }
    const entry = h.table[this.buffer & ((1 << h.bits) - 1)]
    if (entry === 0) throw new InflateError('invalid Huffman code')
    this.buffer >>>= entry & 15
    this.count -= entry & 15
    this.checkNotPastEnd()
    return entry >> 4
  }

  /** Stored blocks start on a byte boundary (§3.2.4): the buffer's partial byte is dropped, whole ones given back. */
  alignedBytes (n: number): Uint8Array {
    this.at -= this.count >> 3
    this.buffer = 0
    this.count = 0
    if (this.at + n > this.input.length) throw new InflateError('truncated stored block')
    const out = this.input.subarray(this.at, this.at + n)
    this.at += n
    return out
  }
}

function readDynamicTables (reader: BitReader): [Huffman, Huffman] {
  const litLenCount = reader.bits(5) + 257
  const distanceCount = reader.bits(5) + 1
  const codeLengthCount = reader.bits(4) + 4
  if (litLenCount > 286 || distanceCount > 30) throw new InflateError('too many length or distance codes')
  const codeLengthLengths = new Uint8Array(19)
  for (let i = 0; i < codeLengthCount; i++) codeLengthLengths[CODE_LENGTH_ORDER[i]] = reader.bits(3)
  const codeLengthCode = huffman(codeLengthLengths, 19)
  const lengths = new Uint8Array(litLenCount + distanceCount)
  for (let i = 0; i < lengths.length;) {
    const symbol = reader.decode(codeLengthCode)
    if (symbol < 16) { lengths[i++] = symbol; continue }
    let repeat: number
    let value = 0
    if (symbol === 16) {
      if (i === 0) throw new InflateError('repeat of a code length before the first one')
      value = lengths[i - 1]
      repeat = 3 + reader.bits(2)
    } else if (symbol === 17) repeat = 3 + reader.bits(3)
    else repeat = 11 + reader.bits(7)
    if (i + repeat > lengths.length) throw new InflateError('code lengths overrun their count')
    lengths.fill(value, i, i + repeat)
    i += repeat
  }
  if (lengths[END_OF_BLOCK] === 0) throw new InflateError('no end-of-block code')
  return [huffman(lengths, litLenCount), huffman(lengths.subarray(litLenCount), distanceCount)]
}

/**
 * Decodes a raw DEFLATE stream (no zlib or gzip wrapper) into exactly
 * `outputLength` bytes, stopping as soon as they are produced: a caller that
 * needs only a prefix of the stream pays only for that prefix.
 */
export function inflateRaw (input: Uint8Array, outputLength: number): Uint8Array {
  const out = new Uint8Array(outputLength)
  const reader = new BitReader(input)
  const t = codeTables()
  let at = 0
  let final = 0
  while (final === 0 && at < outputLength) {
    final = reader.bits(1)
    const type = reader.bits(2)
    if (type === 0) {
      const header = reader.alignedBytes(4)
      const length = header[0] | (header[1] << 8)
      if ((length ^ (header[2] | (header[3] << 8))) !== 0xffff) throw new InflateError('stored block length check failed')
      const bytes = reader.alignedBytes(length)
      const take = Math.min(length, outputLength - at)
      out.set(bytes.subarray(0, take), at)
      at += take
      continue
    }
    if (type === 3) throw new InflateError('reserved block type')
    const [litLen, distance] = type === 1 ? [t.fixedLitLen, t.fixedDistance] : readDynamicTables(reader)
    at = inflateBlock(reader, litLen, distance, out, at)
  }
  if (at !== outputLength) throw new InflateError(`DEFLATE stream ended after ${at} of ${outputLength} bytes`)
  return out
}

/**
 * One Huffman-coded block's symbols (§3.2.5) into `out` from `at`; returns the
 * new end. The reader's bit state lives in locals for the loop and is written
 * back at the end.
 */
function inflateBlock (reader: BitReader, litLen: Huffman, distance: Huffman, out: Uint8Array, at: number): number {
  const { lengthBase, lengthExtra, distanceBase, distanceExtra } = codeTables()
  const input = reader.input
  const end = input.length
  const litTable = litLen.table
  const litBits = litLen.bits
  const litMask = (1 << litBits) - 1
  const distTable = distance.table
  const distBits = distance.bits
  const distMask = (1 << distBits) - 1
  const outputLength = out.length
  let buffer = reader.buffer
  let count = reader.count
  let pos = reader.at
  for (;;) {
    if (at >= outputLength) break
    // Refills keep at most 23 bits in the 32-bit buffer: enough for any code (≤ 15 bits) or extra bits (≤ 13).
    while (count < 16) { buffer |= (pos < end ? input[pos] : 0) << count; pos++; count += 8 }
    let entry = litTable[buffer & litMask]
    if (entry === 0) throw new InflateError('invalid Huffman code')
    buffer >>>= entry & 15
    count -= entry & 15
    let symbol = entry >> 4
    if (symbol < 256) { out[at++] = symbol; continue }
    if (symbol === END_OF_BLOCK) break
    symbol -= 257
    if (symbol >= 29) throw new InflateError('invalid length code')
    while (count < 16) { buffer |= (pos < end ? input[pos] : 0) << count; pos++; count += 8 }
    let extra = lengthExtra[symbol]
    const length = lengthBase[symbol] + (buffer & ((1 << extra) - 1))
    buffer >>>= extra
    count -= extra
    while (count < 16) { buffer |= (pos < end ? input[pos] : 0) << count; pos++; count += 8 }
    entry = distTable[buffer & distMask]
    if (entry === 0) throw new InflateError('invalid Huffman code')
    buffer >>>= entry & 15
    count -= entry & 15
    symbol = entry >> 4
    if (symbol >= 30) throw new InflateError('invalid distance code')
    while (count < 16) { buffer |= (pos < end ? input[pos] : 0) << count; pos++; count += 8 }
    extra = distanceExtra[symbol]
    const back = distanceBase[symbol] + (buffer & ((1 << extra) - 1))
    buffer >>>= extra
    count -= extra
    if (back > at) throw new InflateError('distance reaches before the start of the output')
    // Byte by byte: a match may overlap the bytes it is producing (§3.2.3).
    const stop = Math.min(at + length, outputLength)
    while (at < stop) { out[at] = out[at - back]; at++ }
  }
  reader.buffer = buffer
  reader.count = count
  reader.at = pos
  reader.checkNotPastEnd()
  return at
}
