/**
 * Pure-JS ChaCha20-Poly1305 fallback on @noble/ciphers (audited; verifies the
 * tag in constant time before decrypting). Same interface as the WASM path,
 * which also hands it messages larger than the kernel's regions.
 */
import { chacha20, chacha20poly1305 } from '@noble/ciphers/chacha.js'
import { poly1305 } from '@noble/ciphers/_poly1305.js'
import type { ChaCha20Poly1305Implementation } from './_aead-types.js'
import { DecryptionError } from './errors.js'

export const chacha20poly1305Js: ChaCha20Poly1305Implementation = {
  seal: (key, nonce, plaintext, aad) => chacha20poly1305(key, nonce, aad).encrypt(plaintext),
  open (key, nonce, ciphertextAndTag, aad) {
    try {
      return chacha20poly1305(key, nonce, aad).decrypt(ciphertextAndTag)
    } catch {
      throw new DecryptionError('chacha20poly1305: authentication failed')
    }
  },
  sealInto (key, nonce, plaintext, aad, out, offset) {
    out.set(chacha20poly1305(key, nonce, aad).encrypt(plaintext), offset)
  },
  openParts (key, nonce, parts, length, aad) {
    return chacha20poly1305Js.open(key, nonce, joinParts(parts, length), aad)
  },
  openPartsInPlace (key, nonce, parts, length, aad) {
    scatter(chacha20poly1305Js.open(key, nonce, joinParts(parts, length), aad), parts)
  },
  forget: () => {},
  chacha20: (key, nonce, data, counter) => chacha20(key, nonce, data, undefined, counter),
  poly1305: (key, message) => poly1305(message, key)
}

/** The pieces of one message as one array (the first piece itself when it is the whole message). */
export function joinParts (parts: readonly Uint8Array[], length: number): Uint8Array {
  const first = parts[0]
  if (parts.length === 1 && first !== undefined && first.length === length) return first
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) { out.set(part, offset); offset += part.length }
  return out
}

/** Writes `bytes` over the start of `parts`, in order. */
export function scatter (bytes: Uint8Array, parts: readonly Uint8Array[]): void {
  let offset = 0
  for (const part of parts) {
    if (offset >= bytes.length) return
    const n = Math.min(part.length, bytes.length - offset)
    part.set(bytes.subarray(offset, offset + n))
    offset += n
  }
}
