/**
 * WebCrypto access for the curves. Node 20 and current browsers implement
 * X25519 and Ed25519 in `crypto.subtle` (natively, ~10–30× faster than the
 * pure-JS path), older browsers do not. Support is probed once per algorithm,
 * lazily on first use, never on import.
 *
 * Raw keys are imported as JWK: in Node a JWK import costs a fraction of a
 * DER/pkcs8 import. Private JWKs need the public half (`x`), so callers that
 * only hold a private scalar use pkcs8 (rare: keys made here are cached).
 */
import { base64url } from 'multiformats/bases/base64'
import { requestedBackend } from '../../wasm/backend.js'

export type CurveAlgorithm = 'X25519' | 'Ed25519'

const probes = new Map<CurveAlgorithm, Promise<boolean>>()

/** The SubtleCrypto object, or undefined where there is none (plain HTTP pages, old runtimes). */
export function subtle (): SubtleCrypto | undefined {
  return (globalThis as { crypto?: Crypto }).crypto?.subtle
}

/**
 * Whether `algorithm` works in WebCrypto here. `useBackend('js')` forces the
 * pure-JS path for the curves as for the kernels.
 */
export async function webCryptoSupports (algorithm: CurveAlgorithm): Promise<boolean> {
  if (requestedBackend() === 'js') return false
  let probe = probes.get(algorithm)
  if (probe === undefined) {
    probe = probeAlgorithm(algorithm)
    probes.set(algorithm, probe)
  }
  return await probe
}

async function probeAlgorithm (algorithm: CurveAlgorithm): Promise<boolean> {
  const s = subtle()
  if (s === undefined) return false
  try {
    const usages: KeyUsage[] = algorithm === 'X25519' ? ['deriveBits'] : ['sign', 'verify']
    const pair = await s.generateKey({ name: algorithm }, true, usages) as CryptoKeyPair
    const jwk = await s.exportKey('jwk', pair.privateKey)
    return typeof jwk.d === 'string' && typeof jwk.x === 'string'
  } catch {
    return false
  }
}

/**
 * Unpadded base64url, the JWK encoding of key bytes (RFC 7517 §4, RFC 4648 §5).
 * multiformats' codec: a page already carries it (the multiaddr package loads
 * every multibase), so a second one here would only add bytes.
 */
export function toBase64Url (bytes: Uint8Array): string {
  return base64url.baseEncode(bytes)
}

/** Decodes unpadded base64url; throws TypeError on a character outside the alphabet. */
export function fromBase64Url (text: string): Uint8Array {
  try {
    return base64url.baseDecode(text)
  } catch (err) {
    throw new TypeError(`invalid base64url: ${(err as Error).message}`)
  }
}

/** PKCS#8 prefix of a raw 32-byte X25519 (OID 1.3.101.110) or Ed25519 (1.3.101.112) private key. */
const PKCS8_PREFIX: Record<CurveAlgorithm, readonly number[]> = {
  X25519: [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20],
  Ed25519: [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]
}

/** Imports a private key; JWK when the public half is known, pkcs8 otherwise. */
export async function importPrivateKey (s: SubtleCrypto, algorithm: CurveAlgorithm, privateKey: Uint8Array, publicKey: Uint8Array | undefined): Promise<CryptoKey> {
  const usages: KeyUsage[] = algorithm === 'X25519' ? ['deriveBits'] : ['sign']
  if (publicKey !== undefined) {
    const jwk: JsonWebKey = { kty: 'OKP', crv: algorithm, d: toBase64Url(privateKey), x: toBase64Url(publicKey) }
    return await s.importKey('jwk', jwk, { name: algorithm }, false, usages)
  }
  const der = new Uint8Array(48)
  der.set(PKCS8_PREFIX[algorithm])
  der.set(privateKey, 16)
  return await s.importKey('pkcs8', der, { name: algorithm }, false, usages)
}

/** Imports a raw 32-byte public key as JWK. */
export async function importPublicKey (s: SubtleCrypto, algorithm: CurveAlgorithm, publicKey: Uint8Array): Promise<CryptoKey> {
  const jwk: JsonWebKey = { kty: 'OKP', crv: algorithm, x: toBase64Url(publicKey) }
  return await s.importKey('jwk', jwk, { name: algorithm }, false, algorithm === 'X25519' ? [] : ['verify'])
}

/** Generates a key pair and exports both halves as raw bytes, keeping the CryptoKey for reuse. */
export async function generateExportable (s: SubtleCrypto, algorithm: CurveAlgorithm): Promise<{ privateKey: Uint8Array, publicKey: Uint8Array, key: CryptoKey }> {
  const usages: KeyUsage[] = algorithm === 'X25519' ? ['deriveBits'] : ['sign', 'verify']
  const pair = await s.generateKey({ name: algorithm }, true, usages) as CryptoKeyPair
  const jwk = await s.exportKey('jwk', pair.privateKey)
  if (typeof jwk.d !== 'string' || typeof jwk.x !== 'string') throw new Error('WebCrypto exported no OKP key')
  return { privateKey: fromBase64Url(jwk.d), publicKey: fromBase64Url(jwk.x), key: pair.privateKey }
}

/**
 * Remembers the CryptoKey (or Node KeyObject) made for key bytes so that repeated use (the
 * Noise static key, a node's identity key) skips the import. Keyed by the
 * array object; the bytes are compared on lookup so a caller that overwrote
 * (e.g. zeroed) its array never reaches a stale key.
 *
 * With `maxEntries`, only the most recently set keys are kept (and their
 * arrays with them): for remote public keys, where an unbounded cache would
 * keep a CryptoKey (about 0.6 KiB) for every peer a node has verified as long
 * as its PeerId lives, which is every connected peer (bench/e2e.js memory rows).
 */
export class CryptoKeyCache<K = CryptoKey> {
  private readonly entries = new WeakMap<Uint8Array, { bytes: Uint8Array, key: K }>()
  private readonly recent: Map<Uint8Array, { bytes: Uint8Array, key: K }> | undefined
  private readonly maxEntries: number

  constructor (maxEntries = Infinity) {
    this.maxEntries = maxEntries
    if (maxEntries !== Infinity) this.recent = new Map()
  }

  get (raw: Uint8Array): K | undefined {
    const entry = (this.recent ?? this.entries).get(raw)
    if (entry === undefined || !sameBytes(entry.bytes, raw)) return undefined
    return entry.key
  }

  set (raw: Uint8Array, key: K): void {
    const entry = { bytes: raw.slice(), key }
    const recent = this.recent
    if (recent === undefined) { this.entries.set(raw, entry); return }
    recent.delete(raw)
    recent.set(raw, entry)
    if (recent.size > this.maxEntries) recent.delete(recent.keys().next().value as Uint8Array)
  }
}

function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i]
  return diff === 0
}
