// A DEFLATE decoder (RFC 1951, /work/shared/specs is silent on it; the RFC is the spec) for the
// kernels build/build.js embeds compressed. It is the loader's bootstrap, not a kernel: built
// once (asconfig.json target `bootstrap`: scalar, for size), embedded as plain base64, small enough
// for a browser's main thread to compile synchronously (< 4 KiB). See src/wasm/inflate.ts.
//
// A stream is a sequence of blocks (§3.2.3), each stored (§3.2.4), or Huffman-coded with the
// fixed (§3.2.6) or transmitted (§3.2.7) codes, of literals and <length, backward distance>
// pairs (§3.2.5). Huffman codes are canonical (§3.2.2): the code lengths alone define them.
// Each code becomes a lookup table indexed by the next `bits` input bits (codes arrive most
// significant bit first inside an LSB-first stream, §3.1.1, so entries sit at the bit-reversed
// code): one load per symbol. Entry = symbol << 4 | code length; 0 where no code starts.
//
// The JS side copies the stream into INPUT and calls inflate(inputLength, outputLength) once;
// the result is OUTPUT[0..outputLength), or a negative error code. Output never exceeds
// outputLength, every read is bounded by inputLength (zero bytes past it may be peeked at,
// never consumed), and every loop advances or fails.

/** Largest compressed stream per call (the biggest kernel stream is under 8 KiB). */
export const INPUT_CAPACITY: i32 = 65536;
/** Largest output per call (the biggest kernel pair is under 32 KiB). */
export const OUTPUT_CAPACITY: i32 = 131072;

export const INPUT: usize = memory.data(INPUT_CAPACITY, 16);
export const OUTPUT: usize = memory.data(OUTPUT_CAPACITY, 16);

export const ERROR_TRUNCATED: i32 = -1;
export const ERROR_BAD_CODE: i32 = -2;
export const ERROR_BAD_BLOCK: i32 = -3;
export const ERROR_BAD_DISTANCE: i32 = -4;
export const ERROR_CAPACITY: i32 = -5;

/** The longest Huffman code DEFLATE allows (§3.2.7). */
const MAX_CODE_BITS: i32 = 15;
const END_OF_BLOCK: i32 = 256;

const LIT_TABLE: usize = memory.data(2 << MAX_CODE_BITS, 16);
const DIST_TABLE: usize = memory.data(2 << MAX_CODE_BITS, 16);
const CODE_LENGTH_TABLE: usize = memory.data(2 << 7, 16);
/** Code lengths of one dynamic block: up to 286 literal/length and 30 distance codes (§3.2.7). */
const LENGTHS: usize = memory.data(320, 16);
const COUNTS: usize = memory.data(2 * (MAX_CODE_BITS + 2), 16);
const NEXT: usize = memory.data(2 * (MAX_CODE_BITS + 2), 16);
/** Base value and extra bits of each length (257–285) and distance (0–29) code (§3.2.5). */
const LENGTH_BASE: usize = memory.data(2 * 29, 16);
const LENGTH_EXTRA: usize = memory.data(29, 16);
const DISTANCE_BASE: usize = memory.data(2 * 30, 16);
const DISTANCE_EXTRA: usize = memory.data(30, 16);
/** The order in which code-length code lengths are transmitted (§3.2.7). */
const CODE_LENGTH_ORDER: usize = memory.data<u8>([16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]);

let inputLength: i32 = 0;
let pos: i32 = 0;
let buffer: u32 = 0;
let count: i32 = 0;
let litBits: i32 = 0;
let distBits: i32 = 0;

/** At least 16 bits in the buffer (at most 23: enough for any code or extra bits). */
function refill(): void {
  while (count < 16) {
    const byte: u32 = pos < inputLength ? <u32>load<u8>(INPUT + <usize>pos) : 0;
    buffer |= byte << <u32>count;
    pos++;
    count += 8;
  }
}

/** True when bits past the end of the input have been consumed. */
function pastEnd(): bool {
  return pos > inputLength && count < (pos - inputLength) << 3;
}

function take(n: i32): u32 {
  refill();
  const value = buffer & ((<u32>1 << <u32>n) - 1);
  buffer >>>= <u32>n;
  count -= n;
  return value;
}

/** Decodes one symbol with `table` of `bits`; -1 for a bit pattern that starts no code. */
function decode(table: usize, bits: i32): i32 {
  refill();
  const entry = <i32>load<u16>(table + (<usize>(buffer & ((<u32>1 << <u32>bits) - 1)) << 1));
  if (entry == 0) return -1;
  buffer >>>= <u32>(entry & 15);
  count -= entry & 15;
  return entry >> 4;
}

/** Canonical codes from `n` code lengths at `lengths` (§3.2.2) into `table`; returns its index bits, or -1 if over-subscribed. */
function build(lengths: usize, n: i32, table: usize): i32 {
  memory.fill(COUNTS, 0, 2 * (MAX_CODE_BITS + 2));
  let bits: i32 = 1;
  for (let i = 0; i < n; i++) {
    const len = <i32>load<u8>(lengths + <usize>i);
    store<u16>(COUNTS + (<usize>len << 1), load<u16>(COUNTS + (<usize>len << 1)) + 1);
    if (len > bits) bits = len;
  }
  let code: i32 = 0;
  for (let len = 1; len <= MAX_CODE_BITS; len++) {
    code = (code + (len == 1 ? 0 : <i32>load<u16>(COUNTS + (<usize>(len - 1) << 1)))) << 1;
    store<u16>(NEXT + (<usize>len << 1), <u16>code);
  }
  const size: i32 = 1 << bits;
  memory.fill(table, 0, <usize>size << 1);
  for (let symbol = 0; symbol < n; symbol++) {
    const len = <i32>load<u8>(lengths + <usize>symbol);
    if (len == 0) continue;
    const at = NEXT + (<usize>len << 1);
    const next = <i32>load<u16>(at);
    store<u16>(at, <u16>(next + 1));
    if (next >= 1 << len) return -1;
    let reversed: i32 = 0;
    for (let i = 0; i < len; i++) reversed |= ((next >> i) & 1) << (len - 1 - i);
    const entry = <u16>((symbol << 4) | len);
    for (let j = reversed; j < size; j += 1 << len) store<u16>(table + (<usize>j << 1), entry);
  }
  return bits;
}

/** The §3.2.5 tables follow a pattern (extra bits grow by one every 4 lengths / 2 distances). */
function buildBaseTables(): void {
  let base: i32 = 3;
  for (let i = 0; i < 28; i++) {
    const extra = i < 8 ? 0 : (i >> 2) - 1;
    store<u8>(LENGTH_EXTRA + <usize>i, <u8>extra);
    store<u16>(LENGTH_BASE + (<usize>i << 1), <u16>base);
    base += 1 << extra;
  }
  store<u8>(LENGTH_EXTRA + 28, 0);
  store<u16>(LENGTH_BASE + 56, 258); // code 285 is 258 with no extra bits, not the pattern's 227 + 32
  base = 1;
  for (let i = 0; i < 30; i++) {
    const extra = i < 4 ? 0 : (i >> 1) - 1;
    store<u8>(DISTANCE_EXTRA + <usize>i, <u8>extra);
    store<u16>(DISTANCE_BASE + (<usize>i << 1), <u16>base);
    base += 1 << extra;
  }
}

function fixedTables(): i32 {
  memory.fill(LENGTHS, 8, 144);
  memory.fill(LENGTHS + 144, 9, 112);
  memory.fill(LENGTHS + 256, 7, 24);
  memory.fill(LENGTHS + 280, 8, 8);
  litBits = build(LENGTHS, 288, LIT_TABLE);
  memory.fill(LENGTHS, 5, 32);
  distBits = build(LENGTHS, 32, DIST_TABLE);
  return 0;
}

function dynamicTables(): i32 {
  const litCount = <i32>take(5) + 257;
  const distCount = <i32>take(5) + 1;
  const codeLengthCount = <i32>take(4) + 4;
  if (litCount > 286 || distCount > 30) return ERROR_BAD_BLOCK;
  memory.fill(LENGTHS, 0, 19);
  for (let i = 0; i < codeLengthCount; i++) {
    store<u8>(LENGTHS + <usize>load<u8>(CODE_LENGTH_ORDER + <usize>i), <u8>take(3));
  }
  const codeLengthBits = build(LENGTHS, 19, CODE_LENGTH_TABLE);
  if (codeLengthBits < 0) return ERROR_BAD_CODE;
  const total = litCount + distCount;
  for (let i = 0; i < total;) {
    const symbol = decode(CODE_LENGTH_TABLE, codeLengthBits);
    if (symbol < 0) return ERROR_BAD_CODE;
    if (symbol < 16) { store<u8>(LENGTHS + <usize>i, <u8>symbol); i++; continue; }
    let repeat: i32;
    let value: u8 = 0;
    if (symbol == 16) {
      if (i == 0) return ERROR_BAD_CODE;
      value = load<u8>(LENGTHS + <usize>(i - 1));
      repeat = 3 + <i32>take(2);
    } else if (symbol == 17) repeat = 3 + <i32>take(3);
    else repeat = 11 + <i32>take(7);
    if (i + repeat > total) return ERROR_BAD_CODE;
    memory.fill(LENGTHS + <usize>i, value, <usize>repeat);
    i += repeat;
  }
  if (pastEnd()) return ERROR_TRUNCATED;
  if (load<u8>(LENGTHS + <usize>END_OF_BLOCK) == 0) return ERROR_BAD_CODE;
  litBits = build(LENGTHS, litCount, LIT_TABLE);
  distBits = build(LENGTHS + <usize>litCount, distCount, DIST_TABLE);
  if (litBits < 0 || distBits < 0) return ERROR_BAD_CODE;
  return 0;
}

/** One Huffman-coded block's symbols into OUTPUT from `at`; returns the new end, or an error code. */
function huffmanBlock(at: i32, outputLength: i32): i32 {
  while (at < outputLength) {
    let symbol = decode(LIT_TABLE, litBits);
    if (symbol < 0) return ERROR_BAD_CODE;
    if (symbol < 256) { store<u8>(OUTPUT + <usize>at, <u8>symbol); at++; continue; }
    if (symbol == END_OF_BLOCK) break;
    symbol -= 257;
    if (symbol >= 29) return ERROR_BAD_CODE;
    const length = <i32>load<u16>(LENGTH_BASE + (<usize>symbol << 1)) + <i32>take(<i32>load<u8>(LENGTH_EXTRA + <usize>symbol));
    const d = decode(DIST_TABLE, distBits);
    if (d < 0 || d >= 30) return ERROR_BAD_CODE;
    const back = <i32>load<u16>(DISTANCE_BASE + (<usize>d << 1)) + <i32>take(<i32>load<u8>(DISTANCE_EXTRA + <usize>d));
    if (back > at) return ERROR_BAD_DISTANCE;
    const stop = min(at + length, outputLength);
    // Byte by byte: a match may overlap the bytes it is producing (§3.2.3).
    for (; at < stop; at++) store<u8>(OUTPUT + <usize>at, load<u8>(OUTPUT + <usize>(at - back)));
    if (pastEnd()) return ERROR_TRUNCATED;
  }
  return pastEnd() ? ERROR_TRUNCATED : at;
}

/**
 * Decodes the raw DEFLATE stream in INPUT[0..length) into exactly `outputLength` bytes of
 * OUTPUT, stopping as soon as they are produced. Returns outputLength, or a negative error.
 */
export function inflate(length: i32, outputLength: i32): i32 {
  if (length < 0 || length > INPUT_CAPACITY || outputLength < 0 || outputLength > OUTPUT_CAPACITY) return ERROR_CAPACITY;
  inputLength = length;
  pos = 0;
  buffer = 0;
  count = 0;
  buildBaseTables();
  let at: i32 = 0;
  let final: u32 = 0;
  while (final == 0 && at < outputLength) {
    final = take(1);
    const type = take(2);
    if (pastEnd()) return ERROR_TRUNCATED;
    if (type == 0) {
      // Stored (§3.2.4): drop to the byte boundary, giving back the whole bytes still buffered.
      pos -= count >> 3;
      buffer = 0;
      count = 0;
      if (pos + 4 > inputLength) return ERROR_TRUNCATED;
      const len = <i32>load<u16>(INPUT + <usize>pos);
      const nlen = <i32>load<u16>(INPUT + <usize>pos, 2);
      if ((len ^ nlen) != 0xffff) return ERROR_BAD_BLOCK;
      pos += 4;
      if (pos + len > inputLength) return ERROR_TRUNCATED;
      const n = min(len, outputLength - at);
      memory.copy(OUTPUT + <usize>at, INPUT + <usize>pos, <usize>n);
      at += n;
      pos += len;
      continue;
    }
    if (type == 3) return ERROR_BAD_BLOCK;
    const tables = type == 1 ? fixedTables() : dynamicTables();
    if (tables < 0) return tables;
    at = huffmanBlock(at, outputLength);
    if (at < 0) return at;
  }
  return at == outputLength ? at : ERROR_TRUNCATED;
}
