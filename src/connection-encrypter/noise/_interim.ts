/**
 * INTERIM stand-ins, used only through `_deps.ts`, for modules other engineers
 * are writing in parallel (src/crypto chacha/hmac/hkdf, src/crypto/curves,
 * src/keys, src/peer-id). Built directly on @noble/*; Ed25519 identities only.
 * Delete this file once `_deps.ts` re-exports the real modules.
 */
import { chacha20poly1305 as nobleChacha } from '@noble/ciphers/chacha.js'
import { ed25519, x25519 as nobleX25519 } from '@noble/curves/ed25519.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import { base58btc } from 'multiformats/bases/base58'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import type { KeyType, PrivateKey, PublicKey } from '../../keys/types.js'
import type { PeerId } from '../../peer-id/types.js'

/** AEAD authentication failed (wrong key, nonce, associated data, or a modified ciphertext). */
export class DecryptionError extends Error {
  override name = 'DecryptionError'
}

export class UnsupportedKeyTypeError extends Error {
  override name = 'UnsupportedKeyTypeError'
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

export const x25519 = {
  async generateKeyPair (): Promise<{ privateKey: Uint8Array, publicKey: Uint8Array }> {
    const privateKey = nobleX25519.utils.randomSecretKey()
    return { privateKey, publicKey: nobleX25519.getPublicKey(privateKey) }
  },
  async sharedSecret (privateKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array> {
    return nobleX25519.getSharedSecret(privateKey, publicKey)
  }
}

const KEY_TYPE_ED25519 = 1
const ED25519_KEY_LENGTH = 32

class Ed25519PublicKey implements PublicKey {
  readonly type: KeyType = 'Ed25519'
  constructor (readonly raw: Uint8Array) {}
  verify (data: Uint8Array, signature: Uint8Array): boolean {
    try { return ed25519.verify(signature, data, this.raw) } catch { return false }
  }

  equals (other: PublicKey): boolean {
    return other.type === this.type && equalBytes(other.raw, this.raw)
  }
}

class Ed25519PrivateKey implements PrivateKey {
  readonly type: KeyType = 'Ed25519'
  readonly publicKey: PublicKey
  readonly raw: Uint8Array
  readonly #seed: Uint8Array
  constructor (seed: Uint8Array) {
    this.#seed = seed
    const publicKey = ed25519.getPublicKey(seed)
    this.publicKey = new Ed25519PublicKey(publicKey)
    this.raw = new Uint8Array([...seed, ...publicKey])
  }

  sign (data: Uint8Array): Uint8Array { return ed25519.sign(data, this.#seed) }
}

export async function generateKeyPair (type: KeyType = 'Ed25519'): Promise<PrivateKey> {
  if (type !== 'Ed25519') throw new UnsupportedKeyTypeError(`interim keys support Ed25519 only, not ${type}`)
  return new Ed25519PrivateKey(ed25519.utils.randomSecretKey())
}

/** PublicKey protobuf (peer-ids spec): field 1 varint KeyType, field 2 bytes Data. */
export function publicKeyToProtobuf (key: PublicKey): Uint8Array {
  if (key.type !== 'Ed25519') throw new UnsupportedKeyTypeError(`interim keys support Ed25519 only, not ${key.type}`)
  return new Uint8Array([0x08, KEY_TYPE_ED25519, 0x12, key.raw.length, ...key.raw])
}

export function publicKeyFromProtobuf (bytes: Uint8Array): PublicKey {
  if (bytes.length !== 4 + ED25519_KEY_LENGTH || bytes[0] !== 0x08 || bytes[2] !== 0x12 || bytes[3] !== ED25519_KEY_LENGTH) {
    throw new UnsupportedKeyTypeError('interim keys decode only canonical Ed25519 PublicKey protobufs')
  }
  if (bytes[1] !== KEY_TYPE_ED25519) throw new UnsupportedKeyTypeError(`interim keys support Ed25519 only, not key type ${bytes[1]}`)
  return new Ed25519PublicKey(bytes.slice(4))
}

class InterimPeerId implements PeerId {
  readonly type: KeyType
  constructor (readonly multihash: Uint8Array, readonly publicKey: PublicKey) { this.type = publicKey.type }
  toString (): string { return base58btc.baseEncode(this.multihash) }
  toCID (): CID { return CID.createV1(0x72, Digest.decode(this.multihash)) }
  equals (other: PeerId | string | undefined): boolean {
    if (other === undefined) return false
    if (typeof other === 'string') return other === this.toString()
    return equalBytes(other.multihash, this.multihash)
  }
}

/** Identity multihash of the PublicKey protobuf (Ed25519 keys are always ≤ 42 bytes encoded). */
export function peerIdFromPublicKey (key: PublicKey): PeerId {
  const encoded = publicKeyToProtobuf(key)
  return new InterimPeerId(new Uint8Array([0x00, encoded.length, ...encoded]), key)
}

function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** base58btc text of an identity-multihash PeerId (Ed25519 only in the interim). */
export function peerIdFromString (text: string): PeerId {
  const multihash = base58btc.baseDecode(text)
  if (multihash[0] !== 0x00 || multihash[1] !== multihash.length - 2) throw new UnsupportedKeyTypeError('interim PeerIds parse identity multihashes only')
  return new InterimPeerId(multihash, publicKeyFromProtobuf(multihash.subarray(2)))
}
