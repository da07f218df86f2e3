// ChaCha20-Poly1305 AEAD kernel (RFC 8439): the cipher of every Noise transport message.
//
// ChaCha20 (RFC 8439 §2.3–2.4) is a 20-round ARX permutation of a 4×4 matrix of
// u32 words (constants ‖ key ‖ block counter ‖ nonce); its output XORed with the
// data encrypts 64 bytes per block. Poly1305 (§2.5) evaluates the message, read
// as 130-bit little-endian numbers, as a polynomial in the clamped key `r`
// modulo 2^130 − 5, then adds `s`. The AEAD (§2.8) takes the one-time Poly1305
// key from keystream block 0, encrypts with blocks 1.., and MACs
// AAD ‖ pad16 ‖ ciphertext ‖ pad16 ‖ le64(|AAD|) ‖ le64(|ciphertext|).
//
// Builds: with ASC_FEATURE_SIMD the cipher runs four blocks per pass, one block
// per v128 lane (the state is 16 vectors of "word i of blocks n..n+3"), and
// transposes the result back into four consecutive blocks; without it, one
// block at a time in 16 locals. Poly1305 uses five 26-bit limbs so every
// partial product fits an i64 multiply (the scalar form of RFC 8439 §2.5.1).
//
// The SIMD build makes one pass over a message: each four-block cipher pass
// also absorbs 256 bytes into the MAC, so the vector units (cipher) and the
// scalar multiplier (MAC) work side by side. seal() MACs the ciphertext one
// chunk behind the encryption. open() must not decrypt before the tag checks
// out, so its pass MACs the ciphertext and parks the keystream in KEYSTREAM;
// the keystream is XORed in only on a match and wiped either way.
//
// Calling convention (see assembly/sha256.ts): static regions exported as
// addresses; functions take lengths only; nothing is allocated. JS writes KEY,
// NONCE, AAD and DATA, calls seal/open once per message, and reads DATA back.
// In DATA a message is laid out as on the wire: ciphertext ‖ tag.

/** Bytes of AAD accepted per call. Noise uses the 32-byte handshake hash; 4 KiB leaves room for other callers. */
export const AAD_CAPACITY: i32 = 4096;
/** Bytes of DATA: the largest Noise message (65535 bytes, Noise spec §3) is ciphertext ‖ 16-byte tag. */
export const DATA_CAPACITY: i32 = 65535 + 16;
/** Largest plaintext one seal() call takes: DATA must also hold the tag. */
export const MAX_MESSAGE: i32 = DATA_CAPACITY - 16;

export const KEY: usize = memory.data(32, 16);
export const NONCE: usize = memory.data(16, 16);
export const TAG: usize = memory.data(16, 16);
export const AAD: usize = memory.data(AAD_CAPACITY, 16);
// Rounded up to a whole number of 16-byte vectors.
export const DATA: usize = memory.data((DATA_CAPACITY + 15) & ~15, 16);

/** Keystream scratch (4 blocks): the Poly1305 key and the keystream for partial runs. */
const KS: usize = memory.data(256, 16);
/** 256 zero bytes: XORing keystream into zeros writes the bare keystream. */
const ZERO: usize = memory.data(256, 16);
/** One 16-byte Poly1305 block assembled from a partial tail or the length block. */
const PAD: usize = memory.data(16, 16);

// "expand 32-byte k", RFC 8439 §2.3.
const C0: u32 = 0x61707865;
const C1: u32 = 0x3320646e;
const C2: u32 = 0x79622d32;
const C3: u32 = 0x6b206574;

// ---------------------------------------------------------------------------
// ChaCha20, one block at a time (scalar build, and tails of the SIMD build).

/** dst[0..64) = src[0..64) XOR keystream block `counter`. dst may equal src. */
function block1(counter: u32, dst: usize, src: usize): void {
  // Key and nonce are reloaded for the final addition instead of held: with 16
  // state words live, every extra live value is a spill on a 16-register machine.
  let x0 = C0, x1 = C1, x2 = C2, x3 = C3;
  let x4 = load<u32>(KEY, 0), x5 = load<u32>(KEY, 4), x6 = load<u32>(KEY, 8), x7 = load<u32>(KEY, 12);
  let x8 = load<u32>(KEY, 16), x9 = load<u32>(KEY, 20), x10 = load<u32>(KEY, 24), x11 = load<u32>(KEY, 28);
  let x12 = counter, x13 = load<u32>(NONCE, 0), x14 = load<u32>(NONCE, 4), x15 = load<u32>(NONCE, 8);
  for (let i = 0; i < 10; i++) {
    // Column round.
    x0 += x4; x12 = rotl(x12 ^ x0, 16); x8 += x12; x4 = rotl(x4 ^ x8, 12);
    x0 += x4; x12 = rotl(x12 ^ x0, 8); x8 += x12; x4 = rotl(x4 ^ x8, 7);
    x1 += x5; x13 = rotl(x13 ^ x1, 16); x9 += x13; x5 = rotl(x5 ^ x9, 12);
    x1 += x5; x13 = rotl(x13 ^ x1, 8); x9 += x13; x5 = rotl(x5 ^ x9, 7);
    x2 += x6; x14 = rotl(x14 ^ x2, 16); x10 += x14; x6 = rotl(x6 ^ x10, 12);
    x2 += x6; x14 = rotl(x14 ^ x2, 8); x10 += x14; x6 = rotl(x6 ^ x10, 7);
    x3 += x7; x15 = rotl(x15 ^ x3, 16); x11 += x15; x7 = rotl(x7 ^ x11, 12);
    x3 += x7; x15 = rotl(x15 ^ x3, 8); x11 += x15; x7 = rotl(x7 ^ x11, 7);
    // Diagonal round.
    x0 += x5; x15 = rotl(x15 ^ x0, 16); x10 += x15; x5 = rotl(x5 ^ x10, 12);
    x0 += x5; x15 = rotl(x15 ^ x0, 8); x10 += x15; x5 = rotl(x5 ^ x10, 7);
    x1 += x6; x12 = rotl(x12 ^ x1, 16); x11 += x12; x6 = rotl(x6 ^ x11, 12);
    x1 += x6; x12 = rotl(x12 ^ x1, 8); x11 += x12; x6 = rotl(x6 ^ x11, 7);
    x2 += x7; x13 = rotl(x13 ^ x2, 16); x8 += x13; x7 = rotl(x7 ^ x8, 12);
    x2 += x7; x13 = rotl(x13 ^ x2, 8); x8 += x13; x7 = rotl(x7 ^ x8, 7);
    x3 += x4; x14 = rotl(x14 ^ x3, 16); x9 += x14; x4 = rotl(x4 ^ x9, 12);
    x3 += x4; x14 = rotl(x14 ^ x3, 8); x9 += x14; x4 = rotl(x4 ^ x9, 7);
  }
  store<u32>(dst, load<u32>(src, 0) ^ (x0 + C0), 0);
  store<u32>(dst, load<u32>(src, 4) ^ (x1 + C1), 4);
  store<u32>(dst, load<u32>(src, 8) ^ (x2 + C2), 8);
  store<u32>(dst, load<u32>(src, 12) ^ (x3 + C3), 12);
  store<u32>(dst, load<u32>(src, 16) ^ (x4 + load<u32>(KEY, 0)), 16);
  store<u32>(dst, load<u32>(src, 20) ^ (x5 + load<u32>(KEY, 4)), 20);
  store<u32>(dst, load<u32>(src, 24) ^ (x6 + load<u32>(KEY, 8)), 24);
  store<u32>(dst, load<u32>(src, 28) ^ (x7 + load<u32>(KEY, 12)), 28);
  store<u32>(dst, load<u32>(src, 32) ^ (x8 + load<u32>(KEY, 16)), 32);
  store<u32>(dst, load<u32>(src, 36) ^ (x9 + load<u32>(KEY, 20)), 36);
  store<u32>(dst, load<u32>(src, 40) ^ (x10 + load<u32>(KEY, 24)), 40);
  store<u32>(dst, load<u32>(src, 44) ^ (x11 + load<u32>(KEY, 28)), 44);
  store<u32>(dst, load<u32>(src, 48) ^ (x12 + counter), 48);
  store<u32>(dst, load<u32>(src, 52) ^ (x13 + load<u32>(NONCE, 0)), 52);
  store<u32>(dst, load<u32>(src, 56) ^ (x14 + load<u32>(NONCE, 4)), 56);
  store<u32>(dst, load<u32>(src, 60) ^ (x15 + load<u32>(NONCE, 8)), 60);
}

// ---------------------------------------------------------------------------
// ChaCha20, four blocks per pass (SIMD build).

/** The ChaCha state with each word splatted across a vector (word 12, the counter, is set per pass). */
const STATE4: usize = memory.data(256, 16);

/** Fills STATE4 from KEY and NONCE; every SIMD path that runs block4 calls it first. */
function splatState(): void {
  v128.store(STATE4, i32x4.splat(C0), 0); v128.store(STATE4, i32x4.splat(C1), 16);
  v128.store(STATE4, i32x4.splat(C2), 32); v128.store(STATE4, i32x4.splat(C3), 48);
  for (let i: usize = 0; i < 8; i++) v128.store(STATE4 + 64 + (i << 4), i32x4.splat(load<u32>(KEY + (i << 2))));
  for (let i: usize = 0; i < 3; i++) v128.store(STATE4 + 208 + (i << 4), i32x4.splat(load<u32>(NONCE + (i << 2))));
}

// @ts-ignore: decorator
@inline function rotl16(x: v128): v128 { return v128.shuffle<u8>(x, x, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13); }
// A byte shuffle would do, but V8 rebuilds its mask constant on every use (4 instructions); shifts take 3.
// @ts-ignore: decorator
@inline function rotl8(x: v128): v128 { return v128.or(i32x4.shl(x, 8), i32x4.shr_u(x, 24)); }
// @ts-ignore: decorator
@inline function rotl12(x: v128): v128 { return v128.or(i32x4.shl(x, 12), i32x4.shr_u(x, 20)); }
// @ts-ignore: decorator
@inline function rotl7(x: v128): v128 { return v128.or(i32x4.shl(x, 7), i32x4.shr_u(x, 25)); }

/**
 * dst[0..256) = src[0..256) XOR keystream blocks counter..counter+3. dst may equal src.
 *
 * With `macOn`, also absorbs the 16 Poly1305 blocks at mac[0..256) into the
 * accumulator, two after each of the first 8 double rounds. The cipher keeps the vector units busy
 * and the MAC the scalar multipliers, so interleaving them lets an out-of-order
 * core run both at once instead of one pass after the other. Inlined, so
 * `macOn = false` call sites compile without the MAC.
 */
// @ts-ignore: decorator
@inline function block4(counter: u32, dst: usize, src: usize, mac: usize, macOn: bool): void {
  let a0: u64 = 0, a1: u64 = 0, a2: u64 = 0, a3: u64 = 0, a4: u64 = 0;
  let R0: u64 = 0, R1: u64 = 0, R2: u64 = 0, R3: u64 = 0, R4: u64 = 0;
  let S1: u64 = 0, S2: u64 = 0, S3: u64 = 0, S4: u64 = 0;
  let Q0: u64 = 0, Q1: u64 = 0, Q2: u64 = 0, Q3: u64 = 0, Q4: u64 = 0;
  let T1: u64 = 0, T2: u64 = 0, T3: u64 = 0, T4: u64 = 0;
  if (macOn) {
    a0 = h0; a1 = h1; a2 = h2; a3 = h3; a4 = h4;
    R0 = r0; R1 = r1; R2 = r2; R3 = r3; R4 = r4;
    S1 = R1 * 5; S2 = R2 * 5; S3 = R3 * 5; S4 = R4 * 5;
    Q0 = q0; Q1 = q1; Q2 = q2; Q3 = q3; Q4 = q4;
    T1 = Q1 * 5; T2 = Q2 * 5; T3 = Q3 * 5; T4 = Q4 * 5;
  }
  // Rows come from STATE4 (splatted once per call) rather than live registers:
  // with 16 state vectors in flight, every extra live vector is a spill.
  let x0 = v128.load(STATE4, 0), x1 = v128.load(STATE4, 16), x2 = v128.load(STATE4, 32), x3 = v128.load(STATE4, 48);
  let x4 = v128.load(STATE4, 64), x5 = v128.load(STATE4, 80), x6 = v128.load(STATE4, 96), x7 = v128.load(STATE4, 112);
  let x8 = v128.load(STATE4, 128), x9 = v128.load(STATE4, 144), x10 = v128.load(STATE4, 160), x11 = v128.load(STATE4, 176);
  let x12 = i32x4.add(i32x4.splat(counter), i32x4(0, 1, 2, 3));
  let x13 = v128.load(STATE4, 208), x14 = v128.load(STATE4, 224), x15 = v128.load(STATE4, 240);
  for (let i = 0; i < 10; i++) {
    x0 = i32x4.add(x0, x4); x1 = i32x4.add(x1, x5); x2 = i32x4.add(x2, x6); x3 = i32x4.add(x3, x7);
    x12 = rotl16(v128.xor(x12, x0)); x13 = rotl16(v128.xor(x13, x1)); x14 = rotl16(v128.xor(x14, x2)); x15 = rotl16(v128.xor(x15, x3));
    x8 = i32x4.add(x8, x12); x9 = i32x4.add(x9, x13); x10 = i32x4.add(x10, x14); x11 = i32x4.add(x11, x15);
    x4 = rotl12(v128.xor(x4, x8)); x5 = rotl12(v128.xor(x5, x9)); x6 = rotl12(v128.xor(x6, x10)); x7 = rotl12(v128.xor(x7, x11));
    x0 = i32x4.add(x0, x4); x1 = i32x4.add(x1, x5); x2 = i32x4.add(x2, x6); x3 = i32x4.add(x3, x7);
    x12 = rotl8(v128.xor(x12, x0)); x13 = rotl8(v128.xor(x13, x1)); x14 = rotl8(v128.xor(x14, x2)); x15 = rotl8(v128.xor(x15, x3));
    x8 = i32x4.add(x8, x12); x9 = i32x4.add(x9, x13); x10 = i32x4.add(x10, x14); x11 = i32x4.add(x11, x15);
    x4 = rotl7(v128.xor(x4, x8)); x5 = rotl7(v128.xor(x5, x9)); x6 = rotl7(v128.xor(x6, x10)); x7 = rotl7(v128.xor(x7, x11));

    x0 = i32x4.add(x0, x5); x1 = i32x4.add(x1, x6); x2 = i32x4.add(x2, x7); x3 = i32x4.add(x3, x4);
    x15 = rotl16(v128.xor(x15, x0)); x12 = rotl16(v128.xor(x12, x1)); x13 = rotl16(v128.xor(x13, x2)); x14 = rotl16(v128.xor(x14, x3));
    x10 = i32x4.add(x10, x15); x11 = i32x4.add(x11, x12); x8 = i32x4.add(x8, x13); x9 = i32x4.add(x9, x14);
    x5 = rotl12(v128.xor(x5, x10)); x6 = rotl12(v128.xor(x6, x11)); x7 = rotl12(v128.xor(x7, x8)); x4 = rotl12(v128.xor(x4, x9));
    x0 = i32x4.add(x0, x5); x1 = i32x4.add(x1, x6); x2 = i32x4.add(x2, x7); x3 = i32x4.add(x3, x4);
    x15 = rotl8(v128.xor(x15, x0)); x12 = rotl8(v128.xor(x12, x1)); x13 = rotl8(v128.xor(x13, x2)); x14 = rotl8(v128.xor(x14, x3));
    x10 = i32x4.add(x10, x15); x11 = i32x4.add(x11, x12); x8 = i32x4.add(x8, x13); x9 = i32x4.add(x9, x14);
    x5 = rotl7(v128.xor(x5, x10)); x6 = rotl7(v128.xor(x6, x11)); x7 = rotl7(v128.xor(x7, x8)); x4 = rotl7(v128.xor(x4, x9));
    if (macOn && i < 8) {
      // Poly1305 blocks 2i and 2i+1 of this chunk in one step (Horner by two):
      // h ← (h + m₁)·r² + m₂·r. The two products are independent and share one
      // carry chain, which saves a third of the MAC's instructions.
      const p = mac + (<usize>i << 5);
      const lo = load<u64>(p, 0), hi = load<u64>(p, 8), lo2 = load<u64>(p, 16), hi2 = load<u64>(p, 24);
      a0 += lo & MASK26;
      a1 += (lo >> 26) & MASK26;
      a2 += ((lo >> 52) | (hi << 12)) & MASK26;
      a3 += (hi >> 14) & MASK26;
      a4 += (hi >> 40) | (1 << 24);
      const b0 = lo2 & MASK26;
      const b1 = (lo2 >> 26) & MASK26;
      const b2 = ((lo2 >> 52) | (hi2 << 12)) & MASK26;
      const b3 = (hi2 >> 14) & MASK26;
      const b4 = (hi2 >> 40) | (1 << 24);
      const d0 = a0 * Q0 + a1 * T4 + a2 * T3 + a3 * T2 + a4 * T1 + b0 * R0 + b1 * S4 + b2 * S3 + b3 * S2 + b4 * S1;
      let d1 = a0 * Q1 + a1 * Q0 + a2 * T4 + a3 * T3 + a4 * T2 + b0 * R1 + b1 * R0 + b2 * S4 + b3 * S3 + b4 * S2;
      let d2 = a0 * Q2 + a1 * Q1 + a2 * Q0 + a3 * T4 + a4 * T3 + b0 * R2 + b1 * R1 + b2 * R0 + b3 * S4 + b4 * S3;
      let d3 = a0 * Q3 + a1 * Q2 + a2 * Q1 + a3 * Q0 + a4 * T4 + b0 * R3 + b1 * R2 + b2 * R1 + b3 * R0 + b4 * S4;
      let d4 = a0 * Q4 + a1 * Q3 + a2 * Q2 + a3 * Q1 + a4 * Q0 + b0 * R4 + b1 * R3 + b2 * R2 + b3 * R1 + b4 * R0;
      d1 += d0 >> 26; a0 = d0 & MASK26;
      d2 += d1 >> 26; a1 = d1 & MASK26;
      d3 += d2 >> 26; a2 = d2 & MASK26;
      d4 += d3 >> 26; a3 = d3 & MASK26;
      a0 += (d4 >> 26) * 5; a4 = d4 & MASK26;
      a1 += a0 >> 26; a0 &= MASK26;
    }
  }
  if (macOn) { h0 = a0; h1 = a1; h2 = a2; h3 = a3; h4 = a4; }
  x0 = i32x4.add(x0, v128.load(STATE4, 0)); x1 = i32x4.add(x1, v128.load(STATE4, 16));
  x2 = i32x4.add(x2, v128.load(STATE4, 32)); x3 = i32x4.add(x3, v128.load(STATE4, 48));
  x4 = i32x4.add(x4, v128.load(STATE4, 64)); x5 = i32x4.add(x5, v128.load(STATE4, 80));
  x6 = i32x4.add(x6, v128.load(STATE4, 96)); x7 = i32x4.add(x7, v128.load(STATE4, 112));
  x8 = i32x4.add(x8, v128.load(STATE4, 128)); x9 = i32x4.add(x9, v128.load(STATE4, 144));
  x10 = i32x4.add(x10, v128.load(STATE4, 160)); x11 = i32x4.add(x11, v128.load(STATE4, 176));
  x12 = i32x4.add(x12, i32x4.add(i32x4.splat(counter), i32x4(0, 1, 2, 3)));
  x13 = i32x4.add(x13, v128.load(STATE4, 208)); x14 = i32x4.add(x14, v128.load(STATE4, 224));
  x15 = i32x4.add(x15, v128.load(STATE4, 240));
  // Lane j of x(4q..4q+3) holds words 4q..4q+3 of block j: transpose each 4×4 group.
  transposeXor(x0, x1, x2, x3, dst, src, 0);
  transposeXor(x4, x5, x6, x7, dst, src, 16);
  transposeXor(x8, x9, x10, x11, dst, src, 32);
  transposeXor(x12, x13, x14, x15, dst, src, 48);
}

/**
 * KS[0..128) = keystream blocks 0 and 1, one block per four vectors (rows),
 * the two blocks interleaved. For messages of at most 64 bytes: half the work
 * of a four-lane pass, which would compute two blocks nobody reads.
 */
function keyAndFirstBlock(): void {
  const row0 = i32x4(C0, C1, C2, C3);
  const row1 = v128.load(KEY, 0);
  const row2 = v128.load(KEY, 16);
  const nonce = v128.load(NONCE, 0);
  const row3 = v128.shuffle<u32>(i32x4.splat(0), nonce, 0, 4, 5, 6);
  const row3b = v128.shuffle<u32>(i32x4.splat(1), nonce, 0, 4, 5, 6);
  let a = row0, b = row1, c = row2, d = row3;
  let e = row0, f = row1, g = row2, h = row3b;
  for (let i = 0; i < 10; i++) {
    // Column round: each row vector holds one row, so a whole column step is four lanes at once.
    a = i32x4.add(a, b); e = i32x4.add(e, f); d = rotl16(v128.xor(d, a)); h = rotl16(v128.xor(h, e));
    c = i32x4.add(c, d); g = i32x4.add(g, h); b = rotl12(v128.xor(b, c)); f = rotl12(v128.xor(f, g));
    a = i32x4.add(a, b); e = i32x4.add(e, f); d = rotl8(v128.xor(d, a)); h = rotl8(v128.xor(h, e));
    c = i32x4.add(c, d); g = i32x4.add(g, h); b = rotl7(v128.xor(b, c)); f = rotl7(v128.xor(f, g));
    // Rotate rows 1–3 so the diagonals line up as columns.
    b = v128.shuffle<u32>(b, b, 1, 2, 3, 0); c = v128.shuffle<u32>(c, c, 2, 3, 0, 1); d = v128.shuffle<u32>(d, d, 3, 0, 1, 2);
    f = v128.shuffle<u32>(f, f, 1, 2, 3, 0); g = v128.shuffle<u32>(g, g, 2, 3, 0, 1); h = v128.shuffle<u32>(h, h, 3, 0, 1, 2);
    a = i32x4.add(a, b); e = i32x4.add(e, f); d = rotl16(v128.xor(d, a)); h = rotl16(v128.xor(h, e));
    c = i32x4.add(c, d); g = i32x4.add(g, h); b = rotl12(v128.xor(b, c)); f = rotl12(v128.xor(f, g));
    a = i32x4.add(a, b); e = i32x4.add(e, f); d = rotl8(v128.xor(d, a)); h = rotl8(v128.xor(h, e));
    c = i32x4.add(c, d); g = i32x4.add(g, h); b = rotl7(v128.xor(b, c)); f = rotl7(v128.xor(f, g));
    b = v128.shuffle<u32>(b, b, 3, 0, 1, 2); c = v128.shuffle<u32>(c, c, 2, 3, 0, 1); d = v128.shuffle<u32>(d, d, 1, 2, 3, 0);
    f = v128.shuffle<u32>(f, f, 3, 0, 1, 2); g = v128.shuffle<u32>(g, g, 2, 3, 0, 1); h = v128.shuffle<u32>(h, h, 1, 2, 3, 0);
  }
  v128.store(KS, i32x4.add(a, row0), 0); v128.store(KS, i32x4.add(b, row1), 16);
  v128.store(KS, i32x4.add(c, row2), 32); v128.store(KS, i32x4.add(d, row3), 48);
  v128.store(KS, i32x4.add(e, row0), 64); v128.store(KS, i32x4.add(f, row1), 80);
  v128.store(KS, i32x4.add(g, row2), 96); v128.store(KS, i32x4.add(h, row3b), 112);
}

/**
 * The SIMD key pass: the Poly1305 key into KS[0..32) and, from KS[64), the
 * keystream of the message's first blocks: one (≤ 64-byte messages) or three.
 */
function keyPass(len: i32): void {
  if (len <= 64) {
    keyAndFirstBlock();
  } else {
    splatState();
    block4(0, KS, ZERO, 0, false);
  }
}

// @ts-ignore: decorator
@inline function transposeXor(a: v128, b: v128, c: v128, d: v128, dst: usize, src: usize, offset: usize): void {
  const ab01 = v128.shuffle<u32>(a, b, 0, 4, 1, 5);
  const ab23 = v128.shuffle<u32>(a, b, 2, 6, 3, 7);
  const cd01 = v128.shuffle<u32>(c, d, 0, 4, 1, 5);
  const cd23 = v128.shuffle<u32>(c, d, 2, 6, 3, 7);
  const s = src + offset, t = dst + offset;
  v128.store(t, v128.xor(v128.load(s, 0), v128.shuffle<u64>(ab01, cd01, 0, 2)), 0);
  v128.store(t, v128.xor(v128.load(s, 64), v128.shuffle<u64>(ab01, cd01, 1, 3)), 64);
  v128.store(t, v128.xor(v128.load(s, 128), v128.shuffle<u64>(ab23, cd23, 0, 2)), 128);
  v128.store(t, v128.xor(v128.load(s, 192), v128.shuffle<u64>(ab23, cd23, 1, 3)), 192);
}

// ---------------------------------------------------------------------------
// Keystream application.

/** p[0..len) ^= ks[0..len), len < 256. */
function xorTail(p: usize, ks: usize, len: i32): void {
  let i = 0;
  for (; i + 8 <= len; i += 8) store<u64>(p + i, load<u64>(p + i) ^ load<u64>(ks + i));
  for (; i < len; i++) store<u8>(p + i, load<u8>(p + i) ^ load<u8>(ks + i));
}

/** XORs the keystream from block `counter` on into p[0..len), in place. */
function xorStream(p: usize, len: i32, counter: u32): void {
  if (ASC_FEATURE_SIMD) {
    while (len >= 256) {
      block4(counter, p, p, 0, false);
      p += 256; len -= 256; counter += 4;
    }
    if (len > 0) {
      block4(counter, KS, ZERO, 0, false);
      xorTail(p, KS, len);
    }
  } else {
    while (len >= 64) {
      block1(counter, p, p);
      p += 64; len -= 64; counter += 1;
    }
    if (len > 0) {
      block1(counter, KS, ZERO);
      xorTail(p, KS, len);
    }
  }
}

// ---------------------------------------------------------------------------
// Poly1305 (RFC 8439 §2.5), radix 2^26.

const MASK26: u64 = 0x3ffffff;

let r0: u64 = 0, r1: u64 = 0, r2: u64 = 0, r3: u64 = 0, r4: u64 = 0;
let h0: u64 = 0, h1: u64 = 0, h2: u64 = 0, h3: u64 = 0, h4: u64 = 0;
let s0: u64 = 0, s1: u64 = 0, s2: u64 = 0, s3: u64 = 0;
/** r² mod 2^130 − 5, for the MAC's two-blocks-per-step form. */
let q0: u64 = 0, q1: u64 = 0, q2: u64 = 0, q3: u64 = 0, q4: u64 = 0;

/** Loads the one-time key r ‖ s from `key` (32 bytes), clamps r (§2.5) and zeroes the accumulator. */
function polyInit(key: usize): void {
  const lo = load<u64>(key, 0) & 0x0ffffffc0fffffff;
  const hi = load<u64>(key, 8) & 0x0ffffffc0ffffffc;
  r0 = lo & MASK26;
  r1 = (lo >> 26) & MASK26;
  r2 = ((lo >> 52) | (hi << 12)) & MASK26;
  r3 = (hi >> 14) & MASK26;
  r4 = hi >> 40;
  s0 = <u64>load<u32>(key, 16); s1 = <u64>load<u32>(key, 20);
  s2 = <u64>load<u32>(key, 24); s3 = <u64>load<u32>(key, 28);
  h0 = 0; h1 = 0; h2 = 0; h3 = 0; h4 = 0;
  {
    const S1 = r1 * 5, S2 = r2 * 5, S3 = r3 * 5, S4 = r4 * 5;
    const d0 = r0 * r0 + r1 * S4 + r2 * S3 + r3 * S2 + r4 * S1;
    let d1 = r0 * r1 + r1 * r0 + r2 * S4 + r3 * S3 + r4 * S2;
    let d2 = r0 * r2 + r1 * r1 + r2 * r0 + r3 * S4 + r4 * S3;
    let d3 = r0 * r3 + r1 * r2 + r2 * r1 + r3 * r0 + r4 * S4;
    let d4 = r0 * r4 + r1 * r3 + r2 * r2 + r3 * r1 + r4 * r0;
    d1 += d0 >> 26; let t0 = d0 & MASK26;
    d2 += d1 >> 26; q1 = d1 & MASK26;
    d3 += d2 >> 26; q2 = d2 & MASK26;
    d4 += d3 >> 26; q3 = d3 & MASK26;
    t0 += (d4 >> 26) * 5; q4 = d4 & MASK26;
    q1 += t0 >> 26; q0 = t0 & MASK26;
  }
}

/**
 * Absorbs `blocks` 16-byte blocks at p. `hibit` is 1 << 24 (the 2^128 bit in
 * limb 4) for full blocks, 0 for a final partial block already padded with 0x01.
 */
function polyBlocks(p: usize, blocks: i32, hibit: u64): void {
  const R0 = r0, R1 = r1, R2 = r2, R3 = r3, R4 = r4;
  // 2^130 ≡ 5: a product that reaches limb 5+ folds back multiplied by 5.
  const S1 = R1 * 5, S2 = R2 * 5, S3 = R3 * 5, S4 = R4 * 5;
  const Q0 = q0, Q1 = q1, Q2 = q2, Q3 = q3, Q4 = q4;
  const T1 = Q1 * 5, T2 = Q2 * 5, T3 = Q3 * 5, T4 = Q4 * 5;
  let a0 = h0, a1 = h1, a2 = h2, a3 = h3, a4 = h4;
  let i = 0;
  // Two blocks per step: h ← (h + m₁)·r² + m₂·r, one carry chain for both products.
  for (; i + 2 <= blocks; i += 2) {
    const lo = load<u64>(p, 0), hi = load<u64>(p, 8), lo2 = load<u64>(p, 16), hi2 = load<u64>(p, 24);
    a0 += lo & MASK26;
    a1 += (lo >> 26) & MASK26;
    a2 += ((lo >> 52) | (hi << 12)) & MASK26;
    a3 += (hi >> 14) & MASK26;
    a4 += (hi >> 40) | hibit;
    const b0 = lo2 & MASK26;
    const b1 = (lo2 >> 26) & MASK26;
    const b2 = ((lo2 >> 52) | (hi2 << 12)) & MASK26;
    const b3 = (hi2 >> 14) & MASK26;
    const b4 = (hi2 >> 40) | hibit;
    const d0 = a0 * Q0 + a1 * T4 + a2 * T3 + a3 * T2 + a4 * T1 + b0 * R0 + b1 * S4 + b2 * S3 + b3 * S2 + b4 * S1;
    let d1 = a0 * Q1 + a1 * Q0 + a2 * T4 + a3 * T3 + a4 * T2 + b0 * R1 + b1 * R0 + b2 * S4 + b3 * S3 + b4 * S2;
    let d2 = a0 * Q2 + a1 * Q1 + a2 * Q0 + a3 * T4 + a4 * T3 + b0 * R2 + b1 * R1 + b2 * R0 + b3 * S4 + b4 * S3;
    let d3 = a0 * Q3 + a1 * Q2 + a2 * Q1 + a3 * Q0 + a4 * T4 + b0 * R3 + b1 * R2 + b2 * R1 + b3 * R0 + b4 * S4;
    let d4 = a0 * Q4 + a1 * Q3 + a2 * Q2 + a3 * Q1 + a4 * Q0 + b0 * R4 + b1 * R3 + b2 * R2 + b3 * R1 + b4 * R0;
    d1 += d0 >> 26; a0 = d0 & MASK26;
    d2 += d1 >> 26; a1 = d1 & MASK26;
    d3 += d2 >> 26; a2 = d2 & MASK26;
    d4 += d3 >> 26; a3 = d3 & MASK26;
    a0 += (d4 >> 26) * 5; a4 = d4 & MASK26;
    a1 += a0 >> 26; a0 &= MASK26;
    p += 32;
  }
  if (i < blocks) {
    const lo = load<u64>(p, 0), hi = load<u64>(p, 8);
    a0 += lo & MASK26;
    a1 += (lo >> 26) & MASK26;
    a2 += ((lo >> 52) | (hi << 12)) & MASK26;
    a3 += (hi >> 14) & MASK26;
    a4 += (hi >> 40) | hibit;
    const d0 = a0 * R0 + a1 * S4 + a2 * S3 + a3 * S2 + a4 * S1;
    let d1 = a0 * R1 + a1 * R0 + a2 * S4 + a3 * S3 + a4 * S2;
    let d2 = a0 * R2 + a1 * R1 + a2 * R0 + a3 * S4 + a4 * S3;
    let d3 = a0 * R3 + a1 * R2 + a2 * R1 + a3 * R0 + a4 * S4;
    let d4 = a0 * R4 + a1 * R3 + a2 * R2 + a3 * R1 + a4 * R0;
    d1 += d0 >> 26; a0 = d0 & MASK26;
    d2 += d1 >> 26; a1 = d1 & MASK26;
    d3 += d2 >> 26; a2 = d2 & MASK26;
    d4 += d3 >> 26; a3 = d3 & MASK26;
    a0 += (d4 >> 26) * 5; a4 = d4 & MASK26;
    a1 += a0 >> 26; a0 &= MASK26;
  }
  h0 = a0; h1 = a1; h2 = a2; h3 = a3; h4 = a4;
}

/** AEAD input: p[0..len) then zero padding to a multiple of 16 (§2.8). */
function polyPadded(p: usize, len: i32): void {
  const full = len >> 4;
  if (full > 0) polyBlocks(p, full, 1 << 24);
  const rest = len & 15;
  if (rest > 0) {
    store<u64>(PAD, 0, 0); store<u64>(PAD, 0, 8);
    memory.copy(PAD, p + (<usize>full << 4), rest);
    polyBlocks(PAD, 1, 1 << 24);
  }
}

/** Finishes the MAC: full reduction mod 2^130 − 5, then tag = (h + s) mod 2^128 into out. */
function polyFinish(out: usize): void {
  let a0 = h0, a1 = h1, a2 = h2, a3 = h3, a4 = h4;
  a2 += a1 >> 26; a1 &= MASK26;
  a3 += a2 >> 26; a2 &= MASK26;
  a4 += a3 >> 26; a3 &= MASK26;
  a0 += (a4 >> 26) * 5; a4 &= MASK26;
  a1 += a0 >> 26; a0 &= MASK26;
  a2 += a1 >> 26; a1 &= MASK26;
  // g = h + 5 − 2^130; take g when it does not go negative, without branching.
  let g0 = a0 + 5;
  let g1 = a1 + (g0 >> 26); g0 &= MASK26;
  let g2 = a2 + (g1 >> 26); g1 &= MASK26;
  let g3 = a3 + (g2 >> 26); g2 &= MASK26;
  let g4 = a4 + (g3 >> 26) - (<u64>1 << 26); g3 &= MASK26;
  const useG = (g4 >> 63) - 1; // all ones when g4 ≥ 0
  const useH = ~useG;
  a0 = (a0 & useH) | (g0 & useG);
  a1 = (a1 & useH) | (g1 & useG);
  a2 = (a2 & useH) | (g2 & useG);
  a3 = (a3 & useH) | (g3 & useG);
  a4 = (a4 & useH) | (g4 & useG & MASK26);
  const w0 = (a0 | (a1 << 26)) & 0xffffffff;
  const w1 = ((a1 >> 6) | (a2 << 20)) & 0xffffffff;
  const w2 = ((a2 >> 12) | (a3 << 14)) & 0xffffffff;
  const w3 = ((a3 >> 18) | (a4 << 8)) & 0xffffffff;
  let f = w0 + s0; store<u32>(out, <u32>f, 0);
  f = w1 + s1 + (f >> 32); store<u32>(out, <u32>f, 4);
  f = w2 + s2 + (f >> 32); store<u32>(out, <u32>f, 8);
  f = w3 + s3 + (f >> 32); store<u32>(out, <u32>f, 12);
}

/** Bytes of DATA the SIMD build encrypts with blocks 1..3 of the pass that also yields the Poly1305 key. */
const HEAD: i32 = 192;

/**
 * Keystream for open() in the SIMD build: decryption has to wait for the
 * verdict on the tag, so the keystream is computed alongside the MAC, parked
 * here, XORed in only on success, and wiped either way.
 */
const KEYSTREAM: usize = memory.data((MAX_MESSAGE - HEAD + 256 + 255) & ~255, 16);

/** Clears the one-time key material the last call left in globals and scratch. */
function wipeTemporaries(): void {
  r0 = 0; r1 = 0; r2 = 0; r3 = 0; r4 = 0;
  q0 = 0; q1 = 0; q2 = 0; q3 = 0; q4 = 0;
  s0 = 0; s1 = 0; s2 = 0; s3 = 0;
  h0 = 0; h1 = 0; h2 = 0; h3 = 0; h4 = 0;
  for (let i: usize = 0; i < 256; i += 8) store<u64>(KS + i, 0);
  store<u64>(PAD, 0, 0); store<u64>(PAD, 0, 8);
  // STATE4 holds the key, splatted: only KEY may keep it between calls (dispose() zeroes KEY).
  if (ASC_FEATURE_SIMD) for (let i: usize = 0; i < 256; i += 16) v128.store(STATE4 + i, i32x4.splat(0));
}

/** Appends le64(aadLen) ‖ le64(len) and writes the tag to TAG (§2.8). */
function polyLengthsAndFinish(aadLen: i32, len: i32): void {
  store<u64>(PAD, <u64>aadLen, 0);
  store<u64>(PAD, <u64>len, 8);
  polyBlocks(PAD, 1, 1 << 24);
  polyFinish(TAG);
}

/** 1 when TAG equals the 16 bytes at `given`, else 0, without a data-dependent branch. */
function tagMatches(given: usize): i32 {
  const diff = (load<u64>(TAG, 0) ^ load<u64>(given, 0)) | (load<u64>(TAG, 8) ^ load<u64>(given, 8));
  return <i32>(((diff | (0 - diff)) >> 63) ^ 1);
}

/** SIMD seal: one pass that encrypts 256-byte chunks while MACing the ciphertext one chunk behind. */
function sealSimd(aadLen: i32, len: i32): void {
  keyPass(len);
  polyInit(KS);
  polyPadded(AAD, aadLen);
  const head = min(len, HEAD);
  xorTail(DATA, KS + 64, head);
  let macDone = 0;
  if (len > HEAD) {
    const chunks = (len - HEAD) >> 8;
    let counter: u32 = 4;
    let p = DATA + <usize>HEAD;
    for (let j = 0; j < chunks; j++) {
      // Chunk j's ciphertext is stored by this pass; the MAC reads chunk j − 1's (already final).
      if (j == 0) {
        block4(counter, p, p, 0, false);
      } else {
        block4(counter, p, p, DATA + <usize>macDone, true);
        macDone += 256;
      }
      p += 256; counter += 4;
    }
    const rest = len - HEAD - (chunks << 8);
    if (rest > 0) {
      block4(counter, KS, ZERO, 0, false);
      xorTail(p, KS, rest);
    }
  }
  polyPadded(DATA + <usize>macDone, len - macDone);
  polyLengthsAndFinish(aadLen, len);
}

/** SIMD open: one pass that MACs the ciphertext while parking its keystream; XORs only if the tag matches. */
function openSimd(aadLen: i32, len: i32): i32 {
  keyPass(len);
  polyInit(KS);
  polyPadded(AAD, aadLen);
  let macDone = 0;
  let parked = 0;
  if (len > HEAD) {
    const chunks = (len - HEAD) >> 8;
    let counter: u32 = 4;
    for (let j = 0; j < chunks; j++) {
      block4(counter, KEYSTREAM + <usize>parked, ZERO, DATA + <usize>macDone, true);
      macDone += 256; parked += 256; counter += 4;
    }
    if (len - HEAD > parked) {
      block4(counter, KEYSTREAM + <usize>parked, ZERO, 0, false);
      parked += 256;
    }
  }
  polyPadded(DATA + <usize>macDone, len - macDone);
  polyLengthsAndFinish(aadLen, len);
  const ok = tagMatches(DATA + <usize>len);
  if (ok) {
    xorTail(DATA, KS + 64, min(len, HEAD));
    // Whole 64-byte steps XOR and wipe in one sweep; the partial rest is wiped below.
    const swept = len > HEAD ? xorIntoAndWipe(DATA + <usize>HEAD, KEYSTREAM, len - HEAD) : 0;
    if (parked > swept) memory.fill(KEYSTREAM + <usize>swept, 0, <usize>(parked - swept));
  } else {
    memory.fill(DATA, 0, <usize>len + 16);
    if (parked > 0) memory.fill(KEYSTREAM, 0, <usize>parked);
  }
  return ok;
}

/**
 * p[0..len) ^= ks[0..len), zeroing ks[0..whole) as it goes, where whole is
 * len rounded down to 64; returns whole (the caller wipes the rest of ks).
 */
function xorIntoAndWipe(p: usize, ks: usize, len: i32): i32 {
  const whole = len & ~63;
  const zero = i32x4.splat(0);
  for (let i = 0; i < whole; i += 64) {
    const a = p + <usize>i, b = ks + <usize>i;
    v128.store(a, v128.xor(v128.load(a, 0), v128.load(b, 0)), 0);
    v128.store(a, v128.xor(v128.load(a, 16), v128.load(b, 16)), 16);
    v128.store(a, v128.xor(v128.load(a, 32), v128.load(b, 32)), 32);
    v128.store(a, v128.xor(v128.load(a, 48), v128.load(b, 48)), 48);
    v128.store(b, zero, 0); v128.store(b, zero, 16); v128.store(b, zero, 32); v128.store(b, zero, 48);
  }
  xorTail(p + <usize>whole, ks + <usize>whole, len - whole);
  return whole;
}

/** Scalar seal: encrypt, then MAC the ciphertext. */
function sealScalar(aadLen: i32, len: i32): void {
  block1(0, KS, ZERO);
  polyInit(KS);
  xorStream(DATA, len, 1);
  polyPadded(AAD, aadLen);
  polyPadded(DATA, len);
  polyLengthsAndFinish(aadLen, len);
}

/** Scalar open: MAC the ciphertext, compare, and decrypt only on a match. */
function openScalar(aadLen: i32, len: i32): i32 {
  block1(0, KS, ZERO);
  polyInit(KS);
  polyPadded(AAD, aadLen);
  polyPadded(DATA, len);
  polyLengthsAndFinish(aadLen, len);
  const ok = tagMatches(DATA + <usize>len);
  if (ok) {
    xorStream(DATA, len, 1);
  } else {
    memory.fill(DATA, 0, <usize>len + 16);
  }
  return ok;
}

// ---------------------------------------------------------------------------
// Exports.

/**
 * AEAD seal (§2.8): encrypts DATA[0..len) in place under KEY and NONCE with
 * AAD[0..aadLen), and writes the 16-byte tag to DATA[len..len+16) and TAG.
 * Requires len ≤ MAX_MESSAGE, aadLen ≤ AAD_CAPACITY (checked by the caller).
 */
export function seal(aadLen: i32, len: i32): void {
  if (ASC_FEATURE_SIMD) sealSimd(aadLen, len);
  else sealScalar(aadLen, len);
  v128Copy16(DATA + <usize>len, TAG);
  wipeTemporaries();
}

/**
 * AEAD open (§2.8): DATA holds ciphertext[0..len) ‖ tag. Computes the tag over
 * the ciphertext and compares it in constant time BEFORE decrypting. Returns 1
 * and decrypts DATA[0..len) in place when the tag matches; otherwise returns 0
 * and zeroes DATA[0..len+16). No plaintext byte exists before the verdict.
 */
export function open(aadLen: i32, len: i32): i32 {
  const ok = ASC_FEATURE_SIMD ? openSimd(aadLen, len) : openScalar(aadLen, len);
  wipeTemporaries();
  return ok;
}

/** Raw ChaCha20 (§2.4): DATA[0..len) ^= keystream from block `counter`, under KEY and NONCE. */
export function chacha20(len: i32, counter: u32): void {
  if (ASC_FEATURE_SIMD) splatState();
  xorStream(DATA, len, counter);
  wipeTemporaries();
}

/** Raw Poly1305 (§2.5): the MAC of DATA[0..len) under the one-time key KEY → TAG. */
export function poly1305(len: i32): void {
  polyInit(KEY);
  const full = len >> 4;
  if (full > 0) polyBlocks(DATA, full, 1 << 24);
  const rest = len & 15;
  if (rest > 0) {
    // A partial final block gets a 0x01 byte after it instead of the 2^128 bit.
    store<u64>(PAD, 0, 0); store<u64>(PAD, 0, 8);
    memory.copy(PAD, DATA + (<usize>full << 4), rest);
    store<u8>(PAD + <usize>rest, 1);
    polyBlocks(PAD, 1, 0);
  }
  polyFinish(TAG);
  wipeTemporaries();
}

// @ts-ignore: decorator
@inline function v128Copy16(dst: usize, src: usize): void {
  store<u64>(dst, load<u64>(src, 0), 0);
  store<u64>(dst, load<u64>(src, 8), 8);
}
