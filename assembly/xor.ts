// Kademlia XOR metric kernel (kad-dht spec, "Distance": d(a, b) = XOR(sha256(a), sha256(b)),
// compared as 256-bit big-endian unsigned integers).
//
// Calling convention (see assembly/sha256.ts): static regions exported as addresses,
// functions take only lengths, nothing is allocated at run time.
//
// The k-closest selection reads a column of 64-bit key prefixes rather than the 32-byte
// rows: the prefix is stored byte-swapped (as the big-endian integer it is), and because
// bswap(k ^ t) = bswap(k) ^ bswap(t), XOR with the swapped target prefix gives the
// distance's leading 64 bits directly. Rows are consulted only when two prefixes tie.
// One scan keeps the k best in a bounded max-heap; the SIMD build rejects 8 keys per
// branch while the heap's worst distance is below them.

/** Bytes per key: a sha256 digest. */
export const KEY_BYTES: i32 = 32;
/** Keys the table regions hold: 1<<17 (4 MiB of rows), far above a routing table of 256 buckets × k. */
export const MAX_KEYS: i32 = 1 << 17;

/** MAX_KEYS rows of KEY_BYTES, written by JS; index() must run over rows it changed. */
export const TABLE: usize = memory.data(MAX_KEYS * KEY_BYTES, 16);
/** One u64 per row: the row's first 8 bytes as a big-endian integer (derived by index()). */
export const PREFIXES: usize = memory.data(MAX_KEYS * 8, 16);
/** closest() writes the selected row indices here, nearest first, as u32. */
export const INDICES: usize = memory.data(MAX_KEYS * 4, 16);
/** The key closest() measures from. */
export const TARGET: usize = memory.data(KEY_BYTES, 16);
/** Operands of distance(), compare() and commonPrefixLength(). */
export const A: usize = memory.data(KEY_BYTES, 16);
export const B: usize = memory.data(KEY_BYTES, 16);
/** distance() writes A ⊕ B here. */
export const OUT: usize = memory.data(KEY_BYTES, 16);

const HEAP: usize = memory.data(MAX_KEYS * 4, 16);
const SIGN: u64 = 0x8000000000000000;

// @ts-ignore: decorator
@inline function row (i: u32): usize { return TABLE + (<usize>i << 5); }
// @ts-ignore: decorator
@inline function prefixOf (i: u32): u64 { return load<u64>(PREFIXES + (<usize>i << 3)); }

/**
 * Compares the full distances of the 32-byte keys at x and y to the key at t:
 * negative when x is nearer, 0 when equal, positive when farther.
 */
function compareAt (x: usize, y: usize, t: usize): i32 {
  if (ASC_FEATURE_SIMD) {
    const tv0 = v128.load(t), tv1 = v128.load(t, 16);
    const dx0 = v128.xor(v128.load(x), tv0), dy0 = v128.xor(v128.load(y), tv0);
    let same = i8x16.bitmask(i8x16.eq(dx0, dy0));
    let base: usize = 0;
    let dx = dx0, dy = dy0;
    if (same == 0xffff) {
      dx = v128.xor(v128.load(x, 16), tv1);
      dy = v128.xor(v128.load(y, 16), tv1);
      same = i8x16.bitmask(i8x16.eq(dx, dy));
      if (same == 0xffff) return 0;
      base = 16;
    }
    const at = <usize>ctz(~same);
    const bx = <i32>(load<u8>(x + base + at) ^ load<u8>(t + base + at));
    const by = <i32>(load<u8>(y + base + at) ^ load<u8>(t + base + at));
    return bx - by;
  } else {
    for (let w: usize = 0; w < 32; w += 8) {
      const tw = load<u64>(t + w);
      const dx = bswap(load<u64>(x + w) ^ tw), dy = bswap(load<u64>(y + w) ^ tw);
      if (dx != dy) return dx < dy ? -1 : 1;
    }
    return 0;
  }
}

/** Heap order: distance to TARGET, then row index (so equal keys select deterministically). */
// @ts-ignore: decorator
@inline function farther (i: u32, j: u32, t: u64): bool {
  const di = prefixOf(i) ^ t, dj = prefixOf(j) ^ t;
  if (di != dj) return di > dj;
  const c = compareAt(row(i), row(j), TARGET);
  return c != 0 ? c > 0 : i > j;
}

function siftDown (size: u32, t: u64): void {
  let at: u32 = 0;
  const item = load<u32>(HEAP);
  while (true) {
    const left = (at << 1) + 1;
    if (left >= size) break;
    let child = left;
    const right = left + 1;
    if (right < size && farther(load<u32>(HEAP + (<usize>right << 2)), load<u32>(HEAP + (<usize>left << 2)), t)) child = right;
    const c = load<u32>(HEAP + (<usize>child << 2));
    if (!farther(c, item, t)) break;
    store<u32>(HEAP + (<usize>at << 2), c);
    at = child;
  }
  store<u32>(HEAP + (<usize>at << 2), item);
}

function siftUp (at: u32, t: u64): void {
  const item = load<u32>(HEAP + (<usize>at << 2));
  while (at > 0) {
    const parent = (at - 1) >> 1;
    const p = load<u32>(HEAP + (<usize>parent << 2));
    if (!farther(item, p, t)) break;
    store<u32>(HEAP + (<usize>at << 2), p);
    at = parent;
  }
  store<u32>(HEAP + (<usize>at << 2), item);
}

/** Offers row i to the full heap; returns the heap's (possibly new) worst distance prefix. */
// @ts-ignore: decorator
@inline function offer (i: u32, k: u32, t: u64, worst: u64): u64 {
  const d = prefixOf(i) ^ t;
  if (d > worst) return worst;
  const root = load<u32>(HEAP);
  if (d == worst && !farther(root, i, t)) return worst;
  store<u32>(HEAP, i);
  siftDown(k, t);
  return prefixOf(load<u32>(HEAP)) ^ t;
}

/** Derives PREFIXES for rows [first, first + count). */
export function index (first: i32, count: i32): void {
  const end = <u32>(first + count);
  for (let i = <u32>first; i < end; i++) {
    store<u64>(PREFIXES + (<usize>i << 3), bswap(load<u64>(row(i))));
  }
}

/**
 * Selects the k rows of [0, n) nearest to TARGET and writes their indices to INDICES,
 * nearest first (ties in distance broken by lower index). Returns min(k, n).
 * PREFIXES must be current for [0, n).
 */
export function closest (n: i32, k: i32): i32 {
  if (k > n) k = n;
  if (k <= 0) return 0;
  const size = <u32>k;
  const t = bswap(load<u64>(TARGET));
  for (let i: u32 = 0; i < size; i++) {
    store<u32>(HEAP + (<usize>i << 2), i);
    siftUp(i, t);
  }
  let worst = prefixOf(load<u32>(HEAP)) ^ t;
  let i = size;
  const end = <u32>n;
  if (ASC_FEATURE_SIMD) {
    // Signed compares of sign-flipped values order like unsigned ones.
    const ts = i64x2.splat(<i64>(t ^ SIGN));
    while (i + 8 <= end) {
      const p = PREFIXES + (<usize>i << 3);
      const ws = i64x2.splat(<i64>(worst ^ SIGN));
      const m0 = i64x2.le_s(v128.xor(v128.load(p), ts), ws);
      const m1 = i64x2.le_s(v128.xor(v128.load(p, 16), ts), ws);
      const m2 = i64x2.le_s(v128.xor(v128.load(p, 32), ts), ws);
      const m3 = i64x2.le_s(v128.xor(v128.load(p, 48), ts), ws);
      if (v128.any_true(v128.or(v128.or(m0, m1), v128.or(m2, m3)))) {
        for (let j: u32 = 0; j < 8; j++) worst = offer(i + j, size, t, worst);
      }
      i += 8;
    }
  }
  for (; i < end; i++) worst = offer(i, size, t, worst);
  // Heap-sort the survivors into INDICES, nearest first.
  for (let left = size; left > 0; left--) {
    store<u32>(INDICES + (<usize>(left - 1) << 2), load<u32>(HEAP));
    if (left > 1) {
      store<u32>(HEAP, load<u32>(HEAP + (<usize>(left - 1) << 2)));
      siftDown(left - 1, t);
    }
  }
  return k;
}

/** OUT = A ⊕ B. */
export function distance (): void {
  if (ASC_FEATURE_SIMD) {
    v128.store(OUT, v128.xor(v128.load(A), v128.load(B)));
    v128.store(OUT, v128.xor(v128.load(A, 16), v128.load(B, 16)), 16);
  } else {
    for (let w: usize = 0; w < 32; w += 8) store<u64>(OUT + w, load<u64>(A + w) ^ load<u64>(B + w));
  }
}

/** Sign of d(A, TARGET) − d(B, TARGET): −1, 0 or 1. */
export function compare (): i32 {
  const c = compareAt(A, B, TARGET);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/** Leading equal bits of A and B (0–256): the k-bucket index counted from the far end. */
export function commonPrefixLength (): i32 {
  for (let w: usize = 0; w < 32; w += 8) {
    const x = load<u64>(A + w) ^ load<u64>(B + w);
    if (x != 0) return <i32>(w << 3) + <i32>clz(bswap(x));
  }
  return 256;
}
