/**
 * Noise SymmetricState (Noise §5.2) with SHA-256 (§12.5): the chaining key
 * `ck`, the transcript hash `h`, and the handshake CipherState.
 *
 * Noise's HKDF(ck, ikm, 2) (§4.3) is RFC 5869 HKDF with `ck` as salt, empty
 * info and 64 output bytes, so it is one `hkdfSha256` call split in halves.
 */
import { hkdfSha256, sha256 } from './_deps.js'
import { CipherState } from './cipher-state.js'

const HASH_LENGTH = 32
const EMPTY = new Uint8Array(0)

function hkdf2 (chainingKey: Uint8Array, inputKeyMaterial: Uint8Array): [Uint8Array, Uint8Array] {
  const output = hkdfSha256(inputKeyMaterial, chainingKey, EMPTY, 2 * HASH_LENGTH)
  return [output.subarray(0, HASH_LENGTH), output.subarray(HASH_LENGTH)]
}

export class SymmetricState {
  readonly cipher = new CipherState()
  #ck: Uint8Array
  #h: Uint8Array

  /** `InitializeSymmetric(protocol_name)`. */
  constructor (protocolName: Uint8Array) {
    if (protocolName.length <= HASH_LENGTH) {
      this.#h = new Uint8Array(HASH_LENGTH)
      this.#h.set(protocolName)
    } else {
      this.#h = sha256(protocolName)
    }
    this.#ck = this.#h
    this.cipher.initializeKey(undefined)
  }

  /** The transcript hash `h` (channel binding, tests). */
  get handshakeHash (): Uint8Array { return this.#h }

  mixKey (inputKeyMaterial: Uint8Array): void {
    const [ck, tempK] = hkdf2(this.#ck, inputKeyMaterial)
    this.#ck = ck
    this.cipher.initializeKey(tempK)
  }

  mixHash (data: Uint8Array): void {
    this.#h = sha256.create().update(this.#h).update(data).digest()
  }

  encryptAndHash (plaintext: Uint8Array): Uint8Array {
    const ciphertext = this.cipher.encryptWithAd(this.#h, plaintext)
    this.mixHash(ciphertext)
    return ciphertext
  }

  decryptAndHash (ciphertext: Uint8Array): Uint8Array {
    const plaintext = this.cipher.decryptWithAd(this.#h, ciphertext)
    this.mixHash(ciphertext)
    return plaintext
  }

  /** `Split()`: the initiator→responder CipherState, then responder→initiator. */
  split (): [CipherState, CipherState] {
    const [k1, k2] = hkdf2(this.#ck, EMPTY)
    const c1 = new CipherState()
    const c2 = new CipherState()
    c1.initializeKey(k1)
    c2.initializeKey(k2)
    return [c1, c2]
  }
}
