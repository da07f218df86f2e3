/**
 * The Identify protobuf (identify spec, "The Identify Message"), plus field 8,
 * signedPeerRecord, which go-libp2p and js-libp2p send: a signed envelope
 * (RFC 0002) holding a PeerRecord (RFC 0003) with the same addresses.
 *
 *   message Identify {
 *     optional string protocolVersion = 5;  optional string agentVersion = 6;
 *     optional bytes publicKey = 1;         repeated bytes listenAddrs = 2;
 *     optional bytes observedAddr = 4;      repeated string protocols = 3;
 *     optional bytes signedPeerRecord = 8;
 *   }
 *
 * Multiaddrs travel in binary form. Decoding keeps the raw bytes (so a bad
 * address cannot fail the message) and caps the repeated fields.
 */
import { ProtoReader, ProtoWriter, ProtobufError } from '../../protobuf/index.js'
import { MAX_IDENTIFY_ADDRESSES, MAX_IDENTIFY_MESSAGE_SIZE, MAX_IDENTIFY_PROTOCOLS } from './constants.js'
import { IdentifyMessageTooLargeError, InvalidIdentifyMessageError } from './errors.js'

export interface IdentifyMessage {
  protocolVersion?: string
  agentVersion?: string
  /** The sender's public key in the libp2p PublicKey protobuf form (peer-ids spec, "Keys"). */
  publicKey?: Uint8Array
  /** Binary multiaddrs. */
  listenAddrs: Uint8Array[]
  /** Binary multiaddr of the receiver as the sender sees it. */
  observedAddr?: Uint8Array
  protocols: string[]
  /** A serialised signed envelope holding a PeerRecord. */
  signedPeerRecord?: Uint8Array
}

/** Encodes in field-number order, as go-libp2p does (js-libp2p uses declaration order; decoders accept any). */
export function encodeIdentify (message: IdentifyMessage): Uint8Array {
  const w = new ProtoWriter()
  if (message.publicKey !== undefined) w.bytes(1, message.publicKey)
  for (const addr of message.listenAddrs) w.bytes(2, addr)
  for (const protocol of message.protocols) w.string(3, protocol)
  if (message.observedAddr !== undefined) w.bytes(4, message.observedAddr)
  if (message.protocolVersion !== undefined) w.string(5, message.protocolVersion)
  if (message.agentVersion !== undefined) w.string(6, message.agentVersion)
  if (message.signedPeerRecord !== undefined) w.bytes(8, message.signedPeerRecord)
  return w.finish()
}

/**
 * Decodes an Identify message of at most MAX_IDENTIFY_MESSAGE_SIZE bytes.
 * Unknown fields are skipped; listen addresses and protocols past their caps
 * are dropped. Byte fields are copies, independent of `bytes`.
 */
export function decodeIdentify (bytes: Uint8Array): IdentifyMessage {
  if (bytes.length > MAX_IDENTIFY_MESSAGE_SIZE) {
    throw new IdentifyMessageTooLargeError(`identify message of ${bytes.length} bytes exceeds the limit of ${MAX_IDENTIFY_MESSAGE_SIZE}`)
  }
  const message: IdentifyMessage = { listenAddrs: [], protocols: [] }
  try {
    const r = new ProtoReader(bytes, { maxSize: MAX_IDENTIFY_MESSAGE_SIZE })
    while (r.next()) {
      switch (r.field) {
        case 1: message.publicKey = r.bytes().slice(); break
        case 2: {
          const addr = r.bytes()
          if (message.listenAddrs.length < MAX_IDENTIFY_ADDRESSES) message.listenAddrs.push(addr.slice())
          break
        }
        case 3: {
          const protocol = r.string()
          if (message.protocols.length < MAX_IDENTIFY_PROTOCOLS) message.protocols.push(protocol)
          break
        }
        case 4: message.observedAddr = r.bytes().slice(); break
        case 5: message.protocolVersion = r.string(); break
        case 6: message.agentVersion = r.string(); break
        case 8: message.signedPeerRecord = r.bytes().slice(); break
        default: r.skipField()
      }
    }
  } catch (err) {
    if (err instanceof ProtobufError) throw new InvalidIdentifyMessageError(`malformed identify message: ${err.message}`)
    throw err
  }
  return message
}
