/**
 * RSA identity keys (peer-ids spec, "RSA"), for old IPFS peers. Public key
 * Data is a DER SubjectPublicKeyInfo, private key Data a DER PKCS#1
 * RSAPrivateKey (RFC 8017 §A.1.2). Signatures are RSASSA-PKCS1-v1_5 with
 * SHA-256 (RFC 8017 §8.2), computed by WebCrypto, so asynchronous; where
 * WebCrypto is missing, sign/verify throw UnsupportedKeyTypeError.
 */
import type { PrivateKey, PublicKey } from './types.js'
import type { KeyTypeSupport } from './support.js'
import { InvalidPrivateKeyError, InvalidPublicKeyError, UnsupportedKeyTypeError } from './errors.js'
import { equalBytes } from './_bytes.js'
import { DerTag, derBitString, derEncode, derEncodeUnsigned, derSequence, derUnsigned, expectTag, readDer } from './der.js'

/**
 * Largest accepted modulus: 8192 bits. Verification cost grows with the key
 * and a peer chooses its own key, so this bounds the CPU a peer can make us
 * spend per signature; js-libp2p uses the same limit.
 */
export const MAX_RSA_KEY_BITS = 8192
/** Smallest accepted modulus: 2048 bits, as go-libp2p (weaker keys are breakable). */
export const MIN_RSA_KEY_BITS = 2048

/** rsaEncryption, 1.2.840.113549.1.1.1 */
const RSA_ENCRYPTION_OID = Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01)
const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }

function subtle (): SubtleCrypto {
  const s = (globalThis as { crypto?: Crypto }).crypto?.subtle
  if (s === undefined) throw new UnsupportedKeyTypeError('RSA needs WebCrypto, which is not available here')
  return s
}

function bitLength (magnitude: Uint8Array): number {
  return magnitude.length === 0 ? 0 : (magnitude.length - 1) * 8 + (32 - Math.clz32(magnitude[0]))
}

function checkModulus (n: Uint8Array): void {
  const bits = bitLength(n)
  if (bits < MIN_RSA_KEY_BITS || bits > MAX_RSA_KEY_BITS) throw new Error(`modulus of ${bits} bits is outside ${MIN_RSA_KEY_BITS}..${MAX_RSA_KEY_BITS}`)
}

function algorithmIdentifier (): Uint8Array {
  return derEncode(DerTag.SEQUENCE, derEncode(DerTag.OID, RSA_ENCRYPTION_OID), derEncode(DerTag.NULL))
}

export class RsaPublicKey implements PublicKey {
  readonly type = 'RSA'
  private key: Promise<CryptoKey> | undefined
  constructor (readonly raw: Uint8Array, readonly bits: number) {}

  async verify (data: Uint8Array, signature: Uint8Array): Promise<boolean> {
    this.key ??= subtle().importKey('spki', this.raw as Uint8Array<ArrayBuffer>, ALGORITHM, false, ['verify'])
    try {
      return await subtle().verify(ALGORITHM, await this.key, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>)
    } catch {
      return false
    }
  }

  equals (other: PublicKey): boolean {
    return other?.type === this.type && equalBytes(other.raw, this.raw)
  }
}

export class RsaPrivateKey implements PrivateKey {
  readonly type = 'RSA'
  private key: Promise<CryptoKey> | undefined
  constructor (readonly raw: Uint8Array, readonly publicKey: RsaPublicKey) {}

  async sign (data: Uint8Array): Promise<Uint8Array> {
    // WebCrypto imports PKCS#8, which wraps the PKCS#1 structure we hold.
    const pkcs8 = derEncode(DerTag.SEQUENCE, derEncode(DerTag.INTEGER, Uint8Array.of(0)), algorithmIdentifier(), derEncode(DerTag.OCTET_STRING, this.raw))
    this.key ??= subtle().importKey('pkcs8', pkcs8 as Uint8Array<ArrayBuffer>, ALGORITHM, false, ['sign'])
    return new Uint8Array(await subtle().sign(ALGORITHM, await this.key, data as Uint8Array<ArrayBuffer>))
  }
}

export function rsaPublicKeyFromRaw (raw: Uint8Array): RsaPublicKey {
  try {
    const [algorithm, bitString] = derSequence(readDer(raw), 2)
    const [oid] = derSequence(algorithm, 1, 2)
    if (!equalBytes(expectTag(oid, DerTag.OID), RSA_ENCRYPTION_OID)) throw new Error('not an RSA key')
    const [n, e] = derSequence(readDer(derBitString(bitString)), 2)
    const modulus = derUnsigned(n)
    derUnsigned(e)
    checkModulus(modulus)
    return new RsaPublicKey(raw.slice(), bitLength(modulus))
  } catch (err) {
    throw new InvalidPublicKeyError(`invalid RSA public key: ${(err as Error).message}`)
  }
}

export function rsaPrivateKeyFromRaw (raw: Uint8Array): RsaPrivateKey {
  try {
    const fields = derSequence(readDer(raw), 9)
    const version = expectTag(fields[0], DerTag.INTEGER)
    if (version.length !== 1 || version[0] !== 0) throw new Error('unsupported version (multi-prime keys are not)')
    for (const f of fields.slice(1)) derUnsigned(f)
    const modulus = derUnsigned(fields[1])
    checkModulus(modulus)
    const publicKeyDer = derEncode(DerTag.SEQUENCE, derEncodeUnsigned(modulus), derEncodeUnsigned(derUnsigned(fields[2])))
    const spki = derEncode(DerTag.SEQUENCE, algorithmIdentifier(), derEncode(DerTag.BIT_STRING, Uint8Array.of(0), publicKeyDer))
    return new RsaPrivateKey(raw.slice(), new RsaPublicKey(spki, bitLength(modulus)))
  } catch (err) {
    throw new InvalidPrivateKeyError(`invalid RSA private key: ${(err as Error).message}`)
  }
}

/** A new key pair from WebCrypto (e = 65537). */
export async function generateRsaKey (bits = 2048): Promise<RsaPrivateKey> {
  if (!Number.isInteger(bits) || bits < MIN_RSA_KEY_BITS || bits > MAX_RSA_KEY_BITS) throw new RangeError(`RSA key size must be ${MIN_RSA_KEY_BITS}..${MAX_RSA_KEY_BITS} bits`)
  const s = subtle()
  const pair = await s.generateKey({ ...ALGORITHM, modulusLength: bits, publicExponent: Uint8Array.of(1, 0, 1) }, true, ['sign', 'verify'])
  const pkcs8 = new Uint8Array(await s.exportKey('pkcs8', pair.privateKey))
  const [, , octets] = derSequence(readDer(pkcs8), 3, 4)
  return rsaPrivateKeyFromRaw(expectTag(octets, DerTag.OCTET_STRING))
}

/** RSA for `enableKeyTypes()` (./registry.ts); new keys are 2048 bits unless `bits` says otherwise. */
export const rsaKeys: KeyTypeSupport = {
  type: 'RSA',
  publicKeyFromData: rsaPublicKeyFromRaw,
  privateKeyFromData: rsaPrivateKeyFromRaw,
  generate: async (bits?: number) => await generateRsaKey(bits)
}
