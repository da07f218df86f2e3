/**
 * The interface every ChaCha20-Poly1305 backend (wasm-simd, wasm, js)
 * implements identically. Inputs are already checked by src/crypto/chacha20poly1305.ts.
 */
export interface ChaCha20Poly1305Implementation {
  /** RFC 8439 §2.8 seal: returns ciphertext ‖ 16-byte tag. */
  seal: (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array) => Uint8Array
  /** RFC 8439 §2.8 open: verifies the tag first; throws DecryptionError and returns nothing on mismatch. */
  open: (key: Uint8Array, nonce: Uint8Array, ciphertextAndTag: Uint8Array, aad: Uint8Array) => Uint8Array
  /** seal, writing ciphertext ‖ tag into `out` at `offset` (room already checked) instead of a new array. */
  sealInto: (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array, out: Uint8Array, offset: number) => void
  /** open, for a ciphertext ‖ tag that arrived in pieces (`parts`, `length` bytes in all), with no concatenation first. */
  openParts: (key: Uint8Array, nonce: Uint8Array, parts: readonly Uint8Array[], length: number, aad: Uint8Array) => Uint8Array
  /** openParts, writing the plaintext over the first `length - 16` bytes of `parts` instead of a new array. */
  openPartsInPlace: (key: Uint8Array, nonce: Uint8Array, parts: readonly Uint8Array[], length: number, aad: Uint8Array) => void
  /** Erases any copy of `key` the backend keeps (the kernel's KEY region). */
  forget: (key: Uint8Array) => void
  /** RFC 8439 §2.4 ChaCha20: data XOR keystream from block `counter`, as a new array. */
  chacha20: (key: Uint8Array, nonce: Uint8Array, data: Uint8Array, counter: number) => Uint8Array
  /** RFC 8439 §2.5 Poly1305 under a one-time 32-byte key. */
  poly1305: (key: Uint8Array, message: Uint8Array) => Uint8Array
}
