/**
 * ChaCha20 (RFC 8439 §2.1–2.4) in plain JS, written for size: it is the
 * fallback where no WASM build runs, and every browser bundle carries it, so
 * the rounds are a loop over an index table rather than unrolled (speed in
 * bench/crypto-chacha.js, the "wasp2p js" rows).
 */

/** "expand 32-byte k" as four little-endian words, RFC 8439 §2.3. */
const SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]

/** The eight quarter rounds of a double round (column then diagonal), RFC 8439 §2.3: indices a, b, c, d of each. */
const ROUNDS = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15, 0, 5, 10, 15, 1, 6, 11, 12, 2, 7, 8, 13, 3, 4, 9, 14]

/** The little-endian 32-bit word at `at`. */
export const word = (b: Uint8Array, at: number): number => (b[at]! | b[at + 1]! << 8 | b[at + 2]! << 16 | b[at + 3]! << 24) >>> 0

const state = new Uint32Array(16)
const x = new Uint32Array(16)
/** One keystream block, reused: callers copy what they keep. */
const keystream = new Uint8Array(64)

/** RFC 8439 §2.3: the 64-byte block for (key, counter, nonce), into `keystream`. */
function block (key: Uint8Array, nonce: Uint8Array, counter: number): Uint8Array {
  for (let i = 0; i < 4; i++) state[i] = SIGMA[i]!
  for (let i = 0; i < 8; i++) state[4 + i] = word(key, 4 * i)
  state[12] = counter
  for (let i = 0; i < 3; i++) state[13 + i] = word(nonce, 4 * i)
  x.set(state)
  for (let round = 0; round < 80; round++) {
    const q = (round & 7) * 4
    const a = ROUNDS[q]!; const b = ROUNDS[q + 1]!; const c = ROUNDS[q + 2]!; const d = ROUNDS[q + 3]!
    // §2.1 quarter round; Uint32Array stores wrap the sums mod 2^32.
    x[a] = x[a]! + x[b]!; x[d] = rotl(x[d]! ^ x[a]!, 16)
    x[c] = x[c]! + x[d]!; x[b] = rotl(x[b]! ^ x[c]!, 12)
    x[a] = x[a]! + x[b]!; x[d] = rotl(x[d]! ^ x[a]!, 8)
    x[c] = x[c]! + x[d]!; x[b] = rotl(x[b]! ^ x[c]!, 7)
  }
  for (let i = 0; i < 16; i++) {
    const v = x[i]! + state[i]!
    for (let j = 0; j < 4; j++) keystream[4 * i + j] = v >>> (8 * j)
  }
  return keystream
}

const rotl = (v: number, n: number): number => v << n | v >>> (32 - n)

/**
 * RFC 8439 §2.4: `data` XOR the keystream from block `counter`, written into
 * `out` at `offset` (which may be `data` itself at offset 0).
 */
export function chacha20Into (key: Uint8Array, nonce: Uint8Array, data: Uint8Array, counter: number, out: Uint8Array, offset: number): void {
  for (let at = 0; at < data.length; at += 64, counter++) {
    const k = block(key, nonce, counter)
    const end = Math.min(64, data.length - at)
    for (let i = 0; i < end; i++) out[offset + at + i] = data[at + i]! ^ k[i]!
  }
  wipe()
}

/** Key words and keystream do not outlive the call. */
function wipe (): void {
  keystream.fill(0); state.fill(0); x.fill(0)
}

/** RFC 8439 §2.6: the one-time Poly1305 key, the first 32 bytes of block 0. */
export function poly1305KeyGen (key: Uint8Array, nonce: Uint8Array): Uint8Array {
  const otk = block(key, nonce, 0).slice(0, 32)
  wipe()
  return otk
}
