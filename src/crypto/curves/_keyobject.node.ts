/** What the KeyObject paths of the curves share (Node only): JWK byte coding and the private keys' KeyObjects. */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { CryptoKeyCache, type CurveAlgorithm } from './_webcrypto.js'

/** PKCS#8 prefix of a raw 32-byte X25519 (OID 1.3.101.110) or Ed25519 (1.3.101.112) private key (RFC 8410 §7). */
const PKCS8_PREFIX: Record<CurveAlgorithm, readonly number[]> = {
  X25519: [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20],
  Ed25519: [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
}

/** Unpadded base64url of key bytes (RFC 7517 §4), Node's native coder. */
export function toJwkBytes (bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url')
}

/**
 * Key bytes from a JWK member, in a plain Uint8Array of their own: a Buffer
 * from Node's pool would share its ArrayBuffer, and Buffer's `slice` is a
 * view where callers expect a copy.
 */
function fromJwkBytes (text: string | undefined): Uint8Array {
  if (text === undefined) throw new Error('node:crypto exported no OKP key')
  return new Uint8Array(Buffer.from(text, 'base64url'))
}

/** Imports a private key: JWK when the public half is known (4× cheaper), pkcs8 otherwise. */
function importPrivateKey (algorithm: CurveAlgorithm, privateKey: Uint8Array, publicKey: Uint8Array | undefined): KeyObject {
  if (publicKey !== undefined) {
    return createPrivateKey({ key: { kty: 'OKP', crv: algorithm, d: toJwkBytes(privateKey), x: toJwkBytes(publicKey) }, format: 'jwk' })
  }
  const der = new Uint8Array(48)
  der.set(PKCS8_PREFIX[algorithm])
  der.set(privateKey, 16)
  return createPrivateKey({ key: Buffer.from(der.buffer), format: 'der', type: 'pkcs8' })
}

/** One curve's private keys as KeyObjects, by their raw bytes: those generate() made, and each other one imported at its first use. */
export class PrivateKeyObjects {
  readonly #algorithm: CurveAlgorithm
  readonly #keys = new CryptoKeyCache<KeyObject>()

  constructor (algorithm: CurveAlgorithm) {
    this.#algorithm = algorithm
  }

  /** A fresh key pair as raw bytes; its KeyObject is kept for get(). */
  generate (): { privateKey: Uint8Array, publicKey: Uint8Array } {
    const { privateKey: key } = this.#algorithm === 'X25519' ? generateKeyPairSync('x25519') : generateKeyPairSync('ed25519')
    const jwk = key.export({ format: 'jwk' })
    const privateKey = fromJwkBytes(jwk.d)
    this.#keys.set(privateKey, key)
    return { privateKey, publicKey: fromJwkBytes(jwk.x) }
  }

  /** The KeyObject of `privateKey`; `publicKey`, when known, allows the cheaper JWK import and must match, or the import fails. */
  get (privateKey: Uint8Array, publicKey?: Uint8Array): KeyObject {
    let key = this.#keys.get(privateKey)
    if (key === undefined) {
      key = importPrivateKey(this.#algorithm, privateKey, publicKey)
      this.#keys.set(privateKey, key)
    }
    return key
  }
}
