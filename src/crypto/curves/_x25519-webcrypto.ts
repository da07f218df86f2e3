/**
 * X25519 through WebCrypto. Only called once `webCryptoSupports('X25519')`
 * resolved true; any failure here makes the caller fall back to noble.
 */
import { generateExportable, importPrivateKey, importPublicKey, CryptoKeyCache, subtle } from './_webcrypto.js'
import type { X25519KeyPair } from './_x25519-noble.js'

const cache = new CryptoKeyCache()

export async function generateKeyPairWebCrypto (): Promise<X25519KeyPair> {
  const { privateKey, publicKey, key } = await generateExportable(subtle()!, 'X25519')
  cache.set(privateKey, key)
  return { privateKey, publicKey }
}

/**
 * `ownPublicKey` lets a key made elsewhere be imported as JWK (fast) instead
 * of pkcs8; it must be the public key of `privateKey` or the import fails.
 */
export async function sharedSecretWebCrypto (privateKey: Uint8Array, publicKey: Uint8Array, ownPublicKey?: Uint8Array): Promise<Uint8Array> {
  const s = subtle()!
  let key = cache.get(privateKey)
  if (key === undefined) {
    key = await importPrivateKey(s, 'X25519', privateKey, ownPublicKey)
    cache.set(privateKey, key)
  }
  const peer = await importPublicKey(s, 'X25519', publicKey)
  return new Uint8Array(await s.deriveBits({ name: 'X25519', public: peer }, key, 256))
}
