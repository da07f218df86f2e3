/** Named errors of the crypto primitives. */

/**
 * An AEAD message failed authentication (wrong key, nonce, AAD, or a modified
 * ciphertext or tag), or is too short to carry a tag. No plaintext is produced.
 */
export class DecryptionError extends Error {
  override name = 'DecryptionError'
}
