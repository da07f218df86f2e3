/**
 * A DEFLATE decoder (RFC 1951), synchronous and runtime-neutral, for the
 * kernels build/build.js embeds compressed (see ./kernel.ts for why a
 * compressed embedding, and why this rather than `DecompressionStream`).
 *
 * A stream is a sequence of blocks (§3.2.3), each stored (§3.2.4), or
 * Huffman-coded with the fixed (§3.2.6) or transmitted (§3.2.7) codes, of
 * literals and <length, backward distance> pairs (§3.2.5). Huffman codes are
 * canonical (§3.2.2): the code lengths alone define them, so a table here is
 * a count of codes per length plus the symbols in code order; decoding reads
 * one bit at a time and walks the lengths. That is slower than a lookup table
 * but small, and the kernels are a few tens of KiB decoded once.
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

interface Huffman {
  /** counts[n]: how many codes are n bits long. */
  readonly counts: Uint16Array
  /** Symbols ordered by code (shorter codes first, then by symbol value). */
  readonly symbols: Uint16Array
}

function huffman (lengths: Uint8Array, n: number): Huffman {
  const counts = new Uint16Array(MAX_CODE_BITS + 1)
  for (let i = 0; i < n; i++) counts[lengths[i]]++
  counts[0] = 0
  const offsets = new Uint16Array(MAX_CODE_BITS + 2)
  for (let len = 1; len <= MAX_CODE_BITS; len++) offsets[len + 1] = offsets[len] + counts[len]
  const symbols = new Uint16Array(n)
  for (let i = 0; i < n; i++) if (lengths[i] !== 0) symbols[offsets[lengths[i]]++] = i
  return { counts, symbols }
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

class BitReader {
  #byte = 0
  #bit = 0
  #bitCount = 0
  constructor (private readonly input: Uint8Array) {}

  /** `n` bits, least significant first (§3.1.1). */
  bits (n: number): number {
    let value = this.#bit
    while (this.#bitCount < n) {
      if (this.#byte >= this.input.length) throw new InflateError('truncated DEFLATE stream')
      value |= this.input[this.#byte++] << this.#bitCount
      this.#bitCount += 8
    }
    this.#bit = value >>> n
    this.#bitCount -= n
    return value & ((1 << n) - 1)
  }

  /** Huffman codes are packed starting with their most significant bit (§3.1.1), hence one bit at a time. */
  decode (h: Huffman): number {
    let code = 0
    let first = 0
    let index = 0
    for (let len = 1; len <= MAX_CODE_BITS; len++) {
      code |= this.bits(1)
      const count = h.counts[len]
      if (code - first < count) return h.symbols[index + code - first]
      index += count
      first = (first + count) << 1
      code <<= 1
    }
    throw new InflateError('invalid Huffman code')
  }

  /** Stored blocks start on a byte boundary (§3.2.4). */
  alignedBytes (n: number): Uint8Array {
    this.#bit = 0
    this.#bitCount = 0
    if (this.#byte + n > this.input.length) throw new InflateError('truncated stored block')
    const out = this.input.subarray(this.#byte, this.#byte + n)
    this.#byte += n
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
    while (at < outputLength) {
      const symbol = reader.decode(litLen)
      if (symbol < 256) { out[at++] = symbol; continue }
      if (symbol === END_OF_BLOCK) break
      const lengthCode = symbol - 257
      if (lengthCode >= 29) throw new InflateError('invalid length code')
      const length = t.lengthBase[lengthCode] + reader.bits(t.lengthExtra[lengthCode])
      const distanceCode = reader.decode(distance)
      if (distanceCode >= 30) throw new InflateError('invalid distance code')
      const back = t.distanceBase[distanceCode] + reader.bits(t.distanceExtra[distanceCode])
      if (back > at) throw new InflateError('distance reaches before the start of the output')
      // Byte by byte: a match may overlap the bytes it is producing (§3.2.3).
      const end = Math.min(at + length, outputLength)
      for (; at < end; at++) out[at] = out[at - back]
    }
  }
  if (at !== outputLength) throw new InflateError(`DEFLATE stream ended after ${at} of ${outputLength} bytes`)
  return out
}
