// The SHA-256 compression function (FIPS 180-4 §6.2.2) on one lane, scalar.
//
// All 64 rounds are written out with the working variables renamed instead of
// shifted (round i+1 uses round i's names rotated by one), and the message
// schedule lives in 16 locals that are overwritten in place as W[t-16] falls
// out of use: no W array, so the only memory traffic is the block and K.
// (Measured in V8 on x86-64: a 64-word W array filled before the rounds ran at
// about three quarters of this speed; spills of these locals are cheaper.)

import { K, bigSigma0, bigSigma1, ch, maj, sigma0, sigma1 } from './sha256-constants';

/** Compresses `blocks` consecutive 64-byte blocks at `src` into the 8-word state at `state`. */
export function compressScalar(state: usize, src: usize, blocks: i32): void {
  let h0 = load<u32>(state, 0), h1 = load<u32>(state, 4), h2 = load<u32>(state, 8), h3 = load<u32>(state, 12);
  let h4 = load<u32>(state, 16), h5 = load<u32>(state, 20), h6 = load<u32>(state, 24), h7 = load<u32>(state, 28);
  for (let n = 0; n < blocks; n++, src += 64) {
    let w0 = bswap(load<u32>(src, 0)), w1 = bswap(load<u32>(src, 4)), w2 = bswap(load<u32>(src, 8)), w3 = bswap(load<u32>(src, 12));
    let w4 = bswap(load<u32>(src, 16)), w5 = bswap(load<u32>(src, 20)), w6 = bswap(load<u32>(src, 24)), w7 = bswap(load<u32>(src, 28));
    let w8 = bswap(load<u32>(src, 32)), w9 = bswap(load<u32>(src, 36)), w10 = bswap(load<u32>(src, 40)), w11 = bswap(load<u32>(src, 44));
    let w12 = bswap(load<u32>(src, 48)), w13 = bswap(load<u32>(src, 52)), w14 = bswap(load<u32>(src, 56)), w15 = bswap(load<u32>(src, 60));
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    let t: u32, q: u32, p = b ^ c;
    t = h + bigSigma1(e) + ch(e, f, g) + load<u32>(K, 0) + w0; d += t; q = a ^ b; h = t + bigSigma0(a) + (b ^ (q & p));
    t = g + bigSigma1(d) + ch(d, e, f) + load<u32>(K, 4) + w1; c += t; p = h ^ a; g = t + bigSigma0(h) + (a ^ (p & q));
    t = f + bigSigma1(c) + ch(c, d, e) + load<u32>(K, 8) + w2; b += t; q = g ^ h; f = t + bigSigma0(g) + (h ^ (q & p));
    t = e + bigSigma1(b) + ch(b, c, d) + load<u32>(K, 12) + w3; a += t; p = f ^ g; e = t + bigSigma0(f) + (g ^ (p & q));
    t = d + bigSigma1(a) + ch(a, b, c) + load<u32>(K, 16) + w4; h += t; q = e ^ f; d = t + bigSigma0(e) + (f ^ (q & p));
    t = c + bigSigma1(h) + ch(h, a, b) + load<u32>(K, 20) + w5; g += t; p = d ^ e; c = t + bigSigma0(d) + (e ^ (p & q));
    t = b + bigSigma1(g) + ch(g, h, a) + load<u32>(K, 24) + w6; f += t; q = c ^ d; b = t + bigSigma0(c) + (d ^ (q & p));
    t = a + bigSigma1(f) + ch(f, g, h) + load<u32>(K, 28) + w7; e += t; p = b ^ c; a = t + bigSigma0(b) + (c ^ (p & q));
    t = h + bigSigma1(e) + ch(e, f, g) + load<u32>(K, 32) + w8; d += t; q = a ^ b; h = t + bigSigma0(a) + (b ^ (q & p));
    t = g + bigSigma1(d) + ch(d, e, f) + load<u32>(K, 36) + w9; c += t; p = h ^ a; g = t + bigSigma0(h) + (a ^ (p & q));
    t = f + bigSigma1(c) + ch(c, d, e) + load<u32>(K, 40) + w10; b += t; q = g ^ h; f = t + bigSigma0(g) + (h ^ (q & p));
    t = e + bigSigma1(b) + ch(b, c, d) + load<u32>(K, 44) + w11; a += t; p = f ^ g; e = t + bigSigma0(f) + (g ^ (p & q));
    t = d + bigSigma1(a) + ch(a, b, c) + load<u32>(K, 48) + w12; h += t; q = e ^ f; d = t + bigSigma0(e) + (f ^ (q & p));
    t = c + bigSigma1(h) + ch(h, a, b) + load<u32>(K, 52) + w13; g += t; p = d ^ e; c = t + bigSigma0(d) + (e ^ (p & q));
    t = b + bigSigma1(g) + ch(g, h, a) + load<u32>(K, 56) + w14; f += t; q = c ^ d; b = t + bigSigma0(c) + (d ^ (q & p));
    t = a + bigSigma1(f) + ch(f, g, h) + load<u32>(K, 60) + w15; e += t; p = b ^ c; a = t + bigSigma0(b) + (c ^ (p & q));
    // Rounds 16..63: W[t] replaces W[t-16] in the same local just before round t uses it.
    for (let k = K + 64; k < K + 256; k += 64) {
      w0 += sigma1(w14) + w9 + sigma0(w1);
      t = h + bigSigma1(e) + ch(e, f, g) + load<u32>(k, 0) + w0; d += t; q = a ^ b; h = t + bigSigma0(a) + (b ^ (q & p));
      w1 += sigma1(w15) + w10 + sigma0(w2);
      t = g + bigSigma1(d) + ch(d, e, f) + load<u32>(k, 4) + w1; c += t; p = h ^ a; g = t + bigSigma0(h) + (a ^ (p & q));
      w2 += sigma1(w0) + w11 + sigma0(w3);
      t = f + bigSigma1(c) + ch(c, d, e) + load<u32>(k, 8) + w2; b += t; q = g ^ h; f = t + bigSigma0(g) + (h ^ (q & p));
      w3 += sigma1(w1) + w12 + sigma0(w4);
      t = e + bigSigma1(b) + ch(b, c, d) + load<u32>(k, 12) + w3; a += t; p = f ^ g; e = t + bigSigma0(f) + (g ^ (p & q));
      w4 += sigma1(w2) + w13 + sigma0(w5);
      t = d + bigSigma1(a) + ch(a, b, c) + load<u32>(k, 16) + w4; h += t; q = e ^ f; d = t + bigSigma0(e) + (f ^ (q & p));
      w5 += sigma1(w3) + w14 + sigma0(w6);
      t = c + bigSigma1(h) + ch(h, a, b) + load<u32>(k, 20) + w5; g += t; p = d ^ e; c = t + bigSigma0(d) + (e ^ (p & q));
      w6 += sigma1(w4) + w15 + sigma0(w7);
      t = b + bigSigma1(g) + ch(g, h, a) + load<u32>(k, 24) + w6; f += t; q = c ^ d; b = t + bigSigma0(c) + (d ^ (q & p));
      w7 += sigma1(w5) + w0 + sigma0(w8);
      t = a + bigSigma1(f) + ch(f, g, h) + load<u32>(k, 28) + w7; e += t; p = b ^ c; a = t + bigSigma0(b) + (c ^ (p & q));
      w8 += sigma1(w6) + w1 + sigma0(w9);
      t = h + bigSigma1(e) + ch(e, f, g) + load<u32>(k, 32) + w8; d += t; q = a ^ b; h = t + bigSigma0(a) + (b ^ (q & p));
      w9 += sigma1(w7) + w2 + sigma0(w10);
      t = g + bigSigma1(d) + ch(d, e, f) + load<u32>(k, 36) + w9; c += t; p = h ^ a; g = t + bigSigma0(h) + (a ^ (p & q));
      w10 += sigma1(w8) + w3 + sigma0(w11);
      t = f + bigSigma1(c) + ch(c, d, e) + load<u32>(k, 40) + w10; b += t; q = g ^ h; f = t + bigSigma0(g) + (h ^ (q & p));
      w11 += sigma1(w9) + w4 + sigma0(w12);
      t = e + bigSigma1(b) + ch(b, c, d) + load<u32>(k, 44) + w11; a += t; p = f ^ g; e = t + bigSigma0(f) + (g ^ (p & q));
      w12 += sigma1(w10) + w5 + sigma0(w13);
      t = d + bigSigma1(a) + ch(a, b, c) + load<u32>(k, 48) + w12; h += t; q = e ^ f; d = t + bigSigma0(e) + (f ^ (q & p));
      w13 += sigma1(w11) + w6 + sigma0(w14);
      t = c + bigSigma1(h) + ch(h, a, b) + load<u32>(k, 52) + w13; g += t; p = d ^ e; c = t + bigSigma0(d) + (e ^ (p & q));
      w14 += sigma1(w12) + w7 + sigma0(w15);
      t = b + bigSigma1(g) + ch(g, h, a) + load<u32>(k, 56) + w14; f += t; q = c ^ d; b = t + bigSigma0(c) + (d ^ (q & p));
      w15 += sigma1(w13) + w8 + sigma0(w0);
      t = a + bigSigma1(f) + ch(f, g, h) + load<u32>(k, 60) + w15; e += t; p = b ^ c; a = t + bigSigma0(b) + (c ^ (p & q));
    }
    h0 += a; h1 += b; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
  }
  store<u32>(state, h0, 0); store<u32>(state, h1, 4); store<u32>(state, h2, 8); store<u32>(state, h3, 12);
  store<u32>(state, h4, 16); store<u32>(state, h5, 20); store<u32>(state, h6, 24); store<u32>(state, h7, 28);
}
