/**
 * secp256k1 ECDSA as libp2p uses it (peer-ids spec, "Secp256k1"): the message
 * is hashed with SHA-256, signed per RFC 6979, and the signature DER-encoded;
 * public keys are 33-byte compressed SEC1 points (65-byte uncompressed
 * accepted on input). Pure JS (@noble/curves): WebCrypto has no secp256k1.
 */
import { secp256k1 as nobleSecp256k1 } from '@noble/curves/secp256k1.js'
import { checkBytes } from '../_check.js'
import { InvalidKeyError } from './errors.js'

/** Byte length of a secp256k1 private key. */
export const SECP256K1_PRIVATE_KEY_LENGTH = 32
/** Byte length of a compressed secp256k1 public key (the libp2p encoding). */
export const SECP256K1_PUBLIC_KEY_LENGTH = 33

const SIGN_OPTIONS = { prehash: true, format: 'der' as const, lowS: true }
/** High-S signatures are accepted, as other implementations may produce them. */
const VERIFY_OPTIONS = { prehash: true, format: 'der' as const, lowS: false }

export interface Secp256k1KeyPair { privateKey: Uint8Array, publicKey: Uint8Array }

function generateKeyPair (): Secp256k1KeyPair {
  const privateKey = nobleSecp256k1.utils.randomSecretKey()
  return { privateKey, publicKey: nobleSecp256k1.getPublicKey(privateKey, true) }
}

/** Compressed public key of a private key; InvalidKeyError for a scalar out of range. */
function getPublicKey (privateKey: Uint8Array): Uint8Array {
  checkBytes(privateKey, 'privateKey', SECP256K1_PRIVATE_KEY_LENGTH)
  if (!nobleSecp256k1.utils.isValidSecretKey(privateKey)) throw new InvalidKeyError('secp256k1 private key out of range')
  return nobleSecp256k1.getPublicKey(privateKey, true)
}

/** Checks a compressed or uncompressed public key and returns its compressed form. */
function compressPublicKey (publicKey: Uint8Array): Uint8Array {
  checkBytes(publicKey, 'publicKey')
  try {
    return nobleSecp256k1.Point.fromBytes(publicKey).toBytes(true)
  } catch (err) {
    throw new InvalidKeyError(`invalid secp256k1 public key: ${(err as Error).message}`)
  }
}

function sign (message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  checkBytes(message, 'message')
  checkBytes(privateKey, 'privateKey', SECP256K1_PRIVATE_KEY_LENGTH)
  if (!nobleSecp256k1.utils.isValidSecretKey(privateKey)) throw new InvalidKeyError('secp256k1 private key out of range')
  return nobleSecp256k1.sign(message, privateKey, SIGN_OPTIONS)
}

/** False, never a throw, for a malformed signature or key. */
function verify (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  checkBytes(signature, 'signature')
  checkBytes(message, 'message')
  checkBytes(publicKey, 'publicKey')
  try {
    return nobleSecp256k1.verify(signature, message, publicKey, VERIFY_OPTIONS)
  } catch {
    return false
  }
}

export interface Secp256k1 {
  generateKeyPair: () => Secp256k1KeyPair
  getPublicKey: (privateKey: Uint8Array) => Uint8Array
  compressPublicKey: (publicKey: Uint8Array) => Uint8Array
  /** SHA-256 + RFC 6979 ECDSA, DER signature. */
  sign: (message: Uint8Array, privateKey: Uint8Array) => Uint8Array
  verify: (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean
}

export const secp256k1: Secp256k1 = /* @__PURE__ */ Object.freeze({ generateKeyPair, getPublicKey, compressPublicKey, sign, verify })
