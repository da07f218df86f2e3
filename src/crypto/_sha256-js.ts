/**
 * Pure-JS SHA-256 fallback: @noble/hashes (already installed as a dependency
 * of @noble/curves), audited and constant-shape. Same interface as the WASM path.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import type { Sha256Hasher, Sha256Implementation } from './_types.js'

export const sha256Js: Sha256Implementation = {
  digest: (data: Uint8Array): Uint8Array => nobleSha256(data),
  create: (): Sha256Hasher => {
    const inner = nobleSha256.create()
    const hasher: Sha256Hasher = {
      update (data: Uint8Array) { inner.update(data); return hasher },
      digest: () => inner.digest()
    }
    return hasher
  },
  digestMany: (messages: Uint8Array, length: number): Uint8Array => {
    const count = length === 0 ? 0 : messages.length / length
    const out = new Uint8Array(count * 32)
    for (let i = 0; i < count; i++) out.set(nobleSha256(messages.subarray(i * length, (i + 1) * length)), i * 32)
    return out
  }
}
