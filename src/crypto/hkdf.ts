/**
 * HKDF-SHA256 (RFC 5869): Extract-then-Expand key derivation, as Noise uses it
 * (noise spec §4.3, with empty info) and as libp2p uses it elsewhere.
 */
import { checkBytes } from './_check.js'
import type { MacImplementation } from './_types.js'
import { activeMac } from './backends.js'

/** The most output HKDF-SHA256 can produce: 255 blocks of HashLen (RFC 5869 §2.3). */
export const HKDF_SHA256_MAX_LENGTH = 255 * 32

/**
 * Derives `length` bytes (0 ≤ length ≤ 255 · 32, else RangeError) from input
 * keying material `ikm`, `salt` (may be empty: same as HashLen zeros) and
 * context `info`.
 */
export type HkdfSha256 = (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number) => Uint8Array

/** Wraps an implementation with the edge checks, so every backend exposes the same checked API. */
export function checkedHkdfSha256 (impl: () => MacImplementation): HkdfSha256 {
  return (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array => {
    checkBytes(ikm, 'ikm')
    checkBytes(salt, 'salt')
    checkBytes(info, 'info')
    if (!Number.isInteger(length) || length < 0 || length > HKDF_SHA256_MAX_LENGTH) {
      throw new RangeError(`length must be an integer from 0 to ${HKDF_SHA256_MAX_LENGTH}; got ${String(length)}`)
    }
    return impl().hkdf(ikm, salt, info, length)
  }
}

/** HKDF-SHA256 on the active backend. */
export const hkdfSha256: HkdfSha256 = /* @__PURE__ */ checkedHkdfSha256(activeMac)
