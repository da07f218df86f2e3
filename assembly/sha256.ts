// SHA-256 kernel (FIPS 180-4 §6.2).
//
// Calling convention (shared by every wasp2p kernel, see src/wasm/README.md):
// static regions in linear memory, exported as addresses; functions take only
// lengths; nothing is allocated at run time (`--runtime stub`). The JS side
// writes message bytes into INPUT and reads digests from OUTPUT.
//
// Streaming state lives in CONTEXT so that JS can park one hasher's state and
// load another's with a single 128-byte copy (src/crypto/sha256.ts).

/** Bytes of message the JS side may place in INPUT per call. */
export const INPUT_CAPACITY: i32 = 65536;
/** Bytes available in OUTPUT: room for 2048 digests from digestMany. */
export const OUTPUT_CAPACITY: i32 = 65536;
/** Bytes of the streaming context: state(32) ‖ block(64) ‖ blockLen(4) ‖ pad(4) ‖ totalLen(8). */
export const CONTEXT_SIZE: i32 = 112;

export const INPUT: usize = memory.data(INPUT_CAPACITY, 16);
export const OUTPUT: usize = memory.data(OUTPUT_CAPACITY, 16);
export const CONTEXT: usize = memory.data(128, 16);

const STATE: usize = CONTEXT;
const BLOCK: usize = CONTEXT + 32;
const BLOCK_LEN: usize = CONTEXT + 96;
const TOTAL_LEN: usize = CONTEXT + 104;

// Round constants, FIPS 180-4 §4.2.2.
const K: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const W: usize = memory.data(64 * 4, 16);

// @ts-ignore: decorator
@inline function sigma0(x: u32): u32 { return rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3); }
// @ts-ignore: decorator
@inline function sigma1(x: u32): u32 { return rotr(x, 17) ^ rotr(x, 19) ^ (x >>> 10); }

/** Compresses `blocks` consecutive 64-byte blocks at `src` into STATE. */
function compress(src: usize, blocks: i32): void {
  let h0 = load<u32>(STATE, 0), h1 = load<u32>(STATE, 4), h2 = load<u32>(STATE, 8), h3 = load<u32>(STATE, 12);
  let h4 = load<u32>(STATE, 16), h5 = load<u32>(STATE, 20), h6 = load<u32>(STATE, 24), h7 = load<u32>(STATE, 28);
  for (let b = 0; b < blocks; b++) {
    const block = src + (<usize>b << 6);
    for (let i: usize = 0; i < 16; i++) {
      store<u32>(W + (i << 2), bswap(load<u32>(block + (i << 2))));
    }
    for (let i: usize = 16; i < 64; i++) {
      const w15 = load<u32>(W + ((i - 15) << 2));
      const w2 = load<u32>(W + ((i - 2) << 2));
      store<u32>(W + (i << 2), sigma1(w2) + load<u32>(W + ((i - 7) << 2)) + sigma0(w15) + load<u32>(W + ((i - 16) << 2)));
    }
    let a = h0, bb = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    for (let i: usize = 0; i < 64; i++) {
      const t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + load<u32>(K + (i << 2)) + load<u32>(W + (i << 2));
      const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & bb) ^ (a & c) ^ (bb & c));
      h = g; g = f; f = e; e = d + t1;
      d = c; c = bb; bb = a; a = t1 + t2;
    }
    h0 += a; h1 += bb; h2 += c; h3 += d; h4 += e; h5 += f; h6 += g; h7 += h;
  }
  store<u32>(STATE, h0, 0); store<u32>(STATE, h1, 4); store<u32>(STATE, h2, 8); store<u32>(STATE, h3, 12);
  store<u32>(STATE, h4, 16); store<u32>(STATE, h5, 20); store<u32>(STATE, h6, 24); store<u32>(STATE, h7, 28);
}

/** Resets CONTEXT to the initial hash value (FIPS 180-4 §5.3.3). */
export function init(): void {
  store<u32>(STATE, 0x6a09e667, 0); store<u32>(STATE, 0xbb67ae85, 4);
  store<u32>(STATE, 0x3c6ef372, 8); store<u32>(STATE, 0xa54ff53a, 12);
  store<u32>(STATE, 0x510e527f, 16); store<u32>(STATE, 0x9b05688c, 20);
  store<u32>(STATE, 0x1f83d9ab, 24); store<u32>(STATE, 0x5be0cd19, 28);
  store<u32>(BLOCK_LEN, 0);
  store<u64>(TOTAL_LEN, 0);
}

/** Absorbs INPUT[0..len) into CONTEXT. */
export function update(len: i32): void {
  absorb(INPUT, len);
}

function absorb(src: usize, len: i32): void {
  let remaining = len;
  store<u64>(TOTAL_LEN, load<u64>(TOTAL_LEN) + <u64>len);
  let held = load<i32>(BLOCK_LEN);
  if (held > 0) {
    const take = min(64 - held, remaining);
    memory.copy(BLOCK + held, src, take);
    held += take; src += take; remaining -= take;
    if (held < 64) { store<i32>(BLOCK_LEN, held); return; }
    compress(BLOCK, 1);
  }
  const blocks = remaining >> 6;
  if (blocks > 0) compress(src, blocks);
  src += <usize>blocks << 6;
  remaining &= 63;
  memory.copy(BLOCK, src, remaining);
  store<i32>(BLOCK_LEN, remaining);
}

/** Pads, compresses the tail and writes the 32-byte digest to OUTPUT + dst. */
function finish(dst: usize): void {
  const held = load<i32>(BLOCK_LEN);
  const bits = load<u64>(TOTAL_LEN) << 3;
  store<u8>(BLOCK + held, 0x80);
  if (held >= 56) {
    memory.fill(BLOCK + held + 1, 0, 63 - held);
    compress(BLOCK, 1);
    memory.fill(BLOCK, 0, 56);
  } else {
    memory.fill(BLOCK + held + 1, 0, 55 - held);
  }
  store<u64>(BLOCK + 56, bswap(bits));
  compress(BLOCK, 1);
  for (let i: usize = 0; i < 8; i++) {
    store<u32>(dst + (i << 2), bswap(load<u32>(STATE + (i << 2))));
  }
}

/** Writes the digest of everything absorbed since init() to OUTPUT[0..32). */
export function final(): void {
  finish(OUTPUT);
}

/** One call per digest: init ‖ update(len) ‖ final. */
export function digest(len: i32): void {
  init();
  absorb(INPUT, len);
  finish(OUTPUT);
}

/**
 * Hashes `count` independent messages of `len` bytes each, laid end to end in
 * INPUT, writing `count` digests end to end in OUTPUT. Used for batches of
 * equal-length keys (Kademlia key hashing, HKDF expansions).
 */
export function digestMany(count: i32, len: i32): void {
  for (let m = 0; m < count; m++) {
    init();
    absorb(INPUT + <usize>m * <usize>len, len);
    finish(OUTPUT + (<usize>m << 5));
  }
}
