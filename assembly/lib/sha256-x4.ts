// Four SHA-256 computations at once, one per 32-bit lane of v128 (SIMD build
// only). Four messages of equal length have the same number of blocks and the
// same padding layout, so one instruction stream serves all four: this is the
// batch path for Kademlia, which hashes many keys of one length.
//
// Each block's 16 words are gathered from the four messages with a 4×4
// transpose (whose first step also swaps bytes to big-endian), then the
// rounds run exactly as in sha256-scalar.ts with every u32 widened to a v128.
// The 16 schedule vectors stay in locals even though V8 spills some of them:
// an explicit 64-vector W array measured about 15% slower.

import { H0, K } from './sha256-constants';

/** Padded final blocks of the four messages: lane l at l · 128, up to two blocks each. */
const TAIL: usize = memory.data(4 * 128, 16);
/** The four final states, word-major (word i of lane l at i · 16 + l · 4). */
const STATE4: usize = memory.data(8 * 16, 16);

// @ts-ignore: decorator
@inline function rotr4(x: v128, n: i32): v128 { return v128.or(i32x4.shr_u(x, n), i32x4.shl(x, 32 - n)); }
// @ts-ignore: decorator
@inline function bigSigma0x4(x: v128): v128 { return v128.xor(v128.xor(rotr4(x, 2), rotr4(x, 13)), rotr4(x, 22)); }
// @ts-ignore: decorator
@inline function bigSigma1x4(x: v128): v128 { return v128.xor(v128.xor(rotr4(x, 6), rotr4(x, 11)), rotr4(x, 25)); }
// @ts-ignore: decorator
@inline function sigma0x4(x: v128): v128 { return v128.xor(v128.xor(rotr4(x, 7), rotr4(x, 18)), i32x4.shr_u(x, 3)); }
// @ts-ignore: decorator
@inline function sigma1x4(x: v128): v128 { return v128.xor(v128.xor(rotr4(x, 17), rotr4(x, 19)), i32x4.shr_u(x, 10)); }
// Ch(x, y, z) takes y where x is set, z elsewhere; Maj(x, y, z) is z where x and y differ, else x.
// @ts-ignore: decorator
@inline function ch4(x: v128, y: v128, z: v128): v128 { return v128.bitselect(y, z, x); }
// @ts-ignore: decorator
@inline function maj4(x: v128, y: v128, z: v128): v128 { return v128.bitselect(z, x, v128.xor(x, y)); }

// Transpose steps. pairLow/pairHigh interleave words 0,1 (or 2,3) of two rows, byte-swapping each;
// low64/high64 then join the halves of two such pairs into one word of all four lanes.
// @ts-ignore: decorator
@inline function pairLow(r: v128, s: v128): v128 { return i8x16.shuffle(r, s, 3, 2, 1, 0, 19, 18, 17, 16, 7, 6, 5, 4, 23, 22, 21, 20); }
// @ts-ignore: decorator
@inline function pairHigh(r: v128, s: v128): v128 { return i8x16.shuffle(r, s, 11, 10, 9, 8, 27, 26, 25, 24, 15, 14, 13, 12, 31, 30, 29, 28); }
// @ts-ignore: decorator
@inline function low64(x: v128, y: v128): v128 { return i8x16.shuffle(x, y, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23); }
// @ts-ignore: decorator
@inline function high64(x: v128, y: v128): v128 { return i8x16.shuffle(x, y, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31); }

/**
 * Digests of the four `len`-byte messages at src, src + len, src + 2·len,
 * src + 3·len, written end to end (128 bytes) at `dst`.
 */
export function digest4(src: usize, len: i32, dst: usize): void {
  const stride = <usize>len;
  const fullBlocks = len >> 6;
  const tail = len & 63;
  const tailBlocks = tail < 56 ? 1 : 2;
  // FIPS 180-4 §5.1.1: 0x80, zeros, then the bit length as a 64-bit big-endian integer.
  const bits = bswap(<u64>len << 3);
  for (let l: usize = 0; l < 4; l++) {
    const padded = TAIL + (l << 7);
    memory.copy(padded, src + l * stride + (<usize>fullBlocks << 6), tail);
    store<u8>(padded + tail, 0x80);
    memory.fill(padded + tail + 1, 0, (tailBlocks << 6) - tail - 9);
    store<u64>(padded + (tailBlocks << 6) - 8, bits);
  }

  let h0 = i32x4.splat(load<u32>(H0, 0)), h1 = i32x4.splat(load<u32>(H0, 4));
  let h2 = i32x4.splat(load<u32>(H0, 8)), h3 = i32x4.splat(load<u32>(H0, 12));
  let h4 = i32x4.splat(load<u32>(H0, 16)), h5 = i32x4.splat(load<u32>(H0, 20));
  let h6 = i32x4.splat(load<u32>(H0, 24)), h7 = i32x4.splat(load<u32>(H0, 28));
  const blocks = fullBlocks + tailBlocks;
  for (let n = 0; n < blocks; n++) {
    let p0: usize, p1: usize, p2: usize, p3: usize;
    if (n < fullBlocks) {
      p0 = src + (<usize>n << 6); p1 = p0 + stride; p2 = p1 + stride; p3 = p2 + stride;
    } else {
      p0 = TAIL + (<usize>(n - fullBlocks) << 6); p1 = p0 + 128; p2 = p1 + 128; p3 = p2 + 128;
    }
    let r0 = v128.load(p0, 0), r1 = v128.load(p1, 0), r2 = v128.load(p2, 0), r3 = v128.load(p3, 0);
    let u0 = pairLow(r0, r1), u1 = pairHigh(r0, r1), u2 = pairLow(r2, r3), u3 = pairHigh(r2, r3);
    let w0 = low64(u0, u2), w1 = high64(u0, u2), w2 = low64(u1, u3), w3 = high64(u1, u3);
    r0 = v128.load(p0, 16); r1 = v128.load(p1, 16); r2 = v128.load(p2, 16); r3 = v128.load(p3, 16);
    u0 = pairLow(r0, r1); u1 = pairHigh(r0, r1); u2 = pairLow(r2, r3); u3 = pairHigh(r2, r3);
    let w4 = low64(u0, u2), w5 = high64(u0, u2), w6 = low64(u1, u3), w7 = high64(u1, u3);
    r0 = v128.load(p0, 32); r1 = v128.load(p1, 32); r2 = v128.load(p2, 32); r3 = v128.load(p3, 32);
    u0 = pairLow(r0, r1); u1 = pairHigh(r0, r1); u2 = pairLow(r2, r3); u3 = pairHigh(r2, r3);
    let w8 = low64(u0, u2), w9 = high64(u0, u2), w10 = low64(u1, u3), w11 = high64(u1, u3);
    r0 = v128.load(p0, 48); r1 = v128.load(p1, 48); r2 = v128.load(p2, 48); r3 = v128.load(p3, 48);
    u0 = pairLow(r0, r1); u1 = pairHigh(r0, r1); u2 = pairLow(r2, r3); u3 = pairHigh(r2, r3);
    let w12 = low64(u0, u2), w13 = high64(u0, u2), w14 = low64(u1, u3), w15 = high64(u1, u3);

    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    let t: v128;
    t = i32x4.add(i32x4.add(h, bigSigma1x4(e)), i32x4.add(ch4(e, f, g), i32x4.add(v128.load32_splat(K, 0), w0))); d = i32x4.add(d, t); h = i32x4.add(i32x4.add(t, bigSigma0x4(a)), maj4(a, b, c));
    t = i32x4.add(i32x4.add(g, bigSigma1x4(d)), i32x4.add(ch4(d, e, f), i32x4.add(v128.load32_splat(K, 4), w1))); c = i32x4.add(c, t); g = i32x4.add(i32x4.add(t, bigSigma0x4(h)), maj4(h, a, b));
    t = i32x4.add(i32x4.add(f, bigSigma1x4(c)), i32x4.add(ch4(c, d, e), i32x4.add(v128.load32_splat(K, 8), w2))); b = i32x4.add(b, t); f = i32x4.add(i32x4.add(t, bigSigma0x4(g)), maj4(g, h, a));
    t = i32x4.add(i32x4.add(e, bigSigma1x4(b)), i32x4.add(ch4(b, c, d), i32x4.add(v128.load32_splat(K, 12), w3))); a = i32x4.add(a, t); e = i32x4.add(i32x4.add(t, bigSigma0x4(f)), maj4(f, g, h));
    t = i32x4.add(i32x4.add(d, bigSigma1x4(a)), i32x4.add(ch4(a, b, c), i32x4.add(v128.load32_splat(K, 16), w4))); h = i32x4.add(h, t); d = i32x4.add(i32x4.add(t, bigSigma0x4(e)), maj4(e, f, g));
    t = i32x4.add(i32x4.add(c, bigSigma1x4(h)), i32x4.add(ch4(h, a, b), i32x4.add(v128.load32_splat(K, 20), w5))); g = i32x4.add(g, t); c = i32x4.add(i32x4.add(t, bigSigma0x4(d)), maj4(d, e, f));
    t = i32x4.add(i32x4.add(b, bigSigma1x4(g)), i32x4.add(ch4(g, h, a), i32x4.add(v128.load32_splat(K, 24), w6))); f = i32x4.add(f, t); b = i32x4.add(i32x4.add(t, bigSigma0x4(c)), maj4(c, d, e));
    t = i32x4.add(i32x4.add(a, bigSigma1x4(f)), i32x4.add(ch4(f, g, h), i32x4.add(v128.load32_splat(K, 28), w7))); e = i32x4.add(e, t); a = i32x4.add(i32x4.add(t, bigSigma0x4(b)), maj4(b, c, d));
    t = i32x4.add(i32x4.add(h, bigSigma1x4(e)), i32x4.add(ch4(e, f, g), i32x4.add(v128.load32_splat(K, 32), w8))); d = i32x4.add(d, t); h = i32x4.add(i32x4.add(t, bigSigma0x4(a)), maj4(a, b, c));
    t = i32x4.add(i32x4.add(g, bigSigma1x4(d)), i32x4.add(ch4(d, e, f), i32x4.add(v128.load32_splat(K, 36), w9))); c = i32x4.add(c, t); g = i32x4.add(i32x4.add(t, bigSigma0x4(h)), maj4(h, a, b));
    t = i32x4.add(i32x4.add(f, bigSigma1x4(c)), i32x4.add(ch4(c, d, e), i32x4.add(v128.load32_splat(K, 40), w10))); b = i32x4.add(b, t); f = i32x4.add(i32x4.add(t, bigSigma0x4(g)), maj4(g, h, a));
    t = i32x4.add(i32x4.add(e, bigSigma1x4(b)), i32x4.add(ch4(b, c, d), i32x4.add(v128.load32_splat(K, 44), w11))); a = i32x4.add(a, t); e = i32x4.add(i32x4.add(t, bigSigma0x4(f)), maj4(f, g, h));
    t = i32x4.add(i32x4.add(d, bigSigma1x4(a)), i32x4.add(ch4(a, b, c), i32x4.add(v128.load32_splat(K, 48), w12))); h = i32x4.add(h, t); d = i32x4.add(i32x4.add(t, bigSigma0x4(e)), maj4(e, f, g));
    t = i32x4.add(i32x4.add(c, bigSigma1x4(h)), i32x4.add(ch4(h, a, b), i32x4.add(v128.load32_splat(K, 52), w13))); g = i32x4.add(g, t); c = i32x4.add(i32x4.add(t, bigSigma0x4(d)), maj4(d, e, f));
    t = i32x4.add(i32x4.add(b, bigSigma1x4(g)), i32x4.add(ch4(g, h, a), i32x4.add(v128.load32_splat(K, 56), w14))); f = i32x4.add(f, t); b = i32x4.add(i32x4.add(t, bigSigma0x4(c)), maj4(c, d, e));
    t = i32x4.add(i32x4.add(a, bigSigma1x4(f)), i32x4.add(ch4(f, g, h), i32x4.add(v128.load32_splat(K, 60), w15))); e = i32x4.add(e, t); a = i32x4.add(i32x4.add(t, bigSigma0x4(b)), maj4(b, c, d));
    for (let k = K + 64; k < K + 256; k += 64) {
      w0 = i32x4.add(i32x4.add(w0, sigma1x4(w14)), i32x4.add(w9, sigma0x4(w1)));
      t = i32x4.add(i32x4.add(h, bigSigma1x4(e)), i32x4.add(ch4(e, f, g), i32x4.add(v128.load32_splat(k, 0), w0))); d = i32x4.add(d, t); h = i32x4.add(i32x4.add(t, bigSigma0x4(a)), maj4(a, b, c));
      w1 = i32x4.add(i32x4.add(w1, sigma1x4(w15)), i32x4.add(w10, sigma0x4(w2)));
      t = i32x4.add(i32x4.add(g, bigSigma1x4(d)), i32x4.add(ch4(d, e, f), i32x4.add(v128.load32_splat(k, 4), w1))); c = i32x4.add(c, t); g = i32x4.add(i32x4.add(t, bigSigma0x4(h)), maj4(h, a, b));
      w2 = i32x4.add(i32x4.add(w2, sigma1x4(w0)), i32x4.add(w11, sigma0x4(w3)));
      t = i32x4.add(i32x4.add(f, bigSigma1x4(c)), i32x4.add(ch4(c, d, e), i32x4.add(v128.load32_splat(k, 8), w2))); b = i32x4.add(b, t); f = i32x4.add(i32x4.add(t, bigSigma0x4(g)), maj4(g, h, a));
      w3 = i32x4.add(i32x4.add(w3, sigma1x4(w1)), i32x4.add(w12, sigma0x4(w4)));
      t = i32x4.add(i32x4.add(e, bigSigma1x4(b)), i32x4.add(ch4(b, c, d), i32x4.add(v128.load32_splat(k, 12), w3))); a = i32x4.add(a, t); e = i32x4.add(i32x4.add(t, bigSigma0x4(f)), maj4(f, g, h));
      w4 = i32x4.add(i32x4.add(w4, sigma1x4(w2)), i32x4.add(w13, sigma0x4(w5)));
      t = i32x4.add(i32x4.add(d, bigSigma1x4(a)), i32x4.add(ch4(a, b, c), i32x4.add(v128.load32_splat(k, 16), w4))); h = i32x4.add(h, t); d = i32x4.add(i32x4.add(t, bigSigma0x4(e)), maj4(e, f, g));
      w5 = i32x4.add(i32x4.add(w5, sigma1x4(w3)), i32x4.add(w14, sigma0x4(w6)));
      t = i32x4.add(i32x4.add(c, bigSigma1x4(h)), i32x4.add(ch4(h, a, b), i32x4.add(v128.load32_splat(k, 20), w5))); g = i32x4.add(g, t); c = i32x4.add(i32x4.add(t, bigSigma0x4(d)), maj4(d, e, f));
      w6 = i32x4.add(i32x4.add(w6, sigma1x4(w4)), i32x4.add(w15, sigma0x4(w7)));
      t = i32x4.add(i32x4.add(b, bigSigma1x4(g)), i32x4.add(ch4(g, h, a), i32x4.add(v128.load32_splat(k, 24), w6))); f = i32x4.add(f, t); b = i32x4.add(i32x4.add(t, bigSigma0x4(c)), maj4(c, d, e));
      w7 = i32x4.add(i32x4.add(w7, sigma1x4(w5)), i32x4.add(w0, sigma0x4(w8)));
      t = i32x4.add(i32x4.add(a, bigSigma1x4(f)), i32x4.add(ch4(f, g, h), i32x4.add(v128.load32_splat(k, 28), w7))); e = i32x4.add(e, t); a = i32x4.add(i32x4.add(t, bigSigma0x4(b)), maj4(b, c, d));
      w8 = i32x4.add(i32x4.add(w8, sigma1x4(w6)), i32x4.add(w1, sigma0x4(w9)));
      t = i32x4.add(i32x4.add(h, bigSigma1x4(e)), i32x4.add(ch4(e, f, g), i32x4.add(v128.load32_splat(k, 32), w8))); d = i32x4.add(d, t); h = i32x4.add(i32x4.add(t, bigSigma0x4(a)), maj4(a, b, c));
      w9 = i32x4.add(i32x4.add(w9, sigma1x4(w7)), i32x4.add(w2, sigma0x4(w10)));
      t = i32x4.add(i32x4.add(g, bigSigma1x4(d)), i32x4.add(ch4(d, e, f), i32x4.add(v128.load32_splat(k, 36), w9))); c = i32x4.add(c, t); g = i32x4.add(i32x4.add(t, bigSigma0x4(h)), maj4(h, a, b));
      w10 = i32x4.add(i32x4.add(w10, sigma1x4(w8)), i32x4.add(w3, sigma0x4(w11)));
      t = i32x4.add(i32x4.add(f, bigSigma1x4(c)), i32x4.add(ch4(c, d, e), i32x4.add(v128.load32_splat(k, 40), w10))); b = i32x4.add(b, t); f = i32x4.add(i32x4.add(t, bigSigma0x4(g)), maj4(g, h, a));
      w11 = i32x4.add(i32x4.add(w11, sigma1x4(w9)), i32x4.add(w4, sigma0x4(w12)));
      t = i32x4.add(i32x4.add(e, bigSigma1x4(b)), i32x4.add(ch4(b, c, d), i32x4.add(v128.load32_splat(k, 44), w11))); a = i32x4.add(a, t); e = i32x4.add(i32x4.add(t, bigSigma0x4(f)), maj4(f, g, h));
      w12 = i32x4.add(i32x4.add(w12, sigma1x4(w10)), i32x4.add(w5, sigma0x4(w13)));
      t = i32x4.add(i32x4.add(d, bigSigma1x4(a)), i32x4.add(ch4(a, b, c), i32x4.add(v128.load32_splat(k, 48), w12))); h = i32x4.add(h, t); d = i32x4.add(i32x4.add(t, bigSigma0x4(e)), maj4(e, f, g));
      w13 = i32x4.add(i32x4.add(w13, sigma1x4(w11)), i32x4.add(w6, sigma0x4(w14)));
      t = i32x4.add(i32x4.add(c, bigSigma1x4(h)), i32x4.add(ch4(h, a, b), i32x4.add(v128.load32_splat(k, 52), w13))); g = i32x4.add(g, t); c = i32x4.add(i32x4.add(t, bigSigma0x4(d)), maj4(d, e, f));
      w14 = i32x4.add(i32x4.add(w14, sigma1x4(w12)), i32x4.add(w7, sigma0x4(w15)));
      t = i32x4.add(i32x4.add(b, bigSigma1x4(g)), i32x4.add(ch4(g, h, a), i32x4.add(v128.load32_splat(k, 56), w14))); f = i32x4.add(f, t); b = i32x4.add(i32x4.add(t, bigSigma0x4(c)), maj4(c, d, e));
      w15 = i32x4.add(i32x4.add(w15, sigma1x4(w13)), i32x4.add(w8, sigma0x4(w0)));
      t = i32x4.add(i32x4.add(a, bigSigma1x4(f)), i32x4.add(ch4(f, g, h), i32x4.add(v128.load32_splat(k, 60), w15))); e = i32x4.add(e, t); a = i32x4.add(i32x4.add(t, bigSigma0x4(b)), maj4(b, c, d));
    }
    h0 = i32x4.add(h0, a); h1 = i32x4.add(h1, b); h2 = i32x4.add(h2, c); h3 = i32x4.add(h3, d);
    h4 = i32x4.add(h4, e); h5 = i32x4.add(h5, f); h6 = i32x4.add(h6, g); h7 = i32x4.add(h7, h);
  }

  v128.store(STATE4, h0, 0); v128.store(STATE4, h1, 16); v128.store(STATE4, h2, 32); v128.store(STATE4, h3, 48);
  v128.store(STATE4, h4, 64); v128.store(STATE4, h5, 80); v128.store(STATE4, h6, 96); v128.store(STATE4, h7, 112);
  for (let l: usize = 0; l < 4; l++) {
    for (let i: usize = 0; i < 8; i++) {
      store<u32>(dst + (l << 5) + (i << 2), bswap(load<u32>(STATE4 + (i << 4) + (l << 2))));
    }
  }
}
