/**
 * The NoiseHandshakePayload protobuf (noise-libp2p spec, "The libp2p
 * Handshake Payload"), proto2:
 *
 *     message NoiseExtensions {
 *       repeated bytes webtransport_certhashes = 1;
 *       repeated string stream_muxers = 2;
 *     }
 *     message NoiseHandshakePayload {
 *       optional bytes identity_key = 1;
 *       optional bytes identity_sig = 2;
 *       optional NoiseExtensions extensions = 4;
 *     }
 *
 * A minimal reader/writer for just these two messages: decoding skips unknown
 * fields, merges repeated occurrences as protobuf does, and turns every
 * malformation into NoiseHandshakeError. The input is one handshake message
 * (≤ 65535 bytes), and each repeated field is capped at MAX_EXTENSION_ENTRIES.
 */
import { MAX_EXTENSION_ENTRIES } from './constants.js'
import { NoiseHandshakeError } from './errors.js'
import { concatBytes } from './_bytes.js'

export interface NoiseExtensions {
  webtransportCerthashes: Uint8Array[]
  streamMuxers: string[]
}

export interface NoiseHandshakePayload {
  identityKey: Uint8Array
  identitySig: Uint8Array
  extensions?: NoiseExtensions
}

const WIRE_VARINT = 0
const WIRE_FIXED64 = 1
const WIRE_LENGTH_DELIMITED = 2
const WIRE_FIXED32 = 5

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export function encodePayload (payload: NoiseHandshakePayload): Uint8Array {
  const fields: Uint8Array[] = [
    lengthDelimited(1, payload.identityKey),
    lengthDelimited(2, payload.identitySig)
  ]
  const extensions = payload.extensions
  if (extensions !== undefined && (extensions.webtransportCerthashes.length > 0 || extensions.streamMuxers.length > 0)) {
    const inner = [
      ...extensions.webtransportCerthashes.map(hash => lengthDelimited(1, hash)),
      ...extensions.streamMuxers.map(muxer => lengthDelimited(2, encoder.encode(muxer)))
    ]
    fields.push(lengthDelimited(4, concatBytes(inner)))
  }
  return concatBytes(fields)
}

export function decodePayload (bytes: Uint8Array): NoiseHandshakePayload {
  let identityKey: Uint8Array = new Uint8Array(0)
  let identitySig: Uint8Array = new Uint8Array(0)
  let extensions: NoiseExtensions | undefined
  forEachField(bytes, 'NoiseHandshakePayload', (field, value) => {
    if (field === 1) identityKey = value
    else if (field === 2) identitySig = value
    else if (field === 4) {
      extensions ??= { webtransportCerthashes: [], streamMuxers: [] }
      decodeExtensions(value, extensions)
    }
  })
  return extensions === undefined ? { identityKey, identitySig } : { identityKey, identitySig, extensions }
}

function decodeExtensions (bytes: Uint8Array, into: NoiseExtensions): void {
  forEachField(bytes, 'NoiseExtensions', (field, value) => {
    if (field === 1) {
      checkEntries(into.webtransportCerthashes.length, 'webtransport_certhashes')
      into.webtransportCerthashes.push(value.slice())
    } else if (field === 2) {
      checkEntries(into.streamMuxers.length, 'stream_muxers')
      try {
        into.streamMuxers.push(decoder.decode(value))
      } catch (err) {
        throw new NoiseHandshakeError('a stream_muxers entry is not valid UTF-8', { cause: err })
      }
    }
  })
}

function checkEntries (count: number, field: string): void {
  if (count >= MAX_EXTENSION_ENTRIES) throw new NoiseHandshakeError(`more than ${MAX_EXTENSION_ENTRIES} ${field} entries`)
}

/**
 * Walks the fields of one message, handing length-delimited values to
 * `onBytes` and skipping scalar fields (none of ours are scalar).
 */
function forEachField (bytes: Uint8Array, message: string, onBytes: (field: number, value: Uint8Array) => void): void {
  let offset = 0
  const varint = (): number => {
    let value = 0
    let scale = 1
    for (let i = 0; i < 8; i++) {
      if (offset >= bytes.length) throw new NoiseHandshakeError(`${message}: truncated varint`)
      const byte = bytes[offset++] as number
      value += (byte & 0x7f) * scale
      if ((byte & 0x80) === 0) return value
      scale *= 128
    }
    // Eight 7-bit groups already exceed any length a 65535-byte message can hold.
    throw new NoiseHandshakeError(`${message}: varint too long`)
  }
  const skip = (length: number): void => {
    if (bytes.length - offset < length) throw new NoiseHandshakeError(`${message}: field runs past the end`)
    offset += length
  }
  while (offset < bytes.length) {
    const key = varint()
    const field = Math.floor(key / 8)
    const wireType = key % 8
    if (field === 0) throw new NoiseHandshakeError(`${message}: field number 0`)
    switch (wireType) {
      case WIRE_VARINT: varint(); break
      case WIRE_FIXED64: skip(8); break
      case WIRE_FIXED32: skip(4); break
      case WIRE_LENGTH_DELIMITED: {
        const length = varint()
        const start = offset
        skip(length)
        onBytes(field, bytes.subarray(start, offset))
        break
      }
      default:
        throw new NoiseHandshakeError(`${message}: unsupported wire type ${wireType} for field ${field}`)
    }
  }
}

function lengthDelimited (field: number, value: Uint8Array): Uint8Array {
  const key = varintBytes(field * 8 + WIRE_LENGTH_DELIMITED)
  const length = varintBytes(value.length)
  const out = new Uint8Array(key.length + length.length + value.length)
  out.set(key)
  out.set(length, key.length)
  out.set(value, key.length + length.length)
  return out
}

function varintBytes (value: number): Uint8Array {
  const out: number[] = []
  while (value >= 0x80) { out.push((value & 0x7f) | 0x80); value = Math.floor(value / 128) }
  out.push(value)
  return Uint8Array.from(out)
}
