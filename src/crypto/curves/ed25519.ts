/**
 * Ed25519 signatures (RFC 8032 §5.1), the default libp2p identity key
 * (peer-ids spec, "Ed25519").
 *
 * The async functions use WebCrypto where it implements Ed25519 (current
 * browsers; ~6–10× faster than pure JS here; in Node 20, node:crypto's
 * KeyObjects: ./_ed25519-keyobject.node.ts) and the pure-JS
 * fallback (@noble/curves, ./fallback.ts: default in Node, enabled on request
 * in browser bundles) elsewhere or on any WebCrypto failure. `verify` resolves
 * false, never rejects, for a malformed key or signature. `…Sync` variants and
 * `getPublicKey` always run the fallback.
 */
import { checkBytes } from '../_check.js'
import { generateKeyPairNoble, signNoble, verifyNoble, type Ed25519KeyPair } from './_ed25519-noble.js'
import { curveFallback, optionalCurveFallback } from './fallback.js'
import { generateKeyPairWebCrypto, signWebCrypto, verifyWebCrypto } from './_ed25519-webcrypto.js'
// WebCrypto, or in Node the same OpenSSL calls through node:crypto without WebCrypto's overhead.
import { generateKeyPairFast, signFast, verifyFast } from '#curves/ed25519-fast'
import { webCryptoSupports } from './_webcrypto.js'

export type { Ed25519KeyPair }

/** Byte length of an Ed25519 seed (private key) and of a public key. */
export const ED25519_KEY_LENGTH = 32
/** Byte length of an Ed25519 signature. */
export const ED25519_SIGNATURE_LENGTH = 64

async function generateKeyPair (): Promise<Ed25519KeyPair> {
  if (await webCryptoSupports('Ed25519')) {
    try { return await generateKeyPairFast() } catch {}
  }
  return curveFallback('Ed25519 key generation').ed25519.generateKeyPair()
}

async function sign (message: Uint8Array, privateKey: Uint8Array, publicKey?: Uint8Array): Promise<Uint8Array> {
  checkBytes(message, 'message')
  checkBytes(privateKey, 'privateKey', ED25519_KEY_LENGTH)
  if (publicKey !== undefined) checkBytes(publicKey, 'publicKey', ED25519_KEY_LENGTH)
  if (await webCryptoSupports('Ed25519')) {
    try {
      return await signFast(message, privateKey, publicKey)
    } catch (err) {
      if (optionalCurveFallback() === undefined) throw err
    }
  }
  return curveFallback('Ed25519 signing').ed25519.sign(message, privateKey)
}

async function verify (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  checkBytes(signature, 'signature')
  checkBytes(message, 'message')
  checkBytes(publicKey, 'publicKey')
  if (signature.length !== ED25519_SIGNATURE_LENGTH || publicKey.length !== ED25519_KEY_LENGTH) return false
  if (await webCryptoSupports('Ed25519')) {
    try {
      return await verifyFast(signature, message, publicKey)
    } catch {
      // WebCrypto refused the key (not a point): false, as the fallback would answer.
      if (optionalCurveFallback() === undefined) return false
    }
  }
  return curveFallback('Ed25519 verification').ed25519.verify(signature, message, publicKey)
}

function signSync (message: Uint8Array, privateKey: Uint8Array): Uint8Array {
  checkBytes(message, 'message')
  checkBytes(privateKey, 'privateKey', ED25519_KEY_LENGTH)
  return curveFallback('Ed25519 signSync').ed25519.sign(message, privateKey)
}

function verifySync (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  checkBytes(signature, 'signature')
  checkBytes(message, 'message')
  checkBytes(publicKey, 'publicKey')
  return curveFallback('Ed25519 verifySync').ed25519.verify(signature, message, publicKey)
}

function getPublicKey (privateKey: Uint8Array): Uint8Array {
  checkBytes(privateKey, 'privateKey', ED25519_KEY_LENGTH)
  return curveFallback('Ed25519 getPublicKey').ed25519.getPublicKey(privateKey)
}

export interface Ed25519 {
  generateKeyPair: () => Promise<Ed25519KeyPair>
  /** `publicKey` is optional; passing it makes the first WebCrypto import cheaper. */
  sign: (message: Uint8Array, privateKey: Uint8Array, publicKey?: Uint8Array) => Promise<Uint8Array>
  verify: (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => Promise<boolean>
  getPublicKey: (privateKey: Uint8Array) => Uint8Array
  signSync: (message: Uint8Array, privateKey: Uint8Array) => Uint8Array
  verifySync: (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean
}

export const ed25519: Ed25519 = /* @__PURE__ */ Object.freeze({ generateKeyPair, sign, verify, getPublicKey, signSync, verifySync })

/** The paths, exposed for differential tests. */
export const ed25519Paths = /* @__PURE__ */ Object.freeze({
  noble: { generateKeyPair: generateKeyPairNoble, sign: signNoble, verify: verifyNoble },
  webcrypto: {
    supported: async () => await webCryptoSupports('Ed25519'),
    generateKeyPair: generateKeyPairWebCrypto,
    sign: signWebCrypto,
    verify: verifyWebCrypto
  },
  /** WebCrypto in browsers, node:crypto KeyObjects in Node (package.json `#curves/ed25519-fast`). */
  fast: { generateKeyPair: generateKeyPairFast, sign: signFast, verify: verifyFast }
})
