/**
 * ECDSA identity keys on P-256, P-384 and P-521 (peer-ids spec, "ECDSA").
 * Public key Data is a DER SubjectPublicKeyInfo (RFC 5480 §2); js-libp2p
 * writes a different DER shape (SEQUENCE { 1, [0] curve OID, [1] point }),
 * which is accepted too and kept as given so PeerIds stay stable. Private key
 * Data is a DER ECPrivateKey (RFC 5915 §3, as the spec's test vector).
 *
 * Messages are hashed with SHA-256 on every curve (what both go-libp2p and
 * js-libp2p do). Signatures are produced DER-encoded as the spec says;
 * verification accepts DER and the raw r‖s form js-libp2p emits.
 * Pure JS (@noble/curves), hence synchronous and identical in every runtime.
 */
import { p256, p384, p521 } from '@noble/curves/nist.js'
import { sha256 } from '@noble/hashes/sha2.js'
import type { PrivateKey, PublicKey } from './types.js'
import type { KeyTypeSupport } from './support.js'
import { InvalidPrivateKeyError, InvalidPublicKeyError } from './errors.js'
import { equalBytes } from './_bytes.js'
import { DerTag, derBitString, derChildren, derEncode, derSequence, expectTag, readDer, type DerNode } from './der.js'

type NobleEcdsa = typeof p256

export interface EcdsaCurve {
  name: 'P-256' | 'P-384' | 'P-521'
  /** Content octets of the curve's OID. */
  oid: Uint8Array
  ecdsa: NobleEcdsa
  /** Byte length of a scalar / coordinate. */
  size: number
}

const CURVES: readonly EcdsaCurve[] = [
  { name: 'P-256', oid: Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07), ecdsa: p256, size: 32 },
  { name: 'P-384', oid: Uint8Array.of(0x2b, 0x81, 0x04, 0x00, 0x22), ecdsa: p384, size: 48 },
  { name: 'P-521', oid: Uint8Array.of(0x2b, 0x81, 0x04, 0x00, 0x23), ecdsa: p521, size: 66 }
]
/** id-ecPublicKey, 1.2.840.10045.2.1 */
const EC_PUBLIC_KEY_OID = Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01)

function curveByOid (oid: Uint8Array): EcdsaCurve {
  const curve = CURVES.find((c) => equalBytes(c.oid, oid))
  if (curve === undefined) throw new Error('unsupported ECDSA curve')
  return curve
}

const SIGN_OPTIONS = { prehash: false, format: 'der' as const, lowS: false }

export class EcdsaPublicKey implements PublicKey {
  readonly type = 'ECDSA'
  /** `point` is the uncompressed SEC1 point, `raw` the Data bytes as received or built. */
  constructor (readonly raw: Uint8Array, readonly curve: EcdsaCurve, readonly point: Uint8Array) {}

  verify (data: Uint8Array, signature: Uint8Array): boolean {
    const digest = sha256(data)
    for (const format of ['der', 'compact'] as const) {
      try {
        if (this.curve.ecdsa.verify(signature, digest, this.point, { prehash: false, format, lowS: false })) return true
      } catch {}
    }
    return false
  }

  equals (other: PublicKey): boolean {
    return other?.type === this.type && equalBytes(other.raw, this.raw)
  }
}

export class EcdsaPrivateKey implements PrivateKey {
  readonly type = 'ECDSA'
  constructor (readonly raw: Uint8Array, private readonly scalar: Uint8Array, readonly publicKey: EcdsaPublicKey) {}

  sign (data: Uint8Array): Uint8Array {
    return this.publicKey.curve.ecdsa.sign(sha256(data), this.scalar, SIGN_OPTIONS)
  }
}

function checkPoint (curve: EcdsaCurve, point: Uint8Array): void {
  if (point.length !== 1 + 2 * curve.size || point[0] !== 0x04) throw new Error('expected an uncompressed point')
  curve.ecdsa.Point.fromBytes(point).assertValidity()
}

function contextChild (node: DerNode, tag: number): DerNode {
  if (node.tag !== tag) throw new Error(`expected context tag 0x${tag.toString(16)}`)
  const children = derChildren(node)
  if (children.length !== 1) throw new Error('context tag must hold one value')
  return children[0]
}

export function ecdsaPublicKeyFromRaw (raw: Uint8Array): EcdsaPublicKey {
  try {
    const top = readDer(raw)
    const children = derSequence(top, 2, 3)
    let curve: EcdsaCurve
    let point: Uint8Array
    if (children.length === 2) {
      const algorithm = derSequence(children[0], 2)
      if (!equalBytes(expectTag(algorithm[0], DerTag.OID), EC_PUBLIC_KEY_OID)) throw new Error('not an EC public key')
      curve = curveByOid(expectTag(algorithm[1], DerTag.OID))
      point = derBitString(children[1])
    } else {
      // js-libp2p's shape: SEQUENCE { INTEGER 1, [0] { OID }, [1] { BIT STRING } }
      const version = expectTag(children[0], DerTag.INTEGER)
      if (version.length !== 1 || version[0] !== 1) throw new Error('unexpected version')
      curve = curveByOid(expectTag(contextChild(children[1], 0xa0), DerTag.OID))
      point = derBitString(contextChild(children[2], 0xa1))
    }
    checkPoint(curve, point)
    return new EcdsaPublicKey(raw.slice(), curve, point.slice())
  } catch (err) {
    throw new InvalidPublicKeyError(`invalid ECDSA public key: ${(err as Error).message}`)
  }
}

/** SubjectPublicKeyInfo of a point: the spec's public key encoding. */
function spki (curve: EcdsaCurve, point: Uint8Array): Uint8Array {
  return derEncode(DerTag.SEQUENCE,
    derEncode(DerTag.SEQUENCE, derEncode(DerTag.OID, EC_PUBLIC_KEY_OID), derEncode(DerTag.OID, curve.oid)),
    derEncode(DerTag.BIT_STRING, Uint8Array.of(0), point))
}

export function ecdsaPrivateKeyFromRaw (raw: Uint8Array): EcdsaPrivateKey {
  try {
    const children = derSequence(readDer(raw), 2, 4)
    const version = expectTag(children[0], DerTag.INTEGER)
    if (version.length !== 1 || version[0] !== 1) throw new Error('unexpected version')
    const scalar = expectTag(children[1], DerTag.OCTET_STRING)
    let curve: EcdsaCurve | undefined
    let embeddedPoint: Uint8Array | undefined
    for (const child of children.slice(2)) {
      if (child.tag === 0xa0) curve = curveByOid(expectTag(contextChild(child, 0xa0), DerTag.OID))
      else if (child.tag === 0xa1) embeddedPoint = derBitString(contextChild(child, 0xa1))
      else throw new Error('unexpected element')
    }
    curve ??= CURVES.find((c) => c.size === scalar.length)
    if (curve === undefined || scalar.length !== curve.size) throw new Error('cannot tell the curve')
    if (!curve.ecdsa.utils.isValidSecretKey(scalar)) throw new Error('scalar out of range')
    const point = curve.ecdsa.getPublicKey(scalar, false)
    if (embeddedPoint !== undefined && !equalBytes(embeddedPoint, point)) throw new Error('embedded public key does not match')
    const publicKey = new EcdsaPublicKey(spki(curve, point), curve, point)
    return new EcdsaPrivateKey(raw.slice(), scalar.slice(), publicKey)
  } catch (err) {
    throw new InvalidPrivateKeyError(`invalid ECDSA private key: ${(err as Error).message}`)
  }
}

/** A new key as a DER ECPrivateKey with curve and public key, as the spec's vector. */
export function generateEcdsaKey (curveName: EcdsaCurve['name'] = 'P-256'): EcdsaPrivateKey {
  const curve = CURVES.find((c) => c.name === curveName)
  if (curve === undefined) throw new InvalidPrivateKeyError(`unsupported ECDSA curve ${curveName}`)
  const scalar = curve.ecdsa.utils.randomSecretKey()
  const point = curve.ecdsa.getPublicKey(scalar, false)
  const raw = derEncode(DerTag.SEQUENCE,
    derEncode(DerTag.INTEGER, Uint8Array.of(1)),
    derEncode(DerTag.OCTET_STRING, scalar),
    derEncode(0xa0, derEncode(DerTag.OID, curve.oid)),
    derEncode(0xa1, derEncode(DerTag.BIT_STRING, Uint8Array.of(0), point)))
  return new EcdsaPrivateKey(raw, scalar, new EcdsaPublicKey(spki(curve, point), curve, point))
}

/** ECDSA for `enableKeyTypes()` (./registry.ts); new keys are P-256. */
export const ecdsaKeys: KeyTypeSupport = {
  type: 'ECDSA',
  publicKeyFromData: ecdsaPublicKeyFromRaw,
  privateKeyFromData: ecdsaPrivateKeyFromRaw,
  generate: () => generateEcdsaKey('P-256')
}
