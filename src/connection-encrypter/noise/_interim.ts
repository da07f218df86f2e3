/**
 * INTERIM stand-ins, used only through `_deps.ts`, for crypto another
 * engineer is writing in parallel (src/crypto: hmacSha256, hkdfSha256),
 * built directly on @noble/hashes. Delete this file once `_deps.ts`
 * re-exports the real modules.
 */
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'

export function hmacSha256 (key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(nobleSha256, key, data)
}

export function hkdfSha256 (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return hkdf(nobleSha256, ikm, salt, info, length)
}
