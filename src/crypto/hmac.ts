/**
 * HMAC-SHA256 (RFC 2104, with the SHA-256 test vectors of RFC 4231):
 * `hmacSha256(key, data)` → 32-byte tag, on the active backend.
 */
import { checkBytes } from './_check.js'
import type { MacImplementation } from './_types.js'
import { activeMac } from './backends.js'

/** HMAC-SHA256 of `data` under `key` (any length; keys over 64 bytes are hashed first, RFC 2104 §2). */
export type HmacSha256 = (key: Uint8Array, data: Uint8Array) => Uint8Array

/** Wraps an implementation with the edge checks, so every backend exposes the same checked API. */
export function checkedHmacSha256 (impl: () => MacImplementation): HmacSha256 {
  return (key: Uint8Array, data: Uint8Array): Uint8Array => {
    checkBytes(key, 'key')
    checkBytes(data, 'data')
    return impl().hmac(key, data)
  }
}

/** HMAC-SHA256 on the active backend. */
export const hmacSha256: HmacSha256 = /* @__PURE__ */ checkedHmacSha256(activeMac)
