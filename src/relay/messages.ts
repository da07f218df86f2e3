/**
 * The hop and stop messages of circuit relay v2 (circuit-v2.md "Protobuf"),
 * encoded and decoded by hand with the project's protobuf codec:
 *
 *   message HopMessage  { Type type = 1; Peer peer = 2; Reservation reservation = 3; Limit limit = 4; Status status = 5; }
 *   message StopMessage { Type type = 1; Peer peer = 2; Limit limit = 3; Status status = 4; }
 *   message Peer        { bytes id = 1; repeated bytes addrs = 2; }
 *   message Reservation { uint64 expire = 1; repeated bytes addrs = 2; bytes voucher = 3; }
 *   message Limit       { uint32 duration = 1; uint64 data = 2; }
 *
 * Every field is proto2-style `optional`: `type` is always written, even as
 * RESERVE / CONNECT (value 0), because its presence is what a reader checks.
 * Decoding keeps unknown fields out, caps the message at
 * MAX_RELAY_MESSAGE_SIZE and address lists at MAX_RELAY_MESSAGE_ADDRS, and
 * turns every malformation into MalformedRelayMessageError.
 */
import { ProtoReader, ProtoWriter, ProtobufError } from '../protobuf/index.js'
import { MAX_RELAY_MESSAGE_ADDRS, MAX_RELAY_MESSAGE_SIZE } from './constants.js'
import { MalformedRelayMessageError } from './errors.js'

export { RelayStatus, statusName, type RelayStatusCode } from './status.js'

export const HopType = Object.freeze({ RESERVE: 0, CONNECT: 1, STATUS: 2 })
export const StopType = Object.freeze({ CONNECT: 0, STATUS: 1 })

export interface RelayPeer {
  /** The peer id's multihash bytes. */
  id: Uint8Array
  addrs: Uint8Array[]
}

/** What the relay applies to a circuit; an absent field (or 0) means no limit of that kind. */
export interface RelayLimit {
  durationSeconds?: number
  dataBytes?: bigint
}

export interface RelayReservation {
  /** UTC UNIX time in seconds. */
  expire: bigint
  /** The relay's public addresses, with `/p2p/<relay>`, without `/p2p-circuit`. */
  addrs: Uint8Array[]
  /** A signed envelope (see ./voucher.ts). */
  voucher?: Uint8Array
}

export interface HopMessage {
  type?: number
  peer?: RelayPeer
  reservation?: RelayReservation
  limit?: RelayLimit
  status?: number
}

export interface StopMessage {
  type?: number
  peer?: RelayPeer
  limit?: RelayLimit
  status?: number
}

function encodePeer (peer: RelayPeer): Uint8Array {
  const w = new ProtoWriter().bytes(1, peer.id)
  for (const a of peer.addrs) w.bytes(2, a)
  return w.finish()
}

function encodeLimit (limit: RelayLimit): Uint8Array {
  const w = new ProtoWriter()
  if (limit.durationSeconds !== undefined) w.uint32(1, limit.durationSeconds)
  if (limit.dataBytes !== undefined) w.uint64(2, limit.dataBytes)
  return w.finish()
}

function encodeReservation (r: RelayReservation): Uint8Array {
  const w = new ProtoWriter().uint64(1, r.expire)
  for (const a of r.addrs) w.bytes(2, a)
  if (r.voucher !== undefined) w.bytes(3, r.voucher)
  return w.finish()
}

export function encodeHopMessage (m: HopMessage): Uint8Array {
  const w = new ProtoWriter().uint32(1, m.type ?? HopType.STATUS)
  if (m.peer !== undefined) w.bytes(2, encodePeer(m.peer))
  if (m.reservation !== undefined) w.bytes(3, encodeReservation(m.reservation))
  if (m.limit !== undefined) w.bytes(4, encodeLimit(m.limit))
  if (m.status !== undefined) w.uint32(5, m.status)
  return w.finish()
}

export function encodeStopMessage (m: StopMessage): Uint8Array {
  const w = new ProtoWriter().uint32(1, m.type ?? StopType.STATUS)
  if (m.peer !== undefined) w.bytes(2, encodePeer(m.peer))
  if (m.limit !== undefined) w.bytes(3, encodeLimit(m.limit))
  if (m.status !== undefined) w.uint32(4, m.status)
  return w.finish()
}

function readAddr (r: ProtoReader, addrs: Uint8Array[]): void {
  if (addrs.length >= MAX_RELAY_MESSAGE_ADDRS) throw new MalformedRelayMessageError(`more than ${MAX_RELAY_MESSAGE_ADDRS} addresses`)
  addrs.push(r.bytes().slice())
}

function decodePeer (bytes: Uint8Array): RelayPeer {
  let id: Uint8Array | undefined
  const addrs: Uint8Array[] = []
  const r = new ProtoReader(bytes)
  while (r.next()) {
    switch (r.field) {
      case 1: id = r.bytes().slice(); break
      case 2: readAddr(r, addrs); break
      default: r.skipField()
    }
  }
  if (id === undefined) throw new MalformedRelayMessageError('peer without an id')
  return { id, addrs }
}

function decodeLimit (bytes: Uint8Array): RelayLimit {
  const limit: RelayLimit = {}
  const r = new ProtoReader(bytes)
  while (r.next()) {
    switch (r.field) {
      case 1: limit.durationSeconds = r.uint32(); break
      case 2: limit.dataBytes = r.uint64(); break
      default: r.skipField()
    }
  }
  return limit
}

function decodeReservation (bytes: Uint8Array): RelayReservation {
  let expire: bigint | undefined
  const addrs: Uint8Array[] = []
  let voucher: Uint8Array | undefined
  const r = new ProtoReader(bytes)
  while (r.next()) {
    switch (r.field) {
      case 1: expire = r.uint64(); break
      case 2: readAddr(r, addrs); break
      case 3: voucher = r.bytes().slice(); break
      default: r.skipField()
    }
  }
  if (expire === undefined) throw new MalformedRelayMessageError('reservation without an expiry')
  return voucher === undefined ? { expire, addrs } : { expire, addrs, voucher }
}

/** Runs `decode`, turning protobuf failures into MalformedRelayMessageError. */
function decoding<T> (what: string, bytes: Uint8Array, decode: (r: ProtoReader) => T): T {
  try {
    return decode(new ProtoReader(bytes, { maxSize: MAX_RELAY_MESSAGE_SIZE }))
  } catch (err) {
    if (err instanceof MalformedRelayMessageError) throw err
    if (err instanceof ProtobufError) throw new MalformedRelayMessageError(`malformed ${what}: ${err.message}`)
    throw err
  }
}

export function decodeHopMessage (bytes: Uint8Array): HopMessage {
  return decoding('hop message', bytes, r => {
    const m: HopMessage = {}
    while (r.next()) {
      switch (r.field) {
        case 1: m.type = r.uint32(); break
        case 2: m.peer = decodePeer(r.bytes()); break
        case 3: m.reservation = decodeReservation(r.bytes()); break
        case 4: m.limit = decodeLimit(r.bytes()); break
        case 5: m.status = r.uint32(); break
        default: r.skipField()
      }
    }
    return m
  })
}

export function decodeStopMessage (bytes: Uint8Array): StopMessage {
  return decoding('stop message', bytes, r => {
    const m: StopMessage = {}
    while (r.next()) {
      switch (r.field) {
        case 1: m.type = r.uint32(); break
        case 2: m.peer = decodePeer(r.bytes()); break
        case 3: m.limit = decodeLimit(r.bytes()); break
        case 4: m.status = r.uint32(); break
        default: r.skipField()
      }
    }
    return m
  })
}
