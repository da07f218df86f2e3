/**
 * Signed envelopes (RFC 0002, ../shared/specs/libp2p/RFC/0002-signed-envelopes.md):
 * a payload, its type, the signer's public key and a signature over
 *
 *   uvarint(len(domain)) ‖ domain ‖ uvarint(len(payload_type)) ‖ payload_type ‖ uvarint(len(payload)) ‖ payload
 *
 * ("Signature Production / Verification"). The domain is never sent: the
 * verifier supplies the one it expects, so a signature made for one purpose
 * cannot be replayed for another.
 *
 *   message Envelope { PublicKey public_key = 1; bytes payload_type = 2; bytes payload = 3; bytes signature = 5; }
 *
 * Encoded as proto3 (empty fields omitted), byte-identical to js-libp2p.
 */
import { ProtoReader, ProtoWriter, ProtobufError } from '../protobuf/index.js'
import { varintLength } from '../protobuf/varint.js'
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '../keys/protobuf.js'
import type { PrivateKey, PublicKey } from '../keys/types.js'
import { equalBytes } from '../keys/_bytes.js'
import { InvalidEnvelopeError, InvalidSignatureError } from './errors.js'

/**
 * Largest envelope accepted: 64 KiB. Envelopes carry peer records (a few
 * hundred bytes; js-libp2p's identify caps its whole message at 8 KiB), so
 * this only bounds what a hostile peer can make us decode and verify.
 */
export const MAX_ENVELOPE_SIZE = 64 * 1024

/** What a sealable record provides: its signing domain, payload type and encoding. */
export interface SealableRecord {
  readonly domain: string
  readonly codec: Uint8Array
  marshal: () => Uint8Array
}

const FIELD_PUBLIC_KEY = 1
const FIELD_PAYLOAD_TYPE = 2
const FIELD_PAYLOAD = 3
const FIELD_SIGNATURE = 5

const encoder = /* @__PURE__ */ new TextEncoder()

/** The bytes that are signed (RFC 0002, "Signature Production / Verification"). */
export function envelopeSignedData (domain: string, payloadType: Uint8Array, payload: Uint8Array): Uint8Array {
  const domainBytes = encoder.encode(domain)
  const out = new Uint8Array(
    varintLength(domainBytes.length) + domainBytes.length +
    varintLength(payloadType.length) + payloadType.length +
    varintLength(payload.length) + payload.length)
  let offset = 0
  for (const part of [domainBytes, payloadType, payload]) {
    let n = part.length
    while (n >= 0x80) { out[offset++] = (n & 0x7f) | 0x80; n = Math.floor(n / 128) }
    out[offset++] = n
    out.set(part, offset)
    offset += part.length
  }
  return out
}

export interface RecordEnvelopeInit {
  publicKey: PublicKey
  payloadType: Uint8Array
  payload: Uint8Array
  signature: Uint8Array
}

export class RecordEnvelope {
  readonly publicKey: PublicKey
  readonly payloadType: Uint8Array
  readonly payload: Uint8Array
  readonly signature: Uint8Array
  private marshaled: Uint8Array | undefined

  constructor (init: RecordEnvelopeInit) {
    this.publicKey = init.publicKey
    this.payloadType = init.payloadType
    this.payload = init.payload
    this.signature = init.signature
  }

  /** Signs `record` with `privateKey` under the record's domain. */
  static async seal (record: SealableRecord, privateKey: PrivateKey): Promise<RecordEnvelope> {
    const payloadType = record.codec
    const payload = record.marshal()
    const signature = await privateKey.sign(envelopeSignedData(record.domain, payloadType, payload))
    return new RecordEnvelope({ publicKey: privateKey.publicKey, payloadType, payload, signature })
  }

  /** Decodes an envelope without checking its signature; InvalidEnvelopeError if malformed. */
  static createFromProtobuf (bytes: Uint8Array): RecordEnvelope {
    if (bytes.length > MAX_ENVELOPE_SIZE) throw new InvalidEnvelopeError(`envelope of ${bytes.length} bytes exceeds ${MAX_ENVELOPE_SIZE}`)
    let publicKeyBytes: Uint8Array | undefined
    let payloadType = new Uint8Array(0)
    let payload = new Uint8Array(0)
    let signature = new Uint8Array(0)
    try {
      const r = new ProtoReader(bytes, { maxSize: MAX_ENVELOPE_SIZE })
      while (r.next()) {
        switch (r.field) {
          case FIELD_PUBLIC_KEY: publicKeyBytes = r.bytes(); break
          case FIELD_PAYLOAD_TYPE: payloadType = r.bytes().slice(); break
          case FIELD_PAYLOAD: payload = r.bytes().slice(); break
          case FIELD_SIGNATURE: signature = r.bytes().slice(); break
          default: r.skipField()
        }
      }
    } catch (err) {
      if (err instanceof ProtobufError) throw new InvalidEnvelopeError(`malformed envelope: ${err.message}`)
      throw err
    }
    if (publicKeyBytes === undefined) throw new InvalidEnvelopeError('envelope has no public key')
    let publicKey: PublicKey
    try {
      publicKey = publicKeyFromProtobuf(publicKeyBytes)
    } catch (err) {
      throw new InvalidEnvelopeError(`envelope public key: ${(err as Error).message}`)
    }
    return new RecordEnvelope({ publicKey, payloadType, payload, signature })
  }

  /**
   * Decodes an envelope and verifies its signature for `domain`: the only way
   * to get at a payload that may be trusted. InvalidEnvelopeError if
   * malformed, InvalidSignatureError if the signature does not verify.
   */
  static async openAndCertify (bytes: Uint8Array, domain: string): Promise<RecordEnvelope> {
    const envelope = RecordEnvelope.createFromProtobuf(bytes)
    if (!(await envelope.validate(domain))) throw new InvalidSignatureError(`envelope signature is not valid for domain "${domain}"`)
    return envelope
  }

  /** Whether the signature verifies for `domain`. */
  async validate (domain: string): Promise<boolean> {
    if (this.signature.length === 0) return false
    return await this.publicKey.verify(envelopeSignedData(domain, this.payloadType, this.payload), this.signature)
  }

  marshal (): Uint8Array {
    if (this.marshaled === undefined) {
      const w = new ProtoWriter()
      w.bytes(FIELD_PUBLIC_KEY, publicKeyToProtobuf(this.publicKey))
      if (this.payloadType.length > 0) w.bytes(FIELD_PAYLOAD_TYPE, this.payloadType)
      if (this.payload.length > 0) w.bytes(FIELD_PAYLOAD, this.payload)
      if (this.signature.length > 0) w.bytes(FIELD_SIGNATURE, this.signature)
      this.marshaled = w.finish()
    }
    return this.marshaled
  }

  equals (other: RecordEnvelope | undefined): boolean {
    return other instanceof RecordEnvelope && equalBytes(this.marshal(), other.marshal())
  }
}
