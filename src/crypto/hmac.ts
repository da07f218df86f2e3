/**
 * HMAC-SHA256 (RFC 2104, with the SHA-256 test vectors of RFC 4231):
 * `hmacSha256(key, data)` → 32-byte tag, on the active backend.
 */
import { checkBytes } from './_check.js'
import { activeMac } from './backends.js'

/** HMAC-SHA256 of `data` under `key` (any length; keys over 64 bytes are hashed first, RFC 2104 §2). */
export function hmacSha256 (key: Uint8Array, data: Uint8Array): Uint8Array {
  checkBytes(key, 'key')
  checkBytes(data, 'data')
  return activeMac().hmac(key, data)
}
