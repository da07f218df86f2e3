/**
 * ChaCha20-Poly1305 AEAD (RFC 8439 §2.8), the cipher of every Noise message
 * after the first DH (Noise spec §4.2 and §12.3 "The ChaChaPoly cipher
 * functions"; libp2p's Noise_XX_25519_ChaChaPoly_SHA256, specs/noise).
 *
 *   const cipher = chacha20poly1305(key32)
 *   const sealed = cipher.encrypt(nonce12, plaintext, aad)   // ciphertext ‖ 16-byte tag
 *   const opened = cipher.decrypt(nonce12, sealed, aad)      // throws DecryptionError
 *   cipher.dispose()                                         // zeroes the key copies
 *
 * The cipher keeps its own copy of the key; each call runs on the backend
 * active at that moment (`useBackend()`).
 */
import { checkBytes } from './_check.js'
import type { ChaCha20Poly1305Implementation } from './_aead-types.js'
import { activeChacha20Poly1305 } from './backends.js'
import { chacha20poly1305Js } from './_chacha20poly1305-js.js'
import { forgetKeyInKernels } from './_chacha20poly1305-wasm.js'
import { DecryptionError } from './errors.js'

export { DecryptionError }

/** Key length, RFC 8439 §2.8. */
export const CHACHA20POLY1305_KEY_LENGTH = 32
/** Nonce length of the IETF variant, RFC 8439 §2.8. */
export const CHACHA20POLY1305_NONCE_LENGTH = 12
/** Tag length, RFC 8439 §2.8. */
export const CHACHA20POLY1305_TAG_LENGTH = 16

const EMPTY = new Uint8Array(0)

export interface ChaCha20Poly1305 {
  /** Returns ciphertext ‖ tag (plaintext.length + 16 bytes). */
  encrypt: (nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array) => Uint8Array
  /** Verifies the tag, then returns the plaintext; throws DecryptionError and leaves no plaintext otherwise. */
  decrypt: (nonce: Uint8Array, ciphertextAndTag: Uint8Array, aad?: Uint8Array) => Uint8Array
  /**
   * Like encrypt, but writes ciphertext ‖ tag into `out` at `offset` and
   * returns the bytes written (plaintext.length + 16): a caller that frames
   * messages (Noise) seals straight into its output, with no array per message.
   */
  encryptInto: (nonce: Uint8Array, plaintext: Uint8Array, out: Uint8Array, offset: number, aad?: Uint8Array) => number
  /**
   * Like decrypt, for a ciphertext ‖ tag that arrived in consecutive pieces
   * (`parts`, e.g. network chunks): no concatenation before decrypting.
   */
  decryptParts: (nonce: Uint8Array, parts: readonly Uint8Array[], aad?: Uint8Array) => Uint8Array
  /**
   * Like decryptParts, but writes the plaintext over the ciphertext (the
   * first `length - 16` bytes of `parts`, in order) and allocates nothing. On
   * failure it throws DecryptionError and leaves `parts` untouched.
   */
  decryptInPlace: (nonce: Uint8Array, parts: readonly Uint8Array[], aad?: Uint8Array) => void
  /** Zeroes every copy of the key; the cipher cannot be used afterwards. */
  dispose: () => void
}

/** Wraps an implementation with the edge checks, so every backend exposes the same checked API. */
export function checkedChacha20Poly1305 (impl: () => ChaCha20Poly1305Implementation): (key: Uint8Array) => ChaCha20Poly1305 {
  return (key: Uint8Array): ChaCha20Poly1305 => new CheckedChaCha20Poly1305(impl, key)
}

/**
 * A class rather than an object literal of closures: a Noise session keeps two
 * ciphers for its life, and the literal's seven closures and their context came
 * to about 0.6 KiB per cipher (bench/e2e.js memory rows); prototype methods cost nothing per instance.
 */
class CheckedChaCha20Poly1305 implements ChaCha20Poly1305 {
  readonly #impl: () => ChaCha20Poly1305Implementation
  /** A copy that is always a plain Uint8Array: Buffer#slice would alias the caller's key. */
  readonly #key: Uint8Array
  #disposed = false

  constructor (impl: () => ChaCha20Poly1305Implementation, key: Uint8Array) {
    checkBytes(key, 'key', CHACHA20POLY1305_KEY_LENGTH)
    this.#impl = impl
    this.#key = new Uint8Array(key)
  }

  #checkCall (nonce: Uint8Array, data: Uint8Array, aad: Uint8Array | undefined): Uint8Array {
    if (this.#disposed) throw new Error('chacha20poly1305: cipher was disposed')
    checkBytes(nonce, 'nonce', CHACHA20POLY1305_NONCE_LENGTH)
    checkBytes(data, 'data')
    if (aad === undefined) return EMPTY
    checkBytes(aad, 'aad')
    return aad
  }

  encrypt (nonce: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): Uint8Array {
    const associated = this.#checkCall(nonce, plaintext, aad)
    return this.#impl().seal(this.#key, nonce, plaintext, associated)
  }

  decrypt (nonce: Uint8Array, ciphertextAndTag: Uint8Array, aad?: Uint8Array): Uint8Array {
    const associated = this.#checkCall(nonce, ciphertextAndTag, aad)
    // Too short to hold a tag: a malformed message from the network, not a caller bug.
    if (ciphertextAndTag.length < CHACHA20POLY1305_TAG_LENGTH) throw new DecryptionError('chacha20poly1305: message shorter than the 16-byte tag')
    return this.#impl().open(this.#key, nonce, ciphertextAndTag, associated)
  }

  encryptInto (nonce: Uint8Array, plaintext: Uint8Array, out: Uint8Array, offset: number, aad?: Uint8Array): number {
    const associated = this.#checkCall(nonce, plaintext, aad)
    checkBytes(out, 'out')
    const written = plaintext.length + CHACHA20POLY1305_TAG_LENGTH
    if (!Number.isInteger(offset) || offset < 0 || offset + written > out.length) {
      throw new RangeError(`chacha20poly1305: out has no room for ${written} bytes at offset ${offset}`)
    }
    this.#impl().sealInto(this.#key, nonce, plaintext, associated, out, offset)
    return written
  }

  decryptParts (nonce: Uint8Array, parts: readonly Uint8Array[], aad?: Uint8Array): Uint8Array {
    let length = 0
    for (const part of parts) { checkBytes(part, 'part'); length += part.length }
    const associated = this.#checkCall(nonce, EMPTY, aad)
    if (length < CHACHA20POLY1305_TAG_LENGTH) throw new DecryptionError('chacha20poly1305: message shorter than the 16-byte tag')
    return this.#impl().openParts(this.#key, nonce, parts, length, associated)
  }

  decryptInPlace (nonce: Uint8Array, parts: readonly Uint8Array[], aad?: Uint8Array): void {
    let length = 0
    for (const part of parts) { checkBytes(part, 'part'); length += part.length }
    const associated = this.#checkCall(nonce, EMPTY, aad)
    if (length < CHACHA20POLY1305_TAG_LENGTH) throw new DecryptionError('chacha20poly1305: message shorter than the 16-byte tag')
    this.#impl().openPartsInPlace(this.#key, nonce, parts, length, associated)
  }

  dispose (): void {
    if (this.#disposed) return
    this.#disposed = true
    forgetKeyInKernels(this.#key)
    chacha20poly1305Js.forget(this.#key)
    this.#key.fill(0)
  }
}

/** ChaCha20-Poly1305 on the active backend. */
export const chacha20poly1305: (key: Uint8Array) => ChaCha20Poly1305 = /* @__PURE__ */ checkedChacha20Poly1305(activeChacha20Poly1305)
