/**
 * Ed25519 identity keys (peer-ids spec, "Ed25519"): the public key Data is
 * the 32-byte key; the private key Data is seed‖public (64 bytes), or the
 * legacy seed‖public‖public (96 bytes, both copies must match).
 * Sign and verify are asynchronous (WebCrypto where available).
 */
import { ed25519 } from '../crypto/curves/ed25519.js'
import { optionalCurveFallback } from '../crypto/curves/fallback.js'
import type { PrivateKey, PublicKey } from './types.js'
import type { KeyTypeSupport } from './support.js'
import { InvalidPrivateKeyError, InvalidPublicKeyError } from './errors.js'
import { concatBytes, equalBytes } from './_bytes.js'

export const ED25519_PUBLIC_KEY_LENGTH = 32
export const ED25519_PRIVATE_KEY_LENGTH = 64
const LEGACY_PRIVATE_KEY_LENGTH = 96

export class Ed25519PublicKey implements PublicKey {
  readonly type = 'Ed25519'
  constructor (readonly raw: Uint8Array) {
    if (raw.length !== ED25519_PUBLIC_KEY_LENGTH) throw new InvalidPublicKeyError(`Ed25519 public key must be 32 bytes, got ${raw.length}`)
  }

  async verify (data: Uint8Array, signature: Uint8Array): Promise<boolean> {
    return await ed25519.verify(signature, data, this.raw)
  }

  equals (other: PublicKey): boolean {
    return other?.type === this.type && equalBytes(other.raw, this.raw)
  }
}

export class Ed25519PrivateKey implements PrivateKey {
  readonly type = 'Ed25519'
  /** seed‖public, 64 bytes. */
  readonly raw: Uint8Array
  readonly publicKey: Ed25519PublicKey
  private readonly seed: Uint8Array
  /** False until the public half is known to belong to the seed (see ed25519PrivateKeyFromRaw). */
  #matched: boolean

  constructor (seed: Uint8Array, publicKey: Uint8Array, matched = true) {
    this.seed = seed
    this.publicKey = new Ed25519PublicKey(publicKey)
    this.raw = concatBytes(seed, publicKey)
    this.#matched = matched
  }

  async sign (data: Uint8Array): Promise<Uint8Array> {
    if (this.#matched) return await ed25519.sign(data, this.seed, this.publicKey.raw)
    let signature: Uint8Array
    try {
      signature = await ed25519.sign(data, this.seed, this.publicKey.raw)
    } catch (err) {
      // WebCrypto checks a JWK's public half against its seed on import (Chromium does).
      throw new InvalidPrivateKeyError(`${MISMATCH}? WebCrypto refused it: ${(err as Error).message}`)
    }
    // No signature leaves before one has verified under the public half we would announce.
    if (!await ed25519.verify(signature, data, this.publicKey.raw)) throw new InvalidPrivateKeyError(MISMATCH)
    this.#matched = true
    return signature
  }
}

export function ed25519PublicKeyFromRaw (raw: Uint8Array): Ed25519PublicKey {
  return new Ed25519PublicKey(raw.slice())
}

const MISMATCH = 'Ed25519 private key whose public half does not belong to its seed'

/**
 * From the protobuf Data: 64 bytes (or legacy 96); the public half must match
 * the seed. Checked here with the synchronous pure-JS curve where it is
 * enabled (src/crypto/curves/fallback.ts); in a bundle that runs on WebCrypto
 * alone, by the key's first signature instead (verified before it is
 * returned), so that decoding stays synchronous.
 */
export function ed25519PrivateKeyFromRaw (raw: Uint8Array): Ed25519PrivateKey {
  if (raw.length !== ED25519_PRIVATE_KEY_LENGTH && raw.length !== LEGACY_PRIVATE_KEY_LENGTH) {
    throw new InvalidPrivateKeyError(`Ed25519 private key must be 64 bytes, got ${raw.length}`)
  }
  const seed = raw.slice(0, 32)
  const publicKey = raw.slice(32, 64)
  if (raw.length === LEGACY_PRIVATE_KEY_LENGTH && !equalBytes(publicKey, raw.subarray(64))) {
    throw new InvalidPrivateKeyError('legacy 96-byte Ed25519 key whose two public keys differ')
  }
  if (optionalCurveFallback() === undefined) return new Ed25519PrivateKey(seed, publicKey, false)
  if (!equalBytes(ed25519.getPublicKey(seed), publicKey)) throw new InvalidPrivateKeyError(MISMATCH)
  return new Ed25519PrivateKey(seed, publicKey)
}

export async function generateEd25519Key (): Promise<Ed25519PrivateKey> {
  const { privateKey, publicKey } = await ed25519.generateKeyPair()
  return new Ed25519PrivateKey(privateKey, publicKey)
}

/** Deterministic key from a 32-byte seed (tests, key derivation). */
export function ed25519KeyFromSeed (seed: Uint8Array): Ed25519PrivateKey {
  if (seed.length !== 32) throw new InvalidPrivateKeyError(`Ed25519 seed must be 32 bytes, got ${seed.length}`)
  return new Ed25519PrivateKey(seed.slice(), ed25519.getPublicKey(seed))
}

/** Ed25519 for the key registry (./registry.ts): always enabled. */
export const ed25519Keys: KeyTypeSupport = {
  type: 'Ed25519',
  publicKeyFromData: ed25519PublicKeyFromRaw,
  privateKeyFromData: ed25519PrivateKeyFromRaw,
  generate: generateEd25519Key
}
