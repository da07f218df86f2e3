/**
 * X25519 Diffie–Hellman (RFC 7748 §5, §6.1), the DH function of the Noise
 * handshake (Noise spec §12.1, "25519").
 *
 * The async functions use WebCrypto where it implements X25519 (current
 * browsers; in Node 20, node:crypto's KeyObjects: ./_x25519-keyobject.node.ts) and the pure-JS fallback (@noble/curves, ./fallback.ts:
 * default in Node, enabled on request in browser bundles) elsewhere or on any
 * WebCrypto failure; both give identical bytes. The `…Sync` variants and
 * `getPublicKey` always run the fallback.
 * An exchange with a low-order public key (all-zero secret) throws
 * InvalidKeyError on both paths.
 */
import { checkBytes } from '../_check.js'
import { webCryptoSupports } from './_webcrypto.js'
import { generateKeyPairNoble, sharedSecretNoble, type X25519KeyPair } from './_x25519-noble.js'
import { InvalidKeyError } from './errors.js'
import { curveFallback, optionalCurveFallback } from './fallback.js'
import { generateKeyPairWebCrypto, sharedSecretWebCrypto } from './_x25519-webcrypto.js'
// WebCrypto, or in Node the same OpenSSL calls through node:crypto without WebCrypto's overhead.
import { generateKeyPairFast, sharedSecretFast } from '#curves/x25519-fast'

export type { X25519KeyPair }

/** Byte length of X25519 private keys, public keys and shared secrets. */
export const X25519_KEY_LENGTH = 32

async function generateKeyPair (): Promise<X25519KeyPair> {
  if (await webCryptoSupports('X25519')) {
    try { return await generateKeyPairFast() } catch {}
  }
  return curveFallback('X25519 key generation').x25519.generateKeyPair()
}

async function sharedSecret (privateKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array> {
  checkBytes(privateKey, 'privateKey', X25519_KEY_LENGTH)
  checkBytes(publicKey, 'publicKey', X25519_KEY_LENGTH)
  if (await webCryptoSupports('X25519')) {
    try {
      return await sharedSecretFast(privateKey, publicKey)
    } catch (err) {
      // WebCrypto rejects a low-order key: the fallback then names the error, or we do.
      if (optionalCurveFallback() === undefined) throw new InvalidKeyError(`X25519 exchange failed: ${(err as Error).message}`)
    }
  }
  return curveFallback('X25519 exchange').x25519.sharedSecret(privateKey, publicKey)
}

function generateKeyPairSync (): X25519KeyPair {
  return curveFallback('X25519 generateKeyPairSync').x25519.generateKeyPair()
}

function sharedSecretSync (privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  checkBytes(privateKey, 'privateKey', X25519_KEY_LENGTH)
  checkBytes(publicKey, 'publicKey', X25519_KEY_LENGTH)
  return curveFallback('X25519 sharedSecretSync').x25519.sharedSecret(privateKey, publicKey)
}

function getPublicKey (privateKey: Uint8Array): Uint8Array {
  checkBytes(privateKey, 'privateKey', X25519_KEY_LENGTH)
  return curveFallback('X25519 getPublicKey').x25519.getPublicKey(privateKey)
}

export interface X25519 {
  /** A fresh key pair (raw 32-byte keys). */
  generateKeyPair: () => Promise<X25519KeyPair>
  /** DH(privateKey, publicKey); throws InvalidKeyError for a low-order public key. */
  sharedSecret: (privateKey: Uint8Array, publicKey: Uint8Array) => Promise<Uint8Array>
  /** Alias of `sharedSecret` (the name noble uses). */
  getSharedSecret: (privateKey: Uint8Array, publicKey: Uint8Array) => Promise<Uint8Array>
  /** The public key of a private key (the pure-JS fallback, synchronous). */
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

/** The paths, exposed for differential tests. */
export const x25519Paths = /* @__PURE__ */ Object.freeze({
  noble: { generateKeyPair: generateKeyPairNoble, sharedSecret: sharedSecretNoble },
  webcrypto: {
    supported: async () => await webCryptoSupports('X25519'),
    generateKeyPair: generateKeyPairWebCrypto,
    sharedSecret: sharedSecretWebCrypto
  },
  /** WebCrypto in browsers, node:crypto KeyObjects in Node (package.json `#curves/x25519-fast`). */
  fast: { generateKeyPair: generateKeyPairFast, sharedSecret: sharedSecretFast }
})
