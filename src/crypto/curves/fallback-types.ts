/** The shape of the pure-JS curves behind ./fallback.ts: synchronous, raw Uint8Array keys. */
import type { Ed25519KeyPair } from './_ed25519-noble.js'
import type { X25519KeyPair } from './_x25519-noble.js'

export interface CurveFallback {
  readonly ed25519: {
    generateKeyPair: () => Ed25519KeyPair
    getPublicKey: (privateKey: Uint8Array) => Uint8Array
    sign: (message: Uint8Array, privateKey: Uint8Array) => Uint8Array
    /** False, never a throw, for a malformed signature or key. */
    verify: (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean
  }
  readonly x25519: {
    generateKeyPair: () => X25519KeyPair
    getPublicKey: (privateKey: Uint8Array) => Uint8Array
    /** Throws InvalidKeyError for a low-order public key. */
    sharedSecret: (privateKey: Uint8Array, publicKey: Uint8Array) => Uint8Array
  }
}
