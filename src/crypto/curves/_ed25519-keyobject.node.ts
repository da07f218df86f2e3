/**
 * Ed25519 in Node through node:crypto KeyObjects, synchronously: the same
 * OpenSSL code as `crypto.subtle`, without its per-call normalisation,
 * CryptoKey objects and thread-pool round trip. Same box: verify 142 µs of
 * CPU (WebCrypto 227 µs), sign 51 µs, a public key import 14 µs.
 *
 * Chosen by the package.json `imports` entry `#curves/ed25519-fast`; browsers
 * get ./_ed25519-fast.ts (WebCrypto). Only called once
 * `webCryptoSupports('Ed25519')` resolved true; any failure makes the caller
 * fall back to noble.
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import { MAX_CACHED_VERIFY_KEYS } from './_ed25519-webcrypto.js'
import { CryptoKeyCache } from './_webcrypto.js'
import type { Ed25519KeyPair } from './_ed25519-noble.js'
import { PrivateKeyObjects, toJwkBytes } from './_keyobject.node.js'

const privateKeys = new PrivateKeyObjects('Ed25519')
/** Verification keys kept imported, as on the WebCrypto path (MAX_CACHED_VERIFY_KEYS, 64). */
const publicKeys = new CryptoKeyCache<KeyObject>(MAX_CACHED_VERIFY_KEYS)

export async function generateKeyPairFast (): Promise<Ed25519KeyPair> {
  return privateKeys.generate()
}

/** `publicKey`, when known, allows the cheaper JWK import; it must match or the import fails. */
export async function signFast (message: Uint8Array, privateKey: Uint8Array, publicKey?: Uint8Array): Promise<Uint8Array> {
  const key = privateKeys.get(privateKey, publicKey)
  const signature = sign(null, message, key)
  return new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength)
}

/**
 * Successful verifications remembered, keyed by signature: the 64 most recent
 * (MAX_REMEMBERED_VERIFICATIONS) of messages up to 1 KiB
 * (MAX_REMEMBERED_MESSAGE_LENGTH), so at most ~70 KiB. Verification is a pure
 * function of (key, message, signature), so a remembered `true` is exact. The
 * case it serves: a peer that reconnects presents the same Noise static key
 * and signature every time (one static key per node, noise-libp2p spec), and
 * each handshake would otherwise pay a 142 µs verify on each side.
 */
export const MAX_REMEMBERED_VERIFICATIONS = 64
export const MAX_REMEMBERED_MESSAGE_LENGTH = 1024
const verified = new Map<string, { publicKey: Buffer, message: Buffer }>()

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)

/** Throws on a public key OpenSSL cannot import (the caller then asks noble or answers false). */
export async function verifyFast (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  const remember = message.length <= MAX_REMEMBERED_MESSAGE_LENGTH
  const id = remember ? asBuffer(signature).toString('latin1') : ''
  if (remember) {
    const seen = verified.get(id)
    if (seen !== undefined && seen.publicKey.equals(publicKey) && seen.message.equals(message)) return true
  }
  let key = publicKeys.get(publicKey)
  if (key === undefined) {
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: toJwkBytes(publicKey) }, format: 'jwk' })
    publicKeys.set(publicKey, key)
  }
  const valid = verify(null, message, key, signature)
  if (valid && remember) {
    verified.delete(id)
    verified.set(id, { publicKey: Buffer.from(publicKey), message: Buffer.from(message) })
    if (verified.size > MAX_REMEMBERED_VERIFICATIONS) verified.delete(verified.keys().next().value as string)
  }
  return valid
}
