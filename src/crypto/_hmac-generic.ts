/**
 * HMAC-SHA256 (RFC 2104 §2) and HKDF-SHA256 (RFC 5869 §2.2–2.3) written
 * against any SHA-256 implementation's streaming interface. The JS backend
 * uses it for everything; the WASM backend only for inputs too large for the
 * kernel's INPUT region, which its single-call `hmac`/`hkdf` exports need.
 */
import type { MacImplementation, Sha256Implementation } from './_types.js'

/** SHA-256's block size B of RFC 2104. */
const BLOCK_BYTES = 64
const IPAD = 0x36
const OPAD = 0x5c

/** HMAC-SHA256 and HKDF-SHA256 over `sha`. */
export function genericMac (sha: Sha256Implementation): MacImplementation {
  const hmac = (key: Uint8Array, data: Uint8Array): Uint8Array => {
    // Keys longer than a block are replaced by their digest; shorter ones are zero-padded.
    const padded = new Uint8Array(BLOCK_BYTES)
    padded.set(key.length > BLOCK_BYTES ? sha.digest(key) : key)
    for (let i = 0; i < BLOCK_BYTES; i++) padded[i] ^= IPAD
    const inner = sha.create().update(padded).update(data).digest()
    for (let i = 0; i < BLOCK_BYTES; i++) padded[i] ^= IPAD ^ OPAD
    return sha.create().update(padded).update(inner).digest()
  }
  return { hmac, hkdf: (ikm, salt, info, length) => hkdfOver(hmac, ikm, salt, info, length) }
}

/** HKDF Extract then Expand over an HMAC function; `length` is already checked (0 ≤ length ≤ 255 · 32). */
export function hkdfOver (
  hmac: (key: Uint8Array, data: Uint8Array) => Uint8Array,
  ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number
): Uint8Array {
  // An absent salt means HashLen zeros, which pad to the same HMAC key as an empty salt.
  const prk = hmac(salt, ikm)
  const out = new Uint8Array(length)
  // T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i), with T(0) empty: the first message skips the T slot.
  const message = new Uint8Array(32 + info.length + 1)
  message.set(info, 32)
  let start = 32
  for (let i = 1, written = 0; written < length; i++, written += 32) {
    message[message.length - 1] = i
    const block = hmac(prk, message.subarray(start))
    out.set(block.subarray(0, Math.min(32, length - written)), written)
    message.set(block, 0)
    start = 0
  }
  return out
}
