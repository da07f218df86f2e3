/** What the KeyObject paths of the curves share (Node only): JWK byte coding and private key import. */
import type { createPrivateKey, KeyObject } from 'node:crypto'
import type { CurveAlgorithm } from './_webcrypto.js'

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
export function fromJwkBytes (text: string | undefined): Uint8Array {
  if (text === undefined) throw new Error('node:crypto exported no OKP key')
  return new Uint8Array(Buffer.from(text, 'base64url'))
}

/** Imports a private key: JWK when the public half is known (4× cheaper), pkcs8 otherwise. */
export function privateKeyObject (create: typeof createPrivateKey, algorithm: CurveAlgorithm, privateKey: Uint8Array, publicKey: Uint8Array | undefined): KeyObject {
  if (publicKey !== undefined) {
    return create({ key: { kty: 'OKP', crv: algorithm, d: toJwkBytes(privateKey), x: toJwkBytes(publicKey) }, format: 'jwk' })
  }
  const der = new Uint8Array(48)
  der.set(PKCS8_PREFIX[algorithm])
  der.set(privateKey, 16)
  return create({ key: Buffer.from(der.buffer), format: 'der', type: 'pkcs8' })
}
