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

/**
 * The first `count` primes' `n`th roots, fractional part, first 32 bits:
 * §4.2.2 K (cube roots of the first 64 primes) and §5.3.3 H(0) (square roots
 * of the first 8). Computed rather than written out, which is 0.5 KB gzipped
 * less in every browser bundle: exact, since the float estimate (within one
 * unit) is corrected with integer arithmetic, so no engine's Math.pow rounding
 * shows; once, at the first hash (well under a millisecond).
 */
function rootBits (count: number, n: number): Uint32Array {
  const out = new Uint32Array(count)
  for (let p = 2, i = 0; i < count; p++) {
    let prime = true
    for (let d = 2; d * d <= p; d++) if (p % d === 0) prime = false
    if (!prime) continue
    // floor(p^(1/n) · 2^32), the root scaled to 32 fractional bits: its low 32 bits are the fraction's.
    const scaled = BigInt(p) << BigInt(32 * n)
    let x = BigInt(Math.floor(p ** (1 / n) * 2 ** 32))
    while (x ** BigInt(n) > scaled) x--
    while ((x + 1n) ** BigInt(n) <= scaled) x++
    out[i++] = Number(x & 0xffffffffn)
  }
  return out
}

let constants: Uint32Array | undefined
let H0: Uint32Array | undefined

const BLOCK = 64

class Sha256 implements Sha256Hasher {
  readonly #h = (H0 ??= rootBits(8, 2)).slice()
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
    const K = (constants ??= rootBits(64, 3))
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
