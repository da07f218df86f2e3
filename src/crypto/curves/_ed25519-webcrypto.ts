/** Ed25519 through WebCrypto; any failure makes the caller fall back to noble. */
import { CryptoKeyCache, generateExportable, importPrivateKey, importPublicKey, subtle } from './_webcrypto.js'
import type { Ed25519KeyPair } from './_ed25519-noble.js'

const privateKeys = new CryptoKeyCache()
/**
 * Verification keys kept imported: the 64 most recently imported. Enough for the
 * signers a node hears from often (pubsub), while a node with many connected
 * peers does not keep one per peer.
 */
export const MAX_CACHED_VERIFY_KEYS = 64
const publicKeys = new CryptoKeyCache(MAX_CACHED_VERIFY_KEYS)

export async function generateKeyPairWebCrypto (): Promise<Ed25519KeyPair> {
  const { privateKey, publicKey, key } = await generateExportable(subtle()!, 'Ed25519')
  privateKeys.set(privateKey, key)
  return { privateKey, publicKey }
}

/** `publicKey`, when known, allows the fast JWK import; it must match or the import fails. */
export async function signWebCrypto (message: Uint8Array, privateKey: Uint8Array, publicKey?: Uint8Array): Promise<Uint8Array> {
  const s = subtle()!
  let key = privateKeys.get(privateKey)
  if (key === undefined) {
    key = await importPrivateKey(s, 'Ed25519', privateKey, publicKey)
    privateKeys.set(privateKey, key)
  }
  return new Uint8Array(await s.sign({ name: 'Ed25519' }, key, message as Uint8Array<ArrayBuffer>))
}

/** Throws on a public key WebCrypto cannot import (the caller then asks noble). */
export async function verifyWebCrypto (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  const s = subtle()!
  let key = publicKeys.get(publicKey)
  if (key === undefined) {
    key = await importPublicKey(s, 'Ed25519', publicKey)
    publicKeys.set(publicKey, key)
  }
  return await s.verify({ name: 'Ed25519' }, key, signature as Uint8Array<ArrayBuffer>, message as Uint8Array<ArrayBuffer>)
}
