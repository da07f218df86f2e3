/**
 * Noise CipherState (Noise §5.1) for ChaChaPoly (§12.3): a key and a 64-bit
 * counter nonce, sent as 32 zero bits then the counter little-endian.
 *
 * The counter is kept as two exact 32-bit halves, so it never loses
 * precision the way a float past 2^53 would; the value 2^64-1 is reserved by
 * the spec, so reaching it throws NonceExhaustedError before any reuse.
 */
import { chacha20poly1305, DecryptionError, type ChaCha20Poly1305 } from './_deps.js'
import { NoiseDecryptionError, NonceExhaustedError } from './errors.js'

const EMPTY = new Uint8Array(0)
const MAX_UINT32 = 0xffffffff
/**
 * The 12-byte AEAD nonce, rewritten from a CipherState's counter before each
 * use. One for all of them: every cipher call is synchronous and reads it
 * before returning, and a buffer and view per CipherState cost ~260 bytes,
 * twice per connection (the memory rows of bench/e2e.js).
 */
const NONCE = new Uint8Array(12)
const NONCE_VIEW = new DataView(NONCE.buffer)

export class CipherState {
  #aead: ChaCha20Poly1305 | undefined
  #nonceLow = 0
  #nonceHigh = 0

  /** `InitializeKey(key)`: a 32-byte key, or `undefined` for the spec's `empty`. */
  initializeKey (key: Uint8Array | undefined): void {
    // The replaced key is dead (MixKey moves on); let the cipher zero its copies.
    this.#aead?.dispose()
    this.#aead = key === undefined ? undefined : chacha20poly1305(key)
    this.#nonceLow = 0
    this.#nonceHigh = 0
  }

  hasKey (): boolean { return this.#aead !== undefined }

  /** `SetNonce(n)` (Noise §5.1), for out-of-order transports and tests of the nonce limit. */
  setNonce (nonce: bigint): void {
    if (nonce < 0n || nonce > 0xffffffffffffffffn) throw new RangeError(`nonce ${nonce} is not a 64-bit unsigned integer`)
    this.#nonceLow = Number(nonce & 0xffffffffn)
    this.#nonceHigh = Number(nonce >> 32n)
  }

  /** The next nonce to be used. */
  get nonce (): bigint { return (BigInt(this.#nonceHigh) << 32n) | BigInt(this.#nonceLow) }

  /** `EncryptWithAd(ad, plaintext)`: ciphertext ‖ tag, or the plaintext itself before a key exists. */
  encryptWithAd (ad: Uint8Array, plaintext: Uint8Array): Uint8Array {
    const aead = this.#aead
    if (aead === undefined) return plaintext
    const ciphertext = aead.encrypt(this.#currentNonce(), plaintext, ad.length === 0 ? undefined : ad)
    this.#increment()
    return ciphertext
  }

  /** `DecryptWithAd(ad, ciphertext)`: on an authentication failure the nonce stays where it was. */
  decryptWithAd (ad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
    const aead = this.#aead
    if (aead === undefined) return ciphertext
    let plaintext: Uint8Array
    try {
      plaintext = aead.decrypt(this.#currentNonce(), ciphertext, ad.length === 0 ? undefined : ad)
    } catch (err) {
      if (err instanceof DecryptionError || err instanceof RangeError) {
        throw new NoiseDecryptionError(`message under nonce ${this.nonce} failed authentication`, { cause: err })
      }
      throw err
    }
    this.#increment()
    return plaintext
  }

  /**
   * EncryptWithAd with empty ad (a transport message), written into `out` at
   * `offset`; returns the bytes written. Requires a key.
   */
  encryptInto (plaintext: Uint8Array, out: Uint8Array, offset: number): number {
    const aead = this.#requireKey()
    const written = aead.encryptInto(this.#currentNonce(), plaintext, out, offset)
    this.#increment()
    return written
  }

  /** DecryptWithAd with empty ad of a transport message that arrived in pieces. Requires a key. */
  decryptParts (parts: readonly Uint8Array[]): Uint8Array {
    const aead = this.#requireKey()
    let plaintext: Uint8Array
    try {
      plaintext = aead.decryptParts(this.#currentNonce(), parts)
    } catch (err) {
      if (err instanceof DecryptionError || err instanceof RangeError) {
        throw new NoiseDecryptionError(`message under nonce ${this.nonce} failed authentication`, { cause: err })
      }
      throw err
    }
    this.#increment()
    return plaintext
  }

  /** decryptParts, writing the plaintext over the ciphertext at the start of `parts`. */
  decryptInPlace (parts: readonly Uint8Array[]): void {
    const aead = this.#requireKey()
    try {
      aead.decryptInPlace(this.#currentNonce(), parts)
    } catch (err) {
      if (err instanceof DecryptionError || err instanceof RangeError) {
        throw new NoiseDecryptionError(`message under nonce ${this.nonce} failed authentication`, { cause: err })
      }
      throw err
    }
    this.#increment()
  }

  #requireKey (): ChaCha20Poly1305 {
    if (this.#aead === undefined) throw new Error('the transport phase needs a CipherState with a key')
    return this.#aead
  }

  /** Transport messages carry zero-length associated data (Noise §5). */
  encrypt (plaintext: Uint8Array): Uint8Array { return this.encryptWithAd(EMPTY, plaintext) }
  decrypt (ciphertext: Uint8Array): Uint8Array { return this.decryptWithAd(EMPTY, ciphertext) }

  #currentNonce (): Uint8Array {
    if (this.#nonceLow === MAX_UINT32 && this.#nonceHigh === MAX_UINT32) {
      throw new NonceExhaustedError('nonce 2^64-1 is reserved: this CipherState may not encrypt or decrypt again')
    }
    NONCE_VIEW.setUint32(4, this.#nonceLow, true)
    NONCE_VIEW.setUint32(8, this.#nonceHigh, true)
    return NONCE
  }

  #increment (): void {
    if (this.#nonceLow === MAX_UINT32) { this.#nonceLow = 0; this.#nonceHigh++ } else this.#nonceLow++
  }
}
