/** Ed25519 on @noble/curves: the portable path and the reference for the WebCrypto path. */
import { ed25519 as nobleEd25519 } from '@noble/curves/ed25519.js'

/**
 * RFC 8032 strict decoding (not ZIP-215), the rule OpenSSL and so WebCrypto
 * in Node apply, so both paths accept exactly the same signatures.
 */
const VERIFY_OPTIONS = { zip215: false }

export interface Ed25519KeyPair {
  /** The 32-byte seed (RFC 8032 §5.1.5). */
  privateKey: Uint8Array
  publicKey: Uint8Array
}

export function generateKeyPairNoble (): Ed25519KeyPair {
  const privateKey = nobleEd25519.utils.randomSecretKey()
  return { privateKey, publicKey: nobleEd25519.getPublicKey(privateKey) }
}

export function publicKeyNoble (privateKey: Uint8Array): Uint8Array {
  return nobleEd25519.getPublicKey(privateKey)
}

export function signNoble (message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  return nobleEd25519.sign(message, privateKey)
}

/** False, never a throw, for any malformed signature or key. */
export function verifyNoble (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false
  try {
    return nobleEd25519.verify(signature, message, publicKey, VERIFY_OPTIONS)
  } catch {
    return false
  }
}
