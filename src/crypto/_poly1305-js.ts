/**
 * Poly1305 (RFC 8439 §2.5) in plain JS, written for size (the fallback where
 * no WASM build runs; see ./_chacha20-js.ts). The accumulator and r are ten
 * 13-bit limbs of the 130-bit numbers: a product of two limbs, times the 5 of
 * 2^130 ≡ 5 (mod 2^130 − 5), summed ten times, stays far below 2^53, so plain
 * JS numbers compute it exactly, with no BigInt and no data-dependent branch.
 */

/** Limbs per 130-bit number, and bits per limb. */
const LIMBS = 10
const BITS = 13
const MASK = (1 << BITS) - 1

const h = new Float64Array(LIMBS)
const r = new Float64Array(LIMBS)
/** 5·r, limb by limb: limb i + 10 of a product is limb i times 2^130 ≡ 5. */
const r5 = new Float64Array(LIMBS)
const m = new Float64Array(LIMBS)
const t = new Float64Array(LIMBS)
/** One block as a 17-byte little-endian number: 16 message bytes and the byte holding bit 128. */
const block = new Uint8Array(17)
let s: Uint8Array = new Uint8Array(16)

/** `into` = the 13-bit limbs of the 17-byte number in `block`. */
function toLimbs (into: Float64Array): void {
  for (let i = 0; i < LIMBS; i++) {
    const bit = BITS * i
    const at = bit >> 3
    into[i] = (block[at]! | block[at + 1]! << 8 | block[at + 2]! << 16) >>> (bit & 7) & MASK
  }
}

/** h = (h + block) · r mod 2^130 − 5, partly carried: every limb below 2^13 but the second, a little above. */
function absorb (): void {
  toLimbs(m)
  for (let i = 0; i < LIMBS; i++) h[i] = h[i]! + m[i]!
  for (let i = 0; i < LIMBS; i++) {
    let d = 0
    for (let j = 0; j <= i; j++) d += h[j]! * r[i - j]!
    for (let j = i + 1; j < LIMBS; j++) d += h[j]! * r5[i + LIMBS - j]!
    t[i] = d
  }
  let c = 0
  for (let i = 0; i < LIMBS; i++) {
    const v = t[i]! + c
    c = Math.floor(v / (MASK + 1))
    h[i] = v - c * (MASK + 1)
  }
  const v = h[0]! + 5 * c
  h[0] = v % (MASK + 1)
  h[1] = h[1]! + Math.floor(v / (MASK + 1))
}

/** Starts a MAC under the one-time key (r clamped as in RFC 8439 §2.5.1). */
export function poly1305Start (key: Uint8Array): void {
  block.set(key.subarray(0, 16))
  block[16] = 0
  for (const i of [3, 7, 11, 15]) block[i]! &= 15
  for (const i of [4, 8, 12]) block[i]! &= 252
  toLimbs(r)
  for (let i = 0; i < LIMBS; i++) r5[i] = 5 * r[i]!
  h.fill(0)
  s = key.slice(16, 32)
}

/**
 * Absorbs `data` 16 bytes at a time. With `padded` (the AEAD's pad16, RFC 8439
 * §2.8), a short last block is zero-filled to a full one; without, it is the
 * bare §2.5 message whose last block ends at its 0x01 byte.
 */
export function poly1305Update (data: Uint8Array, padded: boolean): void {
  for (let at = 0; at < data.length; at += 16) {
    const n = Math.min(16, data.length - at)
    block.fill(0)
    for (let i = 0; i < n; i++) block[i] = data[at + i]!
    block[n === 16 || padded ? 16 : n] = 1
    absorb()
  }
}

/** Ends the MAC: the tag, h fully reduced mod 2^130 − 5, plus s, mod 2^128. */
export function poly1305Finish (): Uint8Array {
  let c = 0
  // Three carry passes bring h below 2^130 (the wrap-around of each adds 5 per carry).
  for (let pass = 0; pass < 3; pass++, c *= 5) {
    for (let i = 0; i < LIMBS; i++) {
      const v = h[i]! + c
      c = v >>> BITS
      h[i] = v & MASK
    }
  }
  // h − p = h + 5 − 2^130: taken, without a branch, when it does not go negative.
  c = 5
  for (let i = 0; i < LIMBS; i++) {
    const v = h[i]! + c
    c = v >>> BITS
    t[i] = v & MASK
  }
  const take = -c
  for (let i = 0; i < LIMBS; i++) h[i] = (h[i]! & ~take) | (t[i]! & take)
  const tag = new Uint8Array(16)
  let acc = 0
  let bits = 0
  let carry = 0
  for (let i = 0, o = 0; i < LIMBS; i++) {
    acc |= h[i]! << bits
    for (bits += BITS; bits >= 8 && o < 16; bits -= 8, acc >>>= 8, o++) {
      const v = (acc & 255) + s[o]! + carry
      tag[o] = v
      carry = v >>> 8
    }
  }
  h.fill(0); r.fill(0); r5.fill(0); m.fill(0); t.fill(0); block.fill(0); s.fill(0)
  return tag
}

/** RFC 8439 §2.5: the tag of `message` under the one-time 32-byte key. */
export function poly1305 (key: Uint8Array, message: Uint8Array): Uint8Array {
  poly1305Start(key)
  poly1305Update(message, false)
  return poly1305Finish()
}
