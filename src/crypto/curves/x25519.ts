/**
 * X25519 Diffie–Hellman (RFC 7748 §5, §6.1), the DH function of the Noise
 * handshake (Noise spec §12.1, "25519").
 *
 * The async functions use WebCrypto where it implements X25519 (Node 20,
 * current Chromium) and @noble/curves elsewhere or on any WebCrypto failure;
 * both give identical bytes. The `…Sync` variants always run noble.
 * An exchange with a low-order public key (all-zero secret) throws
 * InvalidKeyError on both paths.
 */
import { checkBytes } from '../_check.js'
import { webCryptoSupports } from './_webcrypto.js'
import { generateKeyPairNoble, publicKeyNoble, sharedSecretNoble, type X25519KeyPair } from './_x25519-noble.js'
import { generateKeyPairWebCrypto, sharedSecretWebCrypto } from './_x25519-webcrypto.js'

export type { X25519KeyPair }

/** Byte length of X25519 private keys, public keys and shared secrets. */
export const X25519_KEY_LENGTH = 32

async function generateKeyPair (): Promise<X25519KeyPair> {
  if (await webCryptoSupports('X25519')) {
    try { return await generateKeyPairWebCrypto() } catch {}
  }
  return generateKeyPairNoble()
}

async function sharedSecret (privateKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array> {
  checkBytes(privateKey, 'privateKey', X25519_KEY_LENGTH)
  checkBytes(publicKey, 'publicKey', X25519_KEY_LENGTH)
  if (await webCryptoSupports('X25519')) {
    try { return await sharedSecretWebCrypto(privateKey, publicKey) } catch {}
  }
  // Reached also when WebCrypto rejected a low-order key: noble then names the error.
  return sharedSecretNoble(privateKey, publicKey)
}

function generateKeyPairSync (): X25519KeyPair {
  return generateKeyPairNoble()
}

function sharedSecretSync (privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  checkBytes(privateKey, 'privateKey', X25519_KEY_LENGTH)
  checkBytes(publicKey, 'publicKey', X25519_KEY_LENGTH)
  return sharedSecretNoble(privateKey, publicKey)
}

function getPublicKey (privateKey: Uint8Array): Uint8Array {
  checkBytes(privateKey, 'privateKey', X25519_KEY_LENGTH)
  return publicKeyNoble(privateKey)
}

export interface X25519 {
  /** A fresh key pair (raw 32-byte keys). */
  generateKeyPair: () => Promise<X25519KeyPair>
  /** DH(privateKey, publicKey); throws InvalidKeyError for a low-order public key. */
  sharedSecret: (privateKey: Uint8Array, publicKey: Uint8Array) => Promise<Uint8Array>
  /** Alias of `sharedSecret` (the name noble uses). */
  getSharedSecret: (privateKey: Uint8Array, publicKey: Uint8Array) => Promise<Uint8Array>
  /** The public key of a private key (noble, synchronous). */
  getPublicKey: (privateKey: Uint8Array) => Uint8Array
  generateKeyPairSync: () => X25519KeyPair
  sharedSecretSync: (privateKey: Uint8Array, publicKey: Uint8Array) => Uint8Array
}

export const x25519: X25519 = /* @__PURE__ */ Object.freeze({
  generateKeyPair,
  sharedSecret,
  getSharedSecret: sharedSecret,
  getPublicKey,
  generateKeyPairSync,
  sharedSecretSync
})

/** The two paths, exposed for differential tests. */
export const x25519Paths = /* @__PURE__ */ Object.freeze({
  noble: { generateKeyPair: generateKeyPairNoble, sharedSecret: sharedSecretNoble },
  webcrypto: {
    supported: async () => await webCryptoSupports('X25519'),
    generateKeyPair: generateKeyPairWebCrypto,
    sharedSecret: sharedSecretWebCrypto
  }
})
