// The SHA-256 compression function (FIPS 180-4 §6.2.2) for the SIMD build:
// the rounds are scalar (they are one long dependency chain), but the message
// schedule is computed four words at a time in v128 registers, four rounds
// ahead of its use. On x86 and ARM the vector units are separate from the
// integer ALUs the rounds saturate, so the schedule runs nearly for free.
//
// Each schedule step produces W[t..t+3] from the previous sixteen words held
// in four vectors x0..x3 (W[t-16..t-1]), and stores W + K for the rounds to
// load as one word each. (Extracting lanes instead of the store and loads
// measured the same.)

import { K, bigSigma0, bigSigma1, ch, maj } from './sha256-constants';

/** W[t] + K[t] for the 64 rounds of the block being compressed. */
const WK: usize = memory.data(256, 16);

/** Zeroes WK: after a MAC it holds the schedule of a block derived from the key. */
export function wipeSchedule(): void {
  for (let i: usize = 0; i < 256; i += 16) v128.store(WK + i, i32x4.splat(0));
}

/** The four big-endian words of a 16-byte load, in native (little-endian) order. */
// @ts-ignore: decorator
@inline export function bswapWords(v: v128): v128 {
  return i8x16.shuffle(v, v, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
}

// @ts-ignore: decorator
@inline function sigma0x4(x: v128): v128 {
  return v128.xor(
    v128.xor(v128.xor(i32x4.shr_u(x, 7), i32x4.shl(x, 25)), v128.xor(i32x4.shr_u(x, 18), i32x4.shl(x, 14))),
    i32x4.shr_u(x, 3));
}

/**
 * σ1 of the two words in 32-bit lanes `i` and `i + 1`: each is duplicated into
 * a 64-bit lane, where one 64-bit shift is a 32-bit rotation of its low half.
 * The results land in 32-bit lanes 0 and 2.
 */
// @ts-ignore: decorator
@inline function sigma1Pair(doubled: v128): v128 {
  return v128.xor(v128.xor(i64x2.shr_u(doubled, 17), i64x2.shr_u(doubled, 19)), i32x4.shr_u(doubled, 10));
}

/** W[t..t+3] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], given x0..x3 = W[t-16..t-1]. */
// @ts-ignore: decorator
@inline function schedule(x0: v128, x1: v128, x2: v128, x3: v128): v128 {
  const w15 = i8x16.shuffle(x0, x1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
  const w7 = i8x16.shuffle(x2, x3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
  let s = i32x4.add(i32x4.add(x0, w7), sigma0x4(w15));
  const zero = i32x4.splat(0);
  // W[t] and W[t+1] need σ1 of W[t-2], W[t-1]: lanes 2 and 3 of x3.
  const low = sigma1Pair(i8x16.shuffle(x3, x3, 8, 9, 10, 11, 8, 9, 10, 11, 12, 13, 14, 15, 12, 13, 14, 15));
  s = i32x4.add(s, i8x16.shuffle(low, zero, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23));
  // W[t+2] and W[t+3] need σ1 of W[t], W[t+1]: lanes 0 and 1 of s, now final.
  const high = sigma1Pair(i8x16.shuffle(s, s, 0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7));
  return i32x4.add(s, i8x16.shuffle(zero, high, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 24, 25, 26, 27));
}

/** Compresses `blocks` consecutive 64-byte blocks at `src` into the 8-word state at `state`. */
export function compressSimd(state: usize, src: usize, blocks: i32): void {
  let h0 = load<u32>(state, 0), h1 = load<u32>(state, 4), h2 = load<u32>(state, 8), h3 = load<u32>(state, 12);
  let h4 = load<u32>(state, 16), h5 = load<u32>(state, 20), h6 = load<u32>(state, 24), h7 = load<u32>(state, 28);
  for (let n = 0; n < blocks; n++, src += 64) {
    let x0 = bswapWords(v128.load(src, 0)), x1 = bswapWords(v128.load(src, 16));
    let x2 = bswapWords(v128.load(src, 32)), x3 = bswapWords(v128.load(src, 48));
    v128.store(WK, i32x4.add(x0, v128.load(K, 0)), 0);
    v128.store(WK, i32x4.add(x1, v128.load(K, 16)), 16);
    v128.store(WK, i32x4.add(x2, v128.load(K, 32)), 32);
    v128.store(WK, i32x4.add(x3, v128.load(K, 48)), 48);
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    let t: u32, x4: v128, x5: v128, q: u32, p = b ^ c;
    // Rounds 0..47, eight per pass, computing the schedule for rounds 16..63 four rounds ahead.
    for (let j: usize = 0; j < 192; j += 32) {
      x4 = schedule(x0, x1, x2, x3); v128.store(WK + j, i32x4.add(x4, v128.load(K + j, 64)), 64);
      t = h + bigSigma1(e) + ch(e, f, g) + load<u32>(WK + j, 0); d += t; q = a ^ b; h = t + bigSigma0(a) + (b ^ (q & p));
      t = g + bigSigma1(d) + ch(d, e, f) + load<u32>(WK + j, 4); c += t; p = h ^ a; g = t + bigSigma0(h) + (a ^ (p & q));
      t = f + bigSigma1(c) + ch(c, d, e) + load<u32>(WK + j, 8); b += t; q = g ^ h; f = t + bigSigma0(g) + (h ^ (q & p));
      t = e + bigSigma1(b) + ch(b, c, d) + load<u32>(WK + j, 12); a += t; p = f ^ g; e = t + bigSigma0(f) + (g ^ (p & q));
      x5 = schedule(x1, x2, x3, x4); v128.store(WK + j, i32x4.add(x5, v128.load(K + j, 80)), 80);
      t = d + bigSigma1(a) + ch(a, b, c) + load<u32>(WK + j, 16); h += t; q = e ^ f; d = t + bigSigma0(e) + (f ^ (q & p));
      t = c + bigSigma1(h) + ch(h, a, b) + load<u32>(WK + j, 20); g += t; p = d ^ e; c = t + bigSigma0(d) + (e ^ (p & q));
      t = b + bigSigma1(g) + ch(g, h, a) + load<u32>(WK + j, 24); f += t; q = c ^ d; b = t + bigSigma0(c) + (d ^ (q & p));
      t = a + bigSigma1(f) + ch(f, g, h) + load<u32>(WK + j, 28); e += t; p = b ^ c; a = t + bigSigma0(b) + (c ^ (p & q));
      x0 = x2; x1 = x3; x2 = x4; x3 = x5;
    }
    // Rounds 48..63: the schedule is complete.
    t = h + bigSigma1(e) + ch(e, f, g) + load<u32>(WK, 192); d += t; q = a ^ b; h = t + bigSigma0(a) + (b ^ (q & p));
    t = g + bigSigma1(d) + ch(d, e, f) + load<u32>(WK, 196); c += t; p = h ^ a; g = t + bigSigma0(h) + (a ^ (p & q));
    t = f + bigSigma1(c) + ch(c, d, e) + load<u32>(WK, 200); b += t; q = g ^ h; f = t + bigSigma0(g) + (h ^ (q & p));
    t = e + bigSigma1(b) + ch(b, c, d) + load<u32>(WK, 204); a += t; p = f ^ g; e = t + bigSigma0(f) + (g ^ (p & q));
    t = d + bigSigma1(a) + ch(a, b, c) + load<u32>(WK, 208); h += t; q = e ^ f; d = t + bigSigma0(e) + (f ^ (q & p));
    t = c + bigSigma1(h) + ch(h, a, b) + load<u32>(WK, 212); g += t; p = d ^ e; c = t + bigSigma0(d) + (e ^ (p & q));
    t = b + bigSigma1(g) + ch(g, h, a) + load<u32>(WK, 216); f += t; q = c ^ d; b = t + bigSigma0(c) + (d ^ (q & p));
    t = a + bigSigma1(f) + ch(f, g, h) + load<u32>(WK, 220); e += t; p = b ^ c; a = t + bigSigma0(b) + (c ^ (p & q));
    t = h + bigSigma1(e) + ch(e, f, g) + load<u32>(WK, 224); d += t; q = a ^ b; h = t + bigSigma0(a) + (b ^ (q & p));
    t = g + bigSigma1(d) + ch(d, e, f) + load<u32>(WK, 228); c += t; p = h ^ a; g = t + bigSigma0(h) + (a ^ (p & q));
    t = f + bigSigma1(c) + ch(c, d, e) + load<u32>(WK, 232); b += t; q = g ^ h; f = t + bigSigma0(g) + (h ^ (q & p));
    t = e + bigSigma1(b) + ch(b, c, d) + load<u32>(WK, 236); a += t; p = f ^ g; e = t + bigSigma0(f) + (g ^ (p & q));
    t = d + bigSigma1(a) + ch(a, b, c) + load<u32>(WK, 240); h += t; q = e ^ f; d = t + bigSigma0(e) + (f ^ (q & p));
    t = c + bigSigma1(h) + ch(h, a, b) + load<u32>(WK, 244); g += t; p = d ^ e; c = t + bigSigma0(d) + (e ^ (p & q));
    t = b + bigSigma1(g) + ch(g, h, a) + load<u32>(WK, 248); f += t; q = c ^ d; b = t + bigSigma0(c) + (d ^ (q & p));
    t = a + bigSigma1(f) + ch(f, g, h) + load<u32>(WK, 252); e += t; p = b ^ c; a = t + bigSigma0(b) + (c ^ (p & q));
    h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
  }
  store<u32>(state, h0, 0); store<u32>(state, h1, 4); store<u32>(state, h2, 8); store<u32>(state, h3, 12);
  store<u32>(state, h4, 16); store<u32>(state, h5, 20); store<u32>(state, h6, 24); store<u32>(state, h7, 28);
}
