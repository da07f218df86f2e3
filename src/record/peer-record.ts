/**
 * Peer records (RFC 0003, ../shared/specs/libp2p/RFC/0003-routing-records.md):
 * a peer's own signed list of addresses, ordered in time by `seq`.
 *
 *   message PeerRecord { message AddressInfo { bytes multiaddr = 1; }
 *                        bytes peer_id = 1; uint64 seq = 2; repeated AddressInfo addresses = 3; }
 *
 * Domain and payload type: the RFC names the domain `libp2p-routing-state`
 * and a provisional payload type, but every deployed implementation (go-libp2p,
 * js-libp2p, rust-libp2p) signs with `libp2p-peer-record` and payload type
 * 0x0301 (the multicodec `libp2p-peer-record`); we use those, or no peer could
 * verify our records nor we theirs.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import { multiaddr } from '@multiformats/multiaddr'
import { ProtoReader, ProtoWriter, ProtobufError } from '../protobuf/index.js'
import { toMultiaddr } from '../multiaddr/index.js'
import type { PeerId } from '../peer-id/types.js'
import { peerIdFromMultihash, peerIdFromPublicKey } from '../peer-id/from.js'
import { equalBytes } from '../keys/_bytes.js'
import { InvalidPeerRecordError } from './errors.js'
import { RecordEnvelope } from './envelope.js'

/** Signing domain of peer records, as deployed (see the header). */
export const PEER_RECORD_DOMAIN = 'libp2p-peer-record'
/** Payload type of peer records: the multicodec 0x0301 as an unsigned varint. */
export const PEER_RECORD_CODEC: Uint8Array = /* @__PURE__ */ Uint8Array.of(0x03, 0x01)

/**
 * Most addresses accepted in one record: 1024. A node advertises a handful;
 * the cap bounds the Multiaddr objects a hostile record can make us build.
 */
export const MAX_PEER_RECORD_ADDRESSES = 1024

const FIELD_PEER_ID = 1
const FIELD_SEQ = 2
const FIELD_ADDRESSES = 3
const FIELD_MULTIADDR = 1

/** Last `seq` handed out here, so records made in the same millisecond still increase (RFC 0003 "seq MUST increase"). */
let lastSeq = 0n

function nextSeq (): bigint {
  const now = BigInt(Date.now())
  lastSeq = now > lastSeq ? now : lastSeq + 1n
  return lastSeq
}

export interface PeerRecordInit {
  peerId: PeerId
  multiaddrs?: Array<Multiaddr | string>
  /** Defaults to the current time in milliseconds (strictly increasing within this process). */
  seqNumber?: bigint
}

export class PeerRecord {
  static readonly DOMAIN = PEER_RECORD_DOMAIN
  static readonly CODEC = PEER_RECORD_CODEC

  readonly domain = PEER_RECORD_DOMAIN
  readonly codec = PEER_RECORD_CODEC
  readonly peerId: PeerId
  readonly multiaddrs: Multiaddr[]
  readonly seqNumber: bigint
  private marshaled: Uint8Array | undefined

  constructor (init: PeerRecordInit) {
    this.peerId = init.peerId
    this.multiaddrs = (init.multiaddrs ?? []).map((a) => toMultiaddr(a))
    this.seqNumber = init.seqNumber ?? nextSeq()
  }

  marshal (): Uint8Array {
    if (this.marshaled === undefined) {
      const w = new ProtoWriter()
      w.bytes(FIELD_PEER_ID, this.peerId.multihash)
      if (this.seqNumber !== 0n) w.uint64(FIELD_SEQ, this.seqNumber)
      for (const ma of this.multiaddrs) w.bytes(FIELD_ADDRESSES, new ProtoWriter().bytes(FIELD_MULTIADDR, ma.bytes).finish())
      this.marshaled = w.finish()
    }
    return this.marshaled
  }

  /** Decodes a record (the payload of an envelope); InvalidPeerRecordError if malformed. */
  static createFromProtobuf (bytes: Uint8Array): PeerRecord {
    let peerIdBytes: Uint8Array | undefined
    let seqNumber = 0n
    const multiaddrs: Multiaddr[] = []
    try {
      const r = new ProtoReader(bytes)
      while (r.next()) {
        switch (r.field) {
          case FIELD_PEER_ID: peerIdBytes = r.bytes(); break
          case FIELD_SEQ: seqNumber = r.uint64(); break
          case FIELD_ADDRESSES: {
            if (multiaddrs.length >= MAX_PEER_RECORD_ADDRESSES) throw new InvalidPeerRecordError(`more than ${MAX_PEER_RECORD_ADDRESSES} addresses`)
            const info = new ProtoReader(r.bytes())
            let addressBytes: Uint8Array | undefined
            while (info.next()) {
              if (info.field === FIELD_MULTIADDR) addressBytes = info.bytes()
              else info.skipField()
            }
            if (addressBytes === undefined) throw new InvalidPeerRecordError('address entry without a multiaddr')
            multiaddrs.push(multiaddr(addressBytes.slice()))
            break
          }
          default: r.skipField()
        }
      }
      if (peerIdBytes === undefined) throw new InvalidPeerRecordError('peer record without a peer id')
      const peerId = peerIdFromMultihash(peerIdBytes)
      return new PeerRecord({ peerId, multiaddrs, seqNumber })
    } catch (err) {
      if (err instanceof InvalidPeerRecordError) throw err
      const reason = err instanceof ProtobufError ? 'malformed record' : 'invalid field'
      throw new InvalidPeerRecordError(`${reason}: ${(err as Error).message}`)
    }
  }

  /**
   * Opens a peer record envelope the way RFC 0003 requires: the signature is
   * verified before the payload is decoded, the payload type must be a peer
   * record, and the record's peer must be the envelope's signer.
   */
  static async consumeEnvelope (bytes: Uint8Array): Promise<{ envelope: RecordEnvelope, record: PeerRecord }> {
    const envelope = await RecordEnvelope.openAndCertify(bytes, PEER_RECORD_DOMAIN)
    if (!equalBytes(envelope.payloadType, PEER_RECORD_CODEC)) throw new InvalidPeerRecordError('envelope payload is not a peer record')
    const record = PeerRecord.createFromProtobuf(envelope.payload)
    if (!record.peerId.equals(peerIdFromPublicKey(envelope.publicKey))) throw new InvalidPeerRecordError('peer record is not signed by its own peer')
    return { envelope, record }
  }

  equals (other: PeerRecord | undefined): boolean {
    if (!(other instanceof PeerRecord)) return false
    if (!this.peerId.equals(other.peerId) || this.seqNumber !== other.seqNumber) return false
    if (this.multiaddrs.length !== other.multiaddrs.length) return false
    return this.multiaddrs.every((ma, i) => equalBytes(ma.bytes, other.multiaddrs[i].bytes))
  }
}
