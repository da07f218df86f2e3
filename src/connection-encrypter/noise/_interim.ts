/**
 * INTERIM stand-ins, used only through `_deps.ts`, for crypto other engineers
 * are writing in parallel (src/crypto: chacha20poly1305, hmacSha256,
 * hkdfSha256), built directly on @noble/*. Delete this file once `_deps.ts`
 * re-exports the real modules.
 */
import { chacha20poly1305 as nobleChacha } from '@noble/ciphers/chacha.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'

/** AEAD authentication failed (wrong key, nonce, associated data, or a modified ciphertext). */
export class DecryptionError extends Error {
  override name = 'DecryptionError'
}

export function hmacSha256 (key: Uint8Array, data: Uint8Array): Uint8Array {
  return hmac(nobleSha256, key, data)
}

export function hkdfSha256 (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  return hkdf(nobleSha256, ikm, salt, info, length)
}

export interface ChaCha20Poly1305 {
  encrypt: (nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array) => Uint8Array
  decrypt: (nonce: Uint8Array, ciphertextAndTag: Uint8Array, aad?: Uint8Array) => Uint8Array
  dispose?: () => void
}

export function chacha20poly1305 (key: Uint8Array): ChaCha20Poly1305 {
  return {
    encrypt: (nonce, plaintext, aad) => nobleChacha(key, nonce, aad).encrypt(plaintext),
    decrypt: (nonce, ciphertextAndTag, aad) => {
      try {
        return nobleChacha(key, nonce, aad).decrypt(ciphertextAndTag)
      } catch (err) {
        throw new DecryptionError('ChaCha20-Poly1305 authentication failed', { cause: err })
      }
    }
  }
}
