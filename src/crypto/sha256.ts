/**
 * SHA-256 (FIPS 180-4): `sha256(data)` and `sha256.create().update(m).digest()`.
 */
import { checkBytes } from './_check.js'
import type { Sha256Hasher, Sha256Implementation } from './_types.js'
import { activeSha256 } from './backends.js'

export type { Sha256Hasher }

export interface Sha256 {
  (data: Uint8Array): Uint8Array
  create: () => Sha256Hasher
}

/** Wraps an implementation with the edge checks, so every backend exposes the same checked API. */
export function checkedSha256 (impl: () => Sha256Implementation): Sha256 {
  const sha256 = (data: Uint8Array): Uint8Array => {
    checkBytes(data, 'data')
    return impl().digest(data)
  }
  sha256.create = (): Sha256Hasher => {
    const inner = impl().create()
    const hasher: Sha256Hasher = {
      update (data: Uint8Array) { checkBytes(data, 'data'); inner.update(data); return hasher },
      digest: () => inner.digest()
    }
    return hasher
  }
  return sha256
}

/** SHA-256 on the active backend. */
export const sha256: Sha256 = /* @__PURE__ */ checkedSha256(activeSha256)

/**
 * Hashes many equal-length messages in one pass (Kademlia keys, batches):
 * `messages` holds them end to end, each `messageLength` bytes long.
 */
export function sha256Many (messages: Uint8Array, messageLength: number): Uint8Array {
  checkBytes(messages, 'messages')
  if (!Number.isInteger(messageLength) || messageLength <= 0 || messages.length % messageLength !== 0) {
    throw new RangeError(`messageLength must be a positive divisor of messages.length (${messages.length}); got ${messageLength}`)
  }
  return activeSha256().digestMany(messages, messageLength)
}
