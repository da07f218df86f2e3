/**
 * Signature policies (pubsub README "Message Signing", "Signature Policy Options"):
 *
 * - `StrictSign` (default): we stamp `from` and an 8-byte big-endian `seqno`
 *   and sign `"libp2p-pubsub:" ‖ Message-protobuf-without-signature-and-key`
 *   with our identity key; incoming messages must carry all of them and verify.
 * - `StrictNoSign`: none of `from`, `seqno`, `signature`, `key` is sent, and a
 *   message carrying any of them is rejected.
 * - `LaxSign` (legacy): we sign as under StrictSign; an incoming message may be
 *   unsigned, but one that carries a signature must verify.
 * - `LaxNoSign` (legacy, "previous default for no signature verification"): we
 *   publish as under StrictNoSign; incoming messages may be signed or not, and a
 *   signature that is present must verify.
 * The spec calls the two Lax policies non-deterministic and to be deprecated;
 * js-libp2p's gossipsub offers only the Strict ones. They are here for old
 * networks, and choosing one logs a deprecation warning (options.ts).
 *
 * The signed bytes are re-encoded from the decoded fields in field order
 * (from, data, seqno, topic), which is how js-libp2p and go-libp2p sign.
 */
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '../keys/index.js'
import type { PrivateKey, PublicKey } from '../keys/types.js'
import { INLINE_KEY_THRESHOLD } from '../peer-id/index.js'
import { peerIdFromMultihash } from '../peer-id/index.js'
import type { PeerId } from '../peer-id/types.js'
import { encodeMessage, type RpcMessage } from './rpc.js'

export type SignaturePolicy = 'StrictSign' | 'StrictNoSign' | 'LaxSign' | 'LaxNoSign'

/** The policies we know (pubsub README "Signature Policy Options"). */
export const SIGNATURE_POLICIES: readonly SignaturePolicy[] = ['StrictSign', 'StrictNoSign', 'LaxSign', 'LaxNoSign']

/** Whether we stamp and sign our own messages under `policy`. */
export const signsOwnMessages = (policy: SignaturePolicy): boolean => policy === 'StrictSign' || policy === 'LaxSign'

/** The prefix of the signed bytes (pubsub README "Message Signing"). */
export const SIGN_PREFIX: Uint8Array = /* @__PURE__ */ new TextEncoder().encode('libp2p-pubsub:')
/** Length of `seqno` (a 64-bit big-endian uint, pubsub README "The Message"). */
export const SEQNO_LENGTH = 8

function signedBytes (m: RpcMessage): Uint8Array {
  const body = encodeMessage({ ...(m.from !== undefined ? { from: m.from } : {}), ...(m.data !== undefined ? { data: m.data } : {}), ...(m.seqno !== undefined ? { seqno: m.seqno } : {}), topic: m.topic }, false)
  const out = new Uint8Array(SIGN_PREFIX.length + body.length)
  out.set(SIGN_PREFIX)
  out.set(body, SIGN_PREFIX.length)
  return out
}

/**
 * Sequence numbers that only go up (pubsub README: "linearly increasing"), seeded
 * from the clock in nanoseconds so a restarted node does not repeat its old ones.
 */
export class SeqnoCounter {
  #next = BigInt(Date.now()) * 1_000_000n
  next (): Uint8Array {
    const out = new Uint8Array(SEQNO_LENGTH)
    new DataView(out.buffer).setBigUint64(0, ++this.#next, false)
    return out
  }
}

/** Builds the message we publish under `policy`. */
export async function buildMessage (policy: SignaturePolicy, author: { peerId: PeerId, privateKey: PrivateKey }, seqno: SeqnoCounter, topic: string, data: Uint8Array): Promise<RpcMessage> {
  if (!signsOwnMessages(policy)) return { data, topic }
  const m: RpcMessage = { from: author.peerId.multihash, data, seqno: seqno.next(), topic }
  m.signature = await author.privateKey.sign(signedBytes(m))
  // The key travels only when the PeerId cannot inline it (RSA): spec "`from` may be enough".
  const keyBytes = publicKeyToProtobuf(author.privateKey.publicKey)
  if (keyBytes.length > INLINE_KEY_THRESHOLD) m.key = keyBytes
  return m
}

/**
 * Authors seen recently, by their `from` bytes: the same PeerId (and so the same
 * PublicKey object) for every message of an author, so the key is parsed once and
 * the WebCrypto key import behind verification is cached (src/crypto/curves) instead
 * of repeated for every message. Bounded: the oldest author goes first.
 */
export const MAX_CACHED_AUTHORS = 4096

export class AuthorCache {
  readonly #byFrom = new Map<string, PeerId>()
  readonly #max: number
  constructor (max = MAX_CACHED_AUTHORS) { this.#max = max }

  /** The PeerId of an identity-multihash `from` (throws like peerIdFromMultihash on bad bytes). */
  get (from: Uint8Array): PeerId {
    let key = ''
    for (let i = 0; i < from.length; i++) key += String.fromCharCode(from[i]!)
    let peerId = this.#byFrom.get(key)
    if (peerId === undefined) {
      peerId = peerIdFromMultihash(from)
      this.#byFrom.set(key, peerId)
      if (this.#byFrom.size > this.#max) this.#byFrom.delete(this.#byFrom.keys().next().value as string)
    }
    return peerId
  }
}

export type ValidationFailure = 'signature-present' | 'seqno-present' | 'from-present' | 'key-present' |
'missing-seqno' | 'invalid-seqno' | 'missing-from' | 'invalid-from' | 'missing-signature' | 'invalid-key' | 'key-mismatch' | 'invalid-signature'

export type SignatureCheck = { valid: true, from?: PeerId } | { valid: false, reason: ValidationFailure }

/** Checks a received message against `policy` (consuming side of the policy). */
export async function checkMessageSignature (policy: SignaturePolicy, m: RpcMessage, authors?: AuthorCache): Promise<SignatureCheck> {
  if (policy === 'StrictNoSign') {
    if (m.signature !== undefined) return { valid: false, reason: 'signature-present' }
    if (m.seqno !== undefined) return { valid: false, reason: 'seqno-present' }
    if (m.from !== undefined) return { valid: false, reason: 'from-present' }
    if (m.key !== undefined) return { valid: false, reason: 'key-present' }
    return { valid: true }
  }
  if (policy === 'LaxSign' || policy === 'LaxNoSign') {
    // Lax: "`signature` may be absent, and not verified"; present, it must verify.
    // A message without a signature keeps no author: nothing vouches for its `from`.
    if (m.signature === undefined) {
      if (m.seqno !== undefined && m.seqno.length !== SEQNO_LENGTH) return { valid: false, reason: 'invalid-seqno' }
      return { valid: true }
    }
  }
  if (m.seqno === undefined) return { valid: false, reason: 'missing-seqno' }
  if (m.seqno.length !== SEQNO_LENGTH) return { valid: false, reason: 'invalid-seqno' }
  if (m.from === undefined) return { valid: false, reason: 'missing-from' }
  if (m.signature === undefined) return { valid: false, reason: 'missing-signature' }
  let from: PeerId
  let key: PublicKey | undefined
  try {
    if (m.key !== undefined) {
      try { key = publicKeyFromProtobuf(m.key) } catch { return { valid: false, reason: 'invalid-key' } }
      from = peerIdFromMultihash(m.from, key)
      if (from.publicKey !== undefined && !from.publicKey.equals(key)) return { valid: false, reason: 'key-mismatch' }
    } else {
      from = authors !== undefined ? authors.get(m.from) : peerIdFromMultihash(m.from)
      key = from.publicKey
    }
  } catch {
    return { valid: false, reason: m.key !== undefined ? 'key-mismatch' : 'invalid-from' }
  }
  if (key === undefined) return { valid: false, reason: 'invalid-from' }
  let ok = false
  try { ok = await key.verify(signedBytes(m), m.signature) } catch { ok = false }
  return ok ? { valid: true, from } : { valid: false, reason: 'invalid-signature' }
}
