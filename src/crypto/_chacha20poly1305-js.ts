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
  forget: () => {},
  chacha20: (key, nonce, data, counter) => chacha20(key, nonce, data, undefined, counter),
  poly1305: (key, message) => poly1305(message, key)
}
