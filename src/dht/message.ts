/**
 * DHT RPC messages (kad-dht spec "RPC messages"): the protobuf `Message` with its
 * `Record` and `Peer` submessages. Each RPC is one request and one response, each
 * sent with an unsigned-varint length prefix; framing lives with the stream code, this
 * module turns one frame's payload into a `DhtMessage` and back.
 *
 * Wire notes: js-libp2p and go-libp2p use proto3 and omit `type` when it is PUT_VALUE (0),
 * so an absent type decodes as PUT_VALUE. Record fields 3 and 4 (author, signature) were
 * removed from the spec and are skipped like any unknown field.
 *
 * Decoding is the network edge: every length and count is bounded by a named limit and
 * any violation throws DhtMessageError (the caller resets the stream).
 */
import { ProtobufError, ProtoReader, ProtoWriter } from '../protobuf/index.js'

/**
 * Largest message accepted or sent: 4 MiB, go-libp2p's `network.MessageSizeMax`.
 * A response carries at most k peers or one record, far below this; the bound caps
 * what one stream can make us buffer.
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024

/**
 * Most peers in one `closerPeers` or `providerPeers` list: 256. Responses carry k = 20
 * closer peers; providers are capped by the sender, so this leaves generous room while
 * bounding the objects one message can make us allocate.
 */
export const MAX_PEERS_PER_LIST = 256

/** Most multiaddrs per peer: 64, above what identify-fed peer stores hold for one peer. */
export const MAX_ADDRS_PER_PEER = 64

/**
 * Largest `key` (message or record): 2 KiB. Keys are PeerIds (≤ 42 bytes + header),
 * CID multihashes, or namespaced record keys like `/pk/<multihash>`.
 */
export const MAX_KEY_BYTES = 2048

/** Largest multiaddr: 1 KiB, room for several certhash components. */
export const MAX_ADDR_BYTES = 1024

/** Largest `Peer.id`: 128 bytes; PeerId multihashes are at most 42 (identity) or 34 (sha256) bytes. */
export const MAX_PEER_ID_BYTES = 128

/** Longest `Record.timeReceived`: 64 characters; an RFC 3339 timestamp needs at most ~35. */
export const MAX_TIME_RECEIVED_CHARS = 64

export class DhtMessageError extends Error {
  override name = 'DhtMessageError'
}

/** Message.MessageType. */
export const MessageType = {
  PUT_VALUE: 0,
  GET_VALUE: 1,
  ADD_PROVIDER: 2,
  GET_PROVIDERS: 3,
  FIND_NODE: 4,
  PING: 5
} as const
export type MessageType = typeof MessageType[keyof typeof MessageType]

/** Message.ConnectionType: the sender's connectedness to a listed peer. */
export const ConnectionType = {
  NOT_CONNECTED: 0,
  CONNECTED: 1,
  CAN_CONNECT: 2,
  CANNOT_CONNECT: 3
} as const
export type ConnectionType = typeof ConnectionType[keyof typeof ConnectionType]

export interface DhtPeer {
  /** Binary PeerId multihash. */
  id: Uint8Array
  /** Binary multiaddrs. */
  addrs: Uint8Array[]
  connection: ConnectionType
}

export interface DhtRecord {
  key: Uint8Array
  value: Uint8Array
  /** RFC 3339 time the receiver stored it; empty when unset. */
  timeReceived: string
}

export interface DhtMessage {
  type: MessageType
  key?: Uint8Array
  record?: DhtRecord
  closerPeers: DhtPeer[]
  providerPeers: DhtPeer[]
  /** Unused (Coral cluster levels); kept for round trips. */
  clusterLevelRaw: number
}

/** A message with defaults for what the caller leaves out. */
export function dhtMessage (init: Partial<DhtMessage> & { type: MessageType }): DhtMessage {
  return { closerPeers: [], providerPeers: [], clusterLevelRaw: 0, ...init }
}

// Field numbers (spec protobuf).
const MESSAGE_TYPE = 1, MESSAGE_KEY = 2, MESSAGE_RECORD = 3, MESSAGE_CLOSER = 8, MESSAGE_PROVIDERS = 9, MESSAGE_CLUSTER = 10
const RECORD_KEY = 1, RECORD_VALUE = 2, RECORD_TIME = 5
const PEER_ID = 1, PEER_ADDRS = 2, PEER_CONNECTION = 3

function encodePeer (peer: DhtPeer): Uint8Array {
  const w = new ProtoWriter().bytes(PEER_ID, peer.id)
  for (const addr of peer.addrs) w.bytes(PEER_ADDRS, addr)
  if (peer.connection !== ConnectionType.NOT_CONNECTED) w.uint32(PEER_CONNECTION, peer.connection)
  return w.finish()
}

/** Encodes a record as the spec's `Record` message (also the value stored by PUT_VALUE). */
export function encodeRecord (record: DhtRecord): Uint8Array {
  const w = new ProtoWriter().bytes(RECORD_KEY, record.key).bytes(RECORD_VALUE, record.value)
  if (record.timeReceived !== '') w.string(RECORD_TIME, record.timeReceived)
  return w.finish()
}

export function encodeMessage (message: DhtMessage): Uint8Array {
  const w = new ProtoWriter().uint32(MESSAGE_TYPE, message.type)
  if (message.key !== undefined) w.bytes(MESSAGE_KEY, message.key)
  if (message.record !== undefined) w.bytes(MESSAGE_RECORD, encodeRecord(message.record))
  for (const peer of message.closerPeers) w.bytes(MESSAGE_CLOSER, encodePeer(peer))
  for (const peer of message.providerPeers) w.bytes(MESSAGE_PROVIDERS, encodePeer(peer))
  if (message.clusterLevelRaw !== 0) w.int32(MESSAGE_CLUSTER, message.clusterLevelRaw)
  const bytes = w.finish()
  if (bytes.length > MAX_MESSAGE_BYTES) throw new DhtMessageError(`message of ${bytes.length} bytes exceeds MAX_MESSAGE_BYTES (${MAX_MESSAGE_BYTES})`)
  return bytes
}

function bounded (bytes: Uint8Array, limit: number, what: string): Uint8Array {
  if (bytes.length > limit) throw new DhtMessageError(`${what} of ${bytes.length} bytes exceeds ${limit}`)
  return bytes.slice()
}

function decodePeer (bytes: Uint8Array): DhtPeer {
  const peer: DhtPeer = { id: new Uint8Array(0), addrs: [], connection: ConnectionType.NOT_CONNECTED }
  const r = new ProtoReader(bytes)
  while (r.next()) {
    switch (r.field) {
      case PEER_ID:
        peer.id = bounded(r.bytes(), MAX_PEER_ID_BYTES, 'Peer.id')
        break
      case PEER_ADDRS:
        if (peer.addrs.length === MAX_ADDRS_PER_PEER) throw new DhtMessageError(`more than MAX_ADDRS_PER_PEER (${MAX_ADDRS_PER_PEER}) addresses`)
        peer.addrs.push(bounded(r.bytes(), MAX_ADDR_BYTES, 'multiaddr'))
        break
      case PEER_CONNECTION: {
        // Open enum: an unknown connectedness hint is no reason to drop the peer.
        const connection = r.int32()
        peer.connection = connection >= 0 && connection <= 3 ? connection as ConnectionType : ConnectionType.NOT_CONNECTED
        break
      }
      default:
        r.skipField()
    }
  }
  if (peer.id.length === 0) throw new DhtMessageError('Peer without an id')
  return peer
}

/** Decodes a `Record` message. */
export function decodeRecord (bytes: Uint8Array): DhtRecord {
  try {
    const record: DhtRecord = { key: new Uint8Array(0), value: new Uint8Array(0), timeReceived: '' }
    const r = new ProtoReader(bytes, { maxSize: MAX_MESSAGE_BYTES })
    while (r.next()) {
      switch (r.field) {
        case RECORD_KEY: record.key = bounded(r.bytes(), MAX_KEY_BYTES, 'Record.key'); break
        case RECORD_VALUE: record.value = r.bytes().slice(); break
        case RECORD_TIME:
          record.timeReceived = r.string()
          if (record.timeReceived.length > MAX_TIME_RECEIVED_CHARS) throw new DhtMessageError(`Record.timeReceived longer than ${MAX_TIME_RECEIVED_CHARS} characters`)
          break
        default: r.skipField()
      }
    }
    return record
  } catch (err) {
    throw asMessageError(err)
  }
}

/** Decodes one message payload (without its length prefix). Throws DhtMessageError on anything malformed. */
export function decodeMessage (bytes: Uint8Array): DhtMessage {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('message must be a Uint8Array')
  if (bytes.length > MAX_MESSAGE_BYTES) throw new DhtMessageError(`message of ${bytes.length} bytes exceeds MAX_MESSAGE_BYTES (${MAX_MESSAGE_BYTES})`)
  try {
    const message = dhtMessage({ type: MessageType.PUT_VALUE })
    const r = new ProtoReader(bytes, { maxSize: MAX_MESSAGE_BYTES })
    while (r.next()) {
      switch (r.field) {
        case MESSAGE_TYPE: {
          const type = r.uint32()
          if (type > MessageType.PING) throw new DhtMessageError(`unknown message type ${type}`)
          message.type = type as MessageType
          break
        }
        case MESSAGE_KEY:
          message.key = bounded(r.bytes(), MAX_KEY_BYTES, 'Message.key')
          break
        case MESSAGE_RECORD:
          message.record = decodeRecord(r.bytes())
          break
        case MESSAGE_CLOSER:
        case MESSAGE_PROVIDERS: {
          const list = r.field === MESSAGE_CLOSER ? message.closerPeers : message.providerPeers
          if (list.length === MAX_PEERS_PER_LIST) throw new DhtMessageError(`more than MAX_PEERS_PER_LIST (${MAX_PEERS_PER_LIST}) peers`)
          list.push(decodePeer(r.bytes()))
          break
        }
        case MESSAGE_CLUSTER:
          message.clusterLevelRaw = r.int32()
          break
        default:
          r.skipField() // unknown fields are skipped (protobuf forward compatibility)
      }
    }
    return message
  } catch (err) {
    throw asMessageError(err)
  }
}

function asMessageError (err: unknown): Error {
  if (err instanceof DhtMessageError) return err
  if (err instanceof ProtobufError || err instanceof TypeError) return new DhtMessageError(`malformed message: ${err.message}`, { cause: err })
  return err as Error
}
