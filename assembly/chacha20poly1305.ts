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
// SIMD build, seal(): one pass over the message; each four-block cipher pass
// also absorbs 256 bytes of ciphertext (one chunk behind) into the scalar MAC,
// so the vector units (cipher) and the integer multiplier (MAC) work side by
// side. open() runs the same pass over the ciphertext, decrypting in place, and
// zeroes DATA when the tag does not match: no plaintext leaves the kernel
// before the verdict. The vector Poly1305 (four accumulators, one per lane,
// each stepping by r⁴) serves raw poly1305() and long AAD.
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

// Byte rotations as swizzles by a constant mask: V8 compiles each to a single
// pshufb on a mask it can keep in a register (a shift pair takes 3 instructions,
// and a v128.shuffle rebuilds its mask on every use). Measured, same run:
// raw chacha20 65519 B 42.6 → 40.2 µs, seal 65.9 → 61.9 µs (Zen 4, Node 20).
// @ts-ignore: decorator
@inline function rotl16(x: v128): v128 { return i8x16.swizzle(x, i8x16(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13)); }
// @ts-ignore: decorator
@inline function rotl8(x: v128): v128 { return i8x16.swizzle(x, i8x16(3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14)); }
// @ts-ignore: decorator
@inline function rotl12(x: v128): v128 { return v128.or(i32x4.shl(x, 12), i32x4.shr_u(x, 20)); }
// @ts-ignore: decorator
@inline function rotl7(x: v128): v128 { return v128.or(i32x4.shl(x, 7), i32x4.shr_u(x, 25)); }

/**
 * dst[0..256) = src[0..256) XOR keystream blocks counter..counter+3. dst may equal src.
 *
 * With `macOn`, also absorbs the 16 Poly1305 blocks at mac[0..256) into the
 * accumulator, two after each of the last 8 double rounds (the last step then
 * overlaps the transpose and stores; against the first 8: seal 65519 B −1.5 to
 * −2.4%, paired runs). The cipher keeps the vector units busy
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
    if (macOn && i >= 2) {
      // Poly1305 blocks 2(i−2) and 2(i−2)+1 of this chunk in one step (Horner by two):
      // h ← (h + m₁)·r² + m₂·r. The two products are independent and share one
      // carry chain, which saves a third of the MAC's instructions.
      const p = mac + (<usize>(i - 2) << 5);
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

// ---------------------------------------------------------------------------
// Poly1305, four blocks per step (SIMD build).

/** Whether the regions below hold powers of this call's r (wipeTemporaries clears them). */
let powersSet = false;
/** Powers of r for the vector MAC: 5 limbs (u32) each of r, r², r³, r⁴. */
const POWERS: usize = memory.data(80, 16);
/** r⁴ splatted: limbs 0..4, then 5·limbs 1..4 (nine vectors). */
const SPLAT_R4: usize = memory.data(144, 16);
/** The last step's multipliers, lane k = r^(4−k): limbs 0..4, then 5·limbs 1..4. */
const LANES_R: usize = memory.data(144, 16);

/** dst = a·b mod 2^130 − 5, partially reduced (limbs as u32, 5 each). */
function mulMod(dst: usize, a: usize, b: usize): void {
  const a0 = <u64>load<u32>(a, 0), a1 = <u64>load<u32>(a, 4), a2 = <u64>load<u32>(a, 8), a3 = <u64>load<u32>(a, 12), a4 = <u64>load<u32>(a, 16);
  const b0 = <u64>load<u32>(b, 0), b1 = <u64>load<u32>(b, 4), b2 = <u64>load<u32>(b, 8), b3 = <u64>load<u32>(b, 12), b4 = <u64>load<u32>(b, 16);
  const S1 = b1 * 5, S2 = b2 * 5, S3 = b3 * 5, S4 = b4 * 5;
  const d0 = a0 * b0 + a1 * S4 + a2 * S3 + a3 * S2 + a4 * S1;
  let d1 = a0 * b1 + a1 * b0 + a2 * S4 + a3 * S3 + a4 * S2;
  let d2 = a0 * b2 + a1 * b1 + a2 * b0 + a3 * S4 + a4 * S3;
  let d3 = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + a4 * S4;
  let d4 = a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0;
  d1 += d0 >> 26; let t0 = d0 & MASK26;
  d2 += d1 >> 26; let t1 = d1 & MASK26;
  d3 += d2 >> 26; const t2 = d2 & MASK26;
  d4 += d3 >> 26; const t3 = d3 & MASK26;
  t0 += (d4 >> 26) * 5; const t4 = d4 & MASK26;
  t1 += t0 >> 26; t0 &= MASK26;
  store<u32>(dst, <u32>t0, 0); store<u32>(dst, <u32>t1, 4); store<u32>(dst, <u32>t2, 8);
  store<u32>(dst, <u32>t3, 12); store<u32>(dst, <u32>t4, 16);
}

/** Fills POWERS, SPLAT_R4 and LANES_R from r and r² (polyInit ran). */
function polyPowers(): void {
  powersSet = true;
  store<u32>(POWERS, <u32>r0, 0); store<u32>(POWERS, <u32>r1, 4); store<u32>(POWERS, <u32>r2, 8);
  store<u32>(POWERS, <u32>r3, 12); store<u32>(POWERS, <u32>r4, 16);
  store<u32>(POWERS, <u32>q0, 20); store<u32>(POWERS, <u32>q1, 24); store<u32>(POWERS, <u32>q2, 28);
  store<u32>(POWERS, <u32>q3, 32); store<u32>(POWERS, <u32>q4, 36);
  mulMod(POWERS + 40, POWERS + 20, POWERS);
  mulMod(POWERS + 60, POWERS + 20, POWERS + 20);
  for (let j: usize = 0; j < 5; j++) {
    const p4 = load<u32>(POWERS + 60 + (j << 2));
    const p3 = load<u32>(POWERS + 40 + (j << 2));
    const p2 = load<u32>(POWERS + 20 + (j << 2));
    const p1 = load<u32>(POWERS + (j << 2));
    v128.store(SPLAT_R4 + (j << 4), i32x4.splat(p4));
    v128.store(LANES_R + (j << 4), i32x4(p4, p3, p2, p1));
    if (j > 0) {
      v128.store(SPLAT_R4 + 64 + (j << 4), i32x4.splat(p4 * 5));
      v128.store(LANES_R + 64 + (j << 4), i32x4(p4 * 5, p3 * 5, p2 * 5, p1 * 5));
    }
  }
}

// @ts-ignore: decorator
@inline function mulLo(a: v128, b: v128): v128 { return i64x2.extmul_low_i32x4_u(a, b); }
// @ts-ignore: decorator
@inline function mulHi(a: v128, b: v128): v128 { return i64x2.extmul_high_i32x4_u(a, b); }

/**
 * Absorbs `groups` × 4 full blocks at p, four independent accumulators (one per
 * lane, lane k takes blocks k, k+4, …) each multiplied by r⁴ per step; the last
 * step multiplies lane k by r^(4−k) instead, so the lanes sum to the Horner
 * result. The running h enters lane 0. polyPowers() must have run.
 *
 * Bounds: limbs enter a step below 2^27 (carried h < 2^26 plus a message limb),
 * multipliers below 5·(2^26 + 2^8), so each of the five summed products is below
 * 2^55.4 and every 64-bit lane stays below 2^58; four lanes summed at the end
 * stay below 2^60.
 *
 * Each i64x2.extmul is two unpacks and one pmuludq in V8, so the shuffle units
 * bound this at roughly 1.5× the scalar MAC, not the 2–4× of native AVX2 code:
 * raw poly1305 over 65519 B, same run, 35.3 → 23.6 µs (Zen 4, Node 20).
 */
function polyBlocksSimd(p: usize, groups: i32): void {
  const mask = i32x4.splat(0x3ffffff);
  const mask64 = i64x2.splat(0x3ffffff);
  const hibit = i32x4.splat(1 << 24);
  let H0 = i32x4(<i32>h0, 0, 0, 0), H1 = i32x4(<i32>h1, 0, 0, 0), H2 = i32x4(<i32>h2, 0, 0, 0);
  let H3 = i32x4(<i32>h3, 0, 0, 0), H4 = i32x4(<i32>h4, 0, 0, 0);
  let D0l = i64x2.splat(0), D1l = D0l, D2l = D0l, D3l = D0l, D4l = D0l;
  let D0h = D0l, D1h = D0l, D2h = D0l, D3h = D0l, D4h = D0l;
  for (let g = 0; g < groups; g++) {
    const b0 = v128.load(p, 0), b1 = v128.load(p, 16), b2 = v128.load(p, 32), b3 = v128.load(p, 48);
    const lo01 = v128.shuffle<u32>(b0, b1, 0, 4, 1, 5), lo23 = v128.shuffle<u32>(b2, b3, 0, 4, 1, 5);
    const hi01 = v128.shuffle<u32>(b0, b1, 2, 6, 3, 7), hi23 = v128.shuffle<u32>(b2, b3, 2, 6, 3, 7);
    const w0 = v128.shuffle<u64>(lo01, lo23, 0, 2), w1 = v128.shuffle<u64>(lo01, lo23, 1, 3);
    const w2 = v128.shuffle<u64>(hi01, hi23, 0, 2), w3 = v128.shuffle<u64>(hi01, hi23, 1, 3);
    H0 = i32x4.add(H0, v128.and(w0, mask));
    H1 = i32x4.add(H1, v128.and(v128.or(i32x4.shr_u(w0, 26), i32x4.shl(w1, 6)), mask));
    H2 = i32x4.add(H2, v128.and(v128.or(i32x4.shr_u(w1, 20), i32x4.shl(w2, 12)), mask));
    H3 = i32x4.add(H3, v128.and(v128.or(i32x4.shr_u(w2, 14), i32x4.shl(w3, 18)), mask));
    H4 = i32x4.add(H4, v128.or(i32x4.shr_u(w3, 8), hibit));
    const k = g == groups - 1 ? LANES_R : SPLAT_R4;
    const P0 = v128.load(k, 0), P1 = v128.load(k, 16), P2 = v128.load(k, 32), P3 = v128.load(k, 48), P4 = v128.load(k, 64);
    const S1 = v128.load(k, 80), S2 = v128.load(k, 96), S3 = v128.load(k, 112), S4 = v128.load(k, 128);
    D0l = i64x2.add(i64x2.add(i64x2.add(mulLo(H0, P0), mulLo(H1, S4)), i64x2.add(mulLo(H2, S3), mulLo(H3, S2))), mulLo(H4, S1));
    D0h = i64x2.add(i64x2.add(i64x2.add(mulHi(H0, P0), mulHi(H1, S4)), i64x2.add(mulHi(H2, S3), mulHi(H3, S2))), mulHi(H4, S1));
    D1l = i64x2.add(i64x2.add(i64x2.add(mulLo(H0, P1), mulLo(H1, P0)), i64x2.add(mulLo(H2, S4), mulLo(H3, S3))), mulLo(H4, S2));
    D1h = i64x2.add(i64x2.add(i64x2.add(mulHi(H0, P1), mulHi(H1, P0)), i64x2.add(mulHi(H2, S4), mulHi(H3, S3))), mulHi(H4, S2));
    D2l = i64x2.add(i64x2.add(i64x2.add(mulLo(H0, P2), mulLo(H1, P1)), i64x2.add(mulLo(H2, P0), mulLo(H3, S4))), mulLo(H4, S3));
    D2h = i64x2.add(i64x2.add(i64x2.add(mulHi(H0, P2), mulHi(H1, P1)), i64x2.add(mulHi(H2, P0), mulHi(H3, S4))), mulHi(H4, S3));
    D3l = i64x2.add(i64x2.add(i64x2.add(mulLo(H0, P3), mulLo(H1, P2)), i64x2.add(mulLo(H2, P1), mulLo(H3, P0))), mulLo(H4, S4));
    D3h = i64x2.add(i64x2.add(i64x2.add(mulHi(H0, P3), mulHi(H1, P2)), i64x2.add(mulHi(H2, P1), mulHi(H3, P0))), mulHi(H4, S4));
    D4l = i64x2.add(i64x2.add(i64x2.add(mulLo(H0, P4), mulLo(H1, P3)), i64x2.add(mulLo(H2, P2), mulLo(H3, P1))), mulLo(H4, P0));
    D4h = i64x2.add(i64x2.add(i64x2.add(mulHi(H0, P4), mulHi(H1, P3)), i64x2.add(mulHi(H2, P2), mulHi(H3, P1))), mulHi(H4, P0));
    p += 64;
    if (g == groups - 1) break;
    // Carry, both halves side by side, then narrow back to 32-bit lanes.
    D1l = i64x2.add(D1l, i64x2.shr_u(D0l, 26)); D1h = i64x2.add(D1h, i64x2.shr_u(D0h, 26));
    D0l = v128.and(D0l, mask64); D0h = v128.and(D0h, mask64);
    D2l = i64x2.add(D2l, i64x2.shr_u(D1l, 26)); D2h = i64x2.add(D2h, i64x2.shr_u(D1h, 26));
    D1l = v128.and(D1l, mask64); D1h = v128.and(D1h, mask64);
    D3l = i64x2.add(D3l, i64x2.shr_u(D2l, 26)); D3h = i64x2.add(D3h, i64x2.shr_u(D2h, 26));
    D2l = v128.and(D2l, mask64); D2h = v128.and(D2h, mask64);
    D4l = i64x2.add(D4l, i64x2.shr_u(D3l, 26)); D4h = i64x2.add(D4h, i64x2.shr_u(D3h, 26));
    D3l = v128.and(D3l, mask64); D3h = v128.and(D3h, mask64);
    let cl = i64x2.shr_u(D4l, 26), ch = i64x2.shr_u(D4h, 26);
    D0l = i64x2.add(D0l, i64x2.add(cl, i64x2.shl(cl, 2))); D0h = i64x2.add(D0h, i64x2.add(ch, i64x2.shl(ch, 2)));
    D4l = v128.and(D4l, mask64); D4h = v128.and(D4h, mask64);
    D1l = i64x2.add(D1l, i64x2.shr_u(D0l, 26)); D1h = i64x2.add(D1h, i64x2.shr_u(D0h, 26));
    D0l = v128.and(D0l, mask64); D0h = v128.and(D0h, mask64);
    H0 = v128.shuffle<u32>(D0l, D0h, 0, 2, 4, 6); H1 = v128.shuffle<u32>(D1l, D1h, 0, 2, 4, 6);
    H2 = v128.shuffle<u32>(D2l, D2h, 0, 2, 4, 6); H3 = v128.shuffle<u32>(D3l, D3h, 0, 2, 4, 6);
    H4 = v128.shuffle<u32>(D4l, D4h, 0, 2, 4, 6);
  }
  // Sum the lanes (each < 2^58, so four fit), then one scalar carry chain.
  D0l = i64x2.add(D0l, D0h); D1l = i64x2.add(D1l, D1h); D2l = i64x2.add(D2l, D2h);
  D3l = i64x2.add(D3l, D3h); D4l = i64x2.add(D4l, D4h);
  const d0 = i64x2.extract_lane(D0l, 0) + i64x2.extract_lane(D0l, 1);
  let d1 = i64x2.extract_lane(D1l, 0) + i64x2.extract_lane(D1l, 1);
  let d2 = i64x2.extract_lane(D2l, 0) + i64x2.extract_lane(D2l, 1);
  let d3 = i64x2.extract_lane(D3l, 0) + i64x2.extract_lane(D3l, 1);
  let d4 = i64x2.extract_lane(D4l, 0) + i64x2.extract_lane(D4l, 1);
  let a0: u64, a1: u64, a2: u64, a3: u64, a4: u64;
  d1 += d0 >> 26; a0 = d0 & MASK26;
  d2 += d1 >> 26; a1 = d1 & MASK26;
  d3 += d2 >> 26; a2 = d2 & MASK26;
  d4 += d3 >> 26; a3 = d3 & MASK26;
  a0 += (d4 >> 26) * 5; a4 = d4 & MASK26;
  a1 += a0 >> 26; a0 &= MASK26;
  h0 = a0; h1 = a1; h2 = a2; h3 = a3; h4 = a4;
}

/**
 * Full blocks from which the SIMD build takes the vector MAC: below, the
 * powers r³ and r⁴ (two multiplications and 23 vector stores, wiped after the
 * call) cost more than the few four-block steps save.
 */
const VECTOR_MAC_MIN_BLOCKS = 16;

/** Absorbs `full` 16-byte blocks at p: groups of four in vector lanes when there are enough (SIMD build), the rest in scalar. */
function polyFullBlocks(p: usize, full: i32): void {
  if (ASC_FEATURE_SIMD && full >= VECTOR_MAC_MIN_BLOCKS) {
    polyPowers();
    const groups = full >> 2;
    polyBlocksSimd(p, groups);
    p += <usize>groups << 6;
    full &= 3;
  }
  if (full > 0) polyBlocks(p, full, 1 << 24);
}

/** AEAD input: p[0..len) then zero padding to a multiple of 16 (§2.8). */
function polyPadded(p: usize, len: i32): void {
  const full = len >> 4;
  polyFullBlocks(p, full);
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
  if (ASC_FEATURE_SIMD && powersSet) {
    memory.fill(POWERS, 0, 80); memory.fill(SPLAT_R4, 0, 144); memory.fill(LANES_R, 0, 144);
    powersSet = false;
  }
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

/**
 * SIMD seal: one pass that encrypts 256-byte chunks while MACing the ciphertext
 * one chunk behind (scalar MAC, interleaved into block4).
 *
 * Measured and not kept (65519 B, paired runs on a shared Zen 4, Node 20):
 * - encrypt 1 KiB, then vector-MAC it while it is in L1: 62.6 → 65.8 µs;
 * - split MAC, half scalar interleaved (4 steps per pass) and half vector
 *   after, joined by h_A·r^k + h_B: paired median +3% (no gain);
 * - three blocks in row form (12 live vectors, no spills, no transpose)
 *   instead of four in lanes: raw ChaCha20 +29%;
 * - the double-round loop unrolled by two: raw ChaCha20 −1.5%, but seal +16%
 *   (its two MAC steps then run back to back);
 * - the interleaved MAC's multipliers (r, 5r, r², 5r²) read from memory as
 *   imul operands instead of held in locals: +2.8% (V8 hoists the loads and
 *   spills them anyway; the step stays at about two moves per multiply);
 * - the wrapping products summed first and multiplied by 5 once (10 live
 *   multipliers instead of 18): seal +0.8%, scalar raw MAC ±0;
 * - two single-block MAC steps per double round instead of one Horner-by-two
 *   step: seal +12%;
 * - scalar build, MAC interleaved into block1: paired median +7%.
 */
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

/**
 * SIMD open: one pass, as seal's, that MACs each 256-byte chunk of ciphertext
 * (scalar MAC interleaved into block4, which reads the chunk during the double
 * rounds and only then stores it XORed) and decrypts it in place. The verdict
 * comes after the pass; on a mismatch DATA is zeroed before the call returns,
 * so no plaintext byte leaves the kernel unless the tag matched (the JS side
 * reads DATA only on a return of 1).
 *
 * Measured against the former two passes (vector MAC of the whole message,
 * compare, then decrypt on a match), 65519 B in a Node 20 loop, cpu profile:
 * the decrypt pass alone cost as much as the whole fused seal and the vector
 * MAC half of that again, so open ran at 1.5× seal; two processes on loopback
 * (bench/e2e.js) were bound by the receiver's open. Fused, open costs what
 * seal does: 65519 B in a loop, quiet machine, same run, two-pass 70–74 µs,
 * fused 49–53 µs, seal 48 µs (Zen 5, Node 20); bench/e2e.js has the rest.
 */
function openSimd(aadLen: i32, len: i32): i32 {
  keyPass(len);
  polyInit(KS);
  polyPadded(AAD, aadLen);
  let ok: i32;
  if (len <= HEAD) {
    polyPadded(DATA, len);
    polyLengthsAndFinish(aadLen, len);
    ok = tagMatches(DATA + <usize>len);
    if (ok) xorTail(DATA, KS + 64, len);
  } else {
    // The head: HEAD is whole Poly1305 blocks, its keystream is KS[64..256) from keyPass.
    polyBlocks(DATA, HEAD >> 4, 1 << 24);
    xorTail(DATA, KS + 64, HEAD);
    const chunks = (len - HEAD) >> 8;
    let counter: u32 = 4;
    let p = DATA + <usize>HEAD;
    for (let j = 0; j < chunks; j++) {
      block4(counter, p, p, p, true);
      p += 256; counter += 4;
    }
    const rest = len - HEAD - (chunks << 8);
    polyPadded(p, rest);
    polyLengthsAndFinish(aadLen, len);
    ok = tagMatches(DATA + <usize>len);
    if (ok && rest > 0) {
      block4(counter, KS, ZERO, 0, false);
      xorTail(p, KS, rest);
    }
  }
  if (!ok) memory.fill(DATA, 0, <usize>len + 16);
  return ok;
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
 * the ciphertext and compares it in constant time. Returns 1 with DATA[0..len)
 * decrypted in place when the tag matches; otherwise returns 0 and zeroes
 * DATA[0..len+16). The SIMD build decrypts in the same pass as it MACs, the
 * scalar one only after the compare; either way no plaintext byte is readable
 * after a call that returned 0.
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
  polyFullBlocks(DATA, full);
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
