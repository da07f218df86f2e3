/**
 * Pure-JS SHA-256 fallback (FIPS 180-4 §6.2), same interface as the WASM path.
 *
 * Our own rather than @noble/hashes: a browser bundle that runs on the WASM
 * kernels still carries this fallback, and noble's sha2 module with its
 * shared helpers cost 2 KB gzipped of a basic node against about 0.6 KB for
 * this file (bench/bundle.js). It is checked against node:crypto and the
 * FIPS vectors by test/crypto/sha256*.test.js on the `js` backend.
 */
import type { Sha256Hasher, Sha256Implementation } from './_types.js'

/** §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = /* @__PURE__ */ Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
])
/** §5.3.3: the initial hash value. */
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]

const BLOCK = 64

class Sha256 implements Sha256Hasher {
  readonly #h = Uint32Array.from(H0)
  readonly #w = new Uint32Array(64)
  readonly #block = new Uint8Array(BLOCK)
  #filled = 0
  #length = 0
  #done = false

  update (data: Uint8Array): this {
    if (this.#done) throw new Error('sha256: hasher already finalized')
    let at = 0
    this.#length += data.length
    if (this.#filled > 0) {
      const take = Math.min(BLOCK - this.#filled, data.length)
      this.#block.set(data.subarray(0, take), this.#filled)
      this.#filled += take
      at = take
      if (this.#filled < BLOCK) return this
      this.#compress(this.#block, 0)
      this.#filled = 0
    }
    for (; at + BLOCK <= data.length; at += BLOCK) this.#compress(data, at)
    this.#block.set(data.subarray(at), 0)
    this.#filled = data.length - at
    return this
  }

  /** §5.1.1: a 1 bit, zeros, then the message length in bits as 64 bits big-endian. */
  digest (): Uint8Array {
    if (this.#done) throw new Error('sha256: hasher already finalized')
    this.#done = true
    const bits = this.#length * 8
    const block = this.#block
    block[this.#filled] = 0x80
    block.fill(0, this.#filled + 1)
    if (this.#filled >= BLOCK - 8) {
      this.#compress(block, 0)
      block.fill(0)
    }
    const view = new DataView(block.buffer, block.byteOffset, BLOCK)
    view.setUint32(56, Math.floor(bits / 0x100000000))
    view.setUint32(60, bits >>> 0)
    this.#compress(block, 0)
    const out = new Uint8Array(32)
    const outView = new DataView(out.buffer)
    for (let i = 0; i < 8; i++) outView.setUint32(i * 4, this.#h[i])
    return out
  }

  /** §6.2.2, one 64-byte block at `at`. */
  #compress (data: Uint8Array, at: number): void {
    const w = this.#w
    const h = this.#h
    for (let t = 0; t < 16; t++, at += 4) w[t] = (data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3]
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]
      const y = w[t - 2]
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
      w[t] = (s1 + w[t - 7] + s0 + w[t - 16]) | 0
    }
    let a = h[0]; let b = h[1]; let c = h[2]; let d = h[3]
    let e = h[4]; let f = h[5]; let g = h[6]; let k = h[7]
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const t1 = (k + S1 + ((e & f) ^ (~e & g)) + K[t] + w[t]) | 0
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0
      k = g; g = f; f = e; e = (d + t1) | 0
      d = c; c = b; b = a; a = (t1 + t2) | 0
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d
    h[4] += e; h[5] += f; h[6] += g; h[7] += k
  }
}

const digest = (data: Uint8Array): Uint8Array => new Sha256().update(data).digest()

export const sha256Js: Sha256Implementation = {
  digest,
  create: (): Sha256Hasher => new Sha256(),
  digestMany: (messages: Uint8Array, length: number): Uint8Array => {
    const count = length === 0 ? 0 : messages.length / length
    const out = new Uint8Array(count * 32)
    for (let i = 0; i < count; i++) out.set(digest(messages.subarray(i * length, (i + 1) * length)), i * 32)
    return out
  }
}
