/**
 * AutoNAT v2 messages (autonat v2 spec, "RPC Messages"), each sent with an
 * unsigned-varint length prefix. On dial-request streams every message is a
 * `Message` whose oneof holds one of DialRequest, DialResponse,
 * DialDataRequest, DialDataResponse; on dial-back streams DialBack and
 * DialBackResponse travel bare. Decoding checks the limits of ./constants.ts
 * and throws the named errors of ./errors.ts.
 */
import { ProtoReader, ProtoWriter } from '../protobuf/index.js'
import { ByteReader, UnexpectedEndError } from '../stream/byte-reader.js'
import { writeLengthPrefixed } from '../stream/length-prefixed.js'
import type { ByteStream } from '../stream/types.js'
import { AUTONAT_DIAL_DATA_CHUNK_BYTES, AUTONAT_MAX_ADDRS_PER_REQUEST, AUTONAT_MAX_MESSAGE_BYTES } from './constants.js'
import { AutonatAddressCountError, AutonatDialDataFloodError, AutonatMessageError, AutonatMessageTooLargeError } from './errors.js'

/** DialResponse.ResponseStatus. */
export const ResponseStatus = Object.freeze({ E_INTERNAL_ERROR: 0, E_REQUEST_REJECTED: 100, E_DIAL_REFUSED: 101, OK: 200 })
/** DialStatus: the outcome of the one dial the server made. */
export const DialStatus = Object.freeze({ UNUSED: 0, E_DIAL_ERROR: 100, E_DIAL_BACK_ERROR: 101, OK: 200 })
/** DialBackResponse.DialBackStatus. */
export const DialBackStatus = Object.freeze({ OK: 0 })

export interface DialRequest { type: 'dialRequest', addrs: Uint8Array[], nonce: bigint }
export interface DialResponse { type: 'dialResponse', status: number, addrIdx: number, dialStatus: number }
export interface DialDataRequest { type: 'dialDataRequest', addrIdx: number, numBytes: bigint }
export interface DialDataResponse { type: 'dialDataResponse', data: Uint8Array }
export type AutonatMessage = DialRequest | DialResponse | DialDataRequest | DialDataResponse

const FIELD = { dialRequest: 1, dialResponse: 2, dialDataRequest: 3, dialDataResponse: 4 } as const

function encodeBody (m: AutonatMessage): Uint8Array {
  const w = new ProtoWriter()
  switch (m.type) {
    case 'dialRequest':
      for (const a of m.addrs) w.bytes(1, a)
      w.fixed64(2, m.nonce)
      break
    case 'dialResponse':
      if (m.status !== 0) w.uint32(1, m.status)
      if (m.addrIdx !== 0) w.uint32(2, m.addrIdx)
      if (m.dialStatus !== 0) w.uint32(3, m.dialStatus)
      break
    case 'dialDataRequest':
      if (m.addrIdx !== 0) w.uint32(1, m.addrIdx)
      if (m.numBytes !== 0n) w.uint64(2, m.numBytes)
      break
    case 'dialDataResponse':
      w.bytes(1, m.data)
      break
  }
  return w.finish()
}

/** A `Message` carrying `m`. */
export function encodeMessage (m: AutonatMessage): Uint8Array {
  return new ProtoWriter().bytes(FIELD[m.type], encodeBody(m)).finish()
}

function decodeBody (field: number, body: Uint8Array): AutonatMessage {
  const r = new ProtoReader(body)
  switch (field) {
    case FIELD.dialRequest: {
      const addrs: Uint8Array[] = []
      let nonce = 0n
      while (r.next()) {
        if (r.field === 1) {
          if (addrs.length === AUTONAT_MAX_ADDRS_PER_REQUEST) throw new AutonatAddressCountError(`more than ${AUTONAT_MAX_ADDRS_PER_REQUEST} addresses in a DialRequest`)
          addrs.push(r.bytes().slice())
        } else if (r.field === 2) nonce = r.fixed64()
        else r.skipField()
      }
      return { type: 'dialRequest', addrs, nonce }
    }
    case FIELD.dialResponse: {
      let status = 0; let addrIdx = 0; let dialStatus = 0
      while (r.next()) {
        if (r.field === 1) status = r.uint32()
        else if (r.field === 2) addrIdx = r.uint32()
        else if (r.field === 3) dialStatus = r.uint32()
        else r.skipField()
      }
      return { type: 'dialResponse', status, addrIdx, dialStatus }
    }
    case FIELD.dialDataRequest: {
      let addrIdx = 0; let numBytes = 0n
      while (r.next()) {
        if (r.field === 1) addrIdx = r.uint32()
        else if (r.field === 2) numBytes = r.uint64()
        else r.skipField()
      }
      return { type: 'dialDataRequest', addrIdx, numBytes }
    }
    default: {
      let data: Uint8Array = new Uint8Array(0)
      while (r.next()) {
        if (r.field === 1) data = r.bytes()
        else r.skipField()
      }
      if (data.length > AUTONAT_DIAL_DATA_CHUNK_BYTES) throw new AutonatDialDataFloodError(`a DialDataResponse of ${data.length} bytes (the limit is ${AUTONAT_DIAL_DATA_CHUNK_BYTES})`)
      return { type: 'dialDataResponse', data }
    }
  }
}

/** Decodes a `Message`; its oneof must hold one known message (the last one wins, as protobuf says). */
export function decodeMessage (bytes: Uint8Array): AutonatMessage {
  let found: [number, Uint8Array] | undefined
  try {
    const r = new ProtoReader(bytes, { maxSize: AUTONAT_MAX_MESSAGE_BYTES })
    while (r.next()) {
      if (r.field >= 1 && r.field <= 4) found = [r.field, r.bytes()]
      else r.skipField()
    }
    if (found === undefined) throw new AutonatMessageError('a Message with none of the known messages in its oneof')
    return decodeBody(found[0], found[1])
  } catch (err) {
    if (err instanceof Error && err.name.startsWith('Autonat')) throw err
    throw new AutonatMessageError(`malformed autonat message: ${(err as Error).message}`, { cause: err })
  }
}

/** DialBack { fixed64 nonce = 1 }. */
export function encodeDialBack (nonce: bigint): Uint8Array {
  return new ProtoWriter().fixed64(1, nonce).finish()
}

export function decodeDialBack (bytes: Uint8Array): bigint {
  try {
    const r = new ProtoReader(bytes, { maxSize: AUTONAT_MAX_MESSAGE_BYTES })
    let nonce = 0n
    while (r.next()) {
      if (r.field === 1) nonce = r.fixed64()
      else r.skipField()
    }
    return nonce
  } catch (err) {
    throw new AutonatMessageError(`malformed DialBack: ${(err as Error).message}`, { cause: err })
  }
}

/** DialBackResponse { DialBackStatus status = 1 }; OK is 0, so an OK response is empty. */
export function encodeDialBackResponse (status: number = DialBackStatus.OK): Uint8Array {
  const w = new ProtoWriter()
  if (status !== 0) w.uint32(1, status)
  return w.finish()
}

export function decodeDialBackResponse (bytes: Uint8Array): number {
  try {
    const r = new ProtoReader(bytes, { maxSize: AUTONAT_MAX_MESSAGE_BYTES })
    let status = 0
    while (r.next()) {
      if (r.field === 1) status = r.uint32()
      else r.skipField()
    }
    return status
  } catch (err) {
    throw new AutonatMessageError(`malformed DialBackResponse: ${(err as Error).message}`, { cause: err })
  }
}

/** Reads one length-prefixed frame of at most AUTONAT_MAX_MESSAGE_BYTES. */
export async function readFrame (reader: ByteReader): Promise<Uint8Array> {
  try {
    return await reader.readLengthPrefixed(AUTONAT_MAX_MESSAGE_BYTES)
  } catch (err) {
    if (err instanceof RangeError) throw new AutonatMessageTooLargeError(err.message)
    if (err instanceof UnexpectedEndError) throw new AutonatMessageError('the stream ended before the message did', { cause: err })
    throw err
  }
}

/** A dial-request stream: length-prefixed `Message`s both ways. */
export class MessageStream {
  readonly reader: ByteReader
  constructor (readonly stream: ByteStream) { this.reader = new ByteReader(stream) }
  async read (): Promise<AutonatMessage> { return decodeMessage(await readFrame(this.reader)) }
  async write (m: AutonatMessage): Promise<void> { await writeLengthPrefixed(this.stream, encodeMessage(m)) }
}
