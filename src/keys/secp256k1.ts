/**
 * secp256k1 identity keys (peer-ids spec, "Secp256k1"): public Data is the
 * compressed SEC1 point (33 bytes; a 65-byte uncompressed point is accepted
 * and kept as given), private Data the 32-byte scalar. Signatures are DER
 * ECDSA over SHA-256(data). Synchronous (pure JS).
 */
import { secp256k1 } from '../crypto/curves/secp256k1.js'
import type { PrivateKey, PublicKey } from './types.js'
import type { KeyTypeSupport } from './support.js'
import { InvalidPrivateKeyError, InvalidPublicKeyError } from './errors.js'
import { equalBytes } from './_bytes.js'

export class Secp256k1PublicKey implements PublicKey {
  readonly type = 'secp256k1'
  constructor (readonly raw: Uint8Array) {}

  verify (data: Uint8Array, signature: Uint8Array): boolean {
    return secp256k1.verify(signature, data, this.raw)
  }

  equals (other: PublicKey): boolean {
    return other?.type === this.type && equalBytes(other.raw, this.raw)
  }
}

export class Secp256k1PrivateKey implements PrivateKey {
  readonly type = 'secp256k1'
  readonly publicKey: Secp256k1PublicKey
  constructor (readonly raw: Uint8Array, publicKey: Uint8Array) {
    this.publicKey = new Secp256k1PublicKey(publicKey)
  }

  sign (data: Uint8Array): Uint8Array {
    return secp256k1.sign(data, this.raw)
  }
}

export function secp256k1PublicKeyFromRaw (raw: Uint8Array): Secp256k1PublicKey {
  if (raw.length !== 33 && raw.length !== 65) throw new InvalidPublicKeyError(`secp256k1 public key must be 33 or 65 bytes, got ${raw.length}`)
  try {
    secp256k1.compressPublicKey(raw)
  } catch (err) {
    throw new InvalidPublicKeyError((err as Error).message)
  }
  return new Secp256k1PublicKey(raw.slice())
}

export function secp256k1PrivateKeyFromRaw (raw: Uint8Array): Secp256k1PrivateKey {
  if (raw.length !== 32) throw new InvalidPrivateKeyError(`secp256k1 private key must be 32 bytes, got ${raw.length}`)
  let publicKey: Uint8Array
  try {
    publicKey = secp256k1.getPublicKey(raw)
  } catch (err) {
    throw new InvalidPrivateKeyError((err as Error).message)
  }
  return new Secp256k1PrivateKey(raw.slice(), publicKey)
}

export function generateSecp256k1Key (): Secp256k1PrivateKey {
  const { privateKey, publicKey } = secp256k1.generateKeyPair()
  return new Secp256k1PrivateKey(privateKey, publicKey)
}

/** secp256k1 for `enableKeyTypes()` (./registry.ts). */
export const secp256k1Keys: KeyTypeSupport = {
  type: 'secp256k1',
  publicKeyFromData: secp256k1PublicKeyFromRaw,
  privateKeyFromData: secp256k1PrivateKeyFromRaw,
  generate: generateSecp256k1Key
}
