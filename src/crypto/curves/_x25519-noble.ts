/** X25519 on @noble/curves: the portable path, and the reference the WebCrypto path is tested against. */
import { x25519 as nobleX25519 } from '@noble/curves/ed25519.js'
import { InvalidKeyError } from './errors.js'

export interface X25519KeyPair {
  /** The 32-byte scalar as RFC 7748 defines it (clamped when used). */
  privateKey: Uint8Array
  /** The 32-byte u-coordinate. */
  publicKey: Uint8Array
}

export function generateKeyPairNoble (): X25519KeyPair {
  const privateKey = nobleX25519.utils.randomSecretKey()
  return { privateKey, publicKey: nobleX25519.getPublicKey(privateKey) }
}

export function publicKeyNoble (privateKey: Uint8Array): Uint8Array {
  return nobleX25519.getPublicKey(privateKey)
}

export function sharedSecretNoble (privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  let secret: Uint8Array
  try {
    secret = nobleX25519.getSharedSecret(privateKey, publicKey)
  } catch (err) {
    throw new InvalidKeyError(`X25519 exchange failed: ${(err as Error).message}`)
  }
  let acc = 0
  for (let i = 0; i < 32; i++) acc |= secret[i]
  if (acc === 0) throw new InvalidKeyError('X25519 exchange produced the all-zero secret (low-order public key)')
  return secret
}
