/**
 * X25519 in Node through node:crypto KeyObjects, synchronously. It is the
 * same OpenSSL code `crypto.subtle` calls, without WebCrypto's per-call cost:
 * argument normalisation, a CryptoKey per import and a thread-pool job per
 * operation (promise, hop to a worker, hop back). Per Noise handshake side
 * (1 key generation, 3 exchanges; bench/e2e.js "dial to ready", same box):
 * WebCrypto ~180 µs of CPU per operation on the main thread, this path
 * 70 µs for the key pair, 12 µs to import a public key, 48 µs per exchange.
 *
 * Chosen by the package.json `imports` entry `#curves/x25519-fast`; browsers
 * get ./_x25519-fast.ts (WebCrypto). Keys are imported as JWK: an OKP JWK
 * import costs a tenth of a DER one in Node (12 vs 139 µs for a public key).
 * Only called once `webCryptoSupports('X25519')` resolved true (the probe
 * also honours `useBackend('js')`); any failure makes the caller fall back
 * to noble, which names the error.
 */
import { createPublicKey, diffieHellman } from 'node:crypto'
import { PrivateKeyObjects, toJwkBytes } from './_keyobject.node.js'
import type { X25519KeyPair } from './_x25519-noble.js'

const privateKeys = new PrivateKeyObjects('X25519')

export async function generateKeyPairFast (): Promise<X25519KeyPair> {
  return privateKeys.generate()
}

/** `ownPublicKey`, when known, allows the JWK import of a private key made elsewhere; it must match. */
export async function sharedSecretFast (privateKey: Uint8Array, publicKey: Uint8Array, ownPublicKey?: Uint8Array): Promise<Uint8Array> {
  const key = privateKeys.get(privateKey, ownPublicKey)
  const peer = createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: toJwkBytes(publicKey) }, format: 'jwk' })
  // OpenSSL refuses an all-zero result (a low-order public key): the throw reaches the caller's fallback.
  const shared = diffieHellman({ privateKey: key, publicKey: peer })
  return new Uint8Array(shared.buffer, shared.byteOffset, shared.byteLength)
}
