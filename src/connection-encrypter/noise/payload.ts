/**
 * The NoiseHandshakePayload protobuf (noise-libp2p spec, "The libp2p
 * Handshake Payload"), proto2:
 *
 *     message NoiseExtensions {
 *       repeated bytes webtransport_certhashes = 1;
 *       repeated string stream_muxers = 2;
 *       optional bool early_fin = 1913;  // wasp2p, experimental (constants.ts)
 *     }
 *     message NoiseHandshakePayload {
 *       optional bytes identity_key = 1;
 *       optional bytes identity_sig = 2;
 *       optional NoiseExtensions extensions = 4;
 *     }
 *
 * Encoded and decoded with wasp2p's protobuf codec: decoding skips unknown
 * fields, merges repeated occurrences of `extensions` as protobuf does, and
 * turns every malformation into NoiseHandshakeError. The input is one
 * handshake message (≤ 65535 bytes), and each repeated field is capped at
 * MAX_EXTENSION_ENTRIES.
 */
import { ProtoReader, ProtoWriter, ProtobufError } from '../../protobuf/index.js'
import { EARLY_FIN_EXTENSION, MAX_EXTENSION_ENTRIES, MAX_NOISE_MESSAGE_LENGTH } from './constants.js'
import { NoiseHandshakeError } from './errors.js'

export interface NoiseExtensions {
  webtransportCerthashes: Uint8Array[]
  streamMuxers: string[]
  /** The sender keeps a FIN that arrives before its multistream-select answer (EARLY_FIN_EXTENSION). */
  earlyFin?: boolean
}

export interface NoiseHandshakePayload {
  identityKey: Uint8Array
  identitySig: Uint8Array
  extensions?: NoiseExtensions
}

const READER_LIMITS = { maxSize: MAX_NOISE_MESSAGE_LENGTH }

export function encodePayload (payload: NoiseHandshakePayload): Uint8Array {
  const writer = new ProtoWriter().bytes(1, payload.identityKey).bytes(2, payload.identitySig)
  const extensions = payload.extensions
  if (extensions !== undefined && (extensions.webtransportCerthashes.length > 0 || extensions.streamMuxers.length > 0 || extensions.earlyFin === true)) {
    const inner = new ProtoWriter()
    for (const hash of extensions.webtransportCerthashes) inner.bytes(1, hash)
    for (const muxer of extensions.streamMuxers) inner.string(2, muxer)
    if (extensions.earlyFin === true) inner.bool(EARLY_FIN_EXTENSION, true)
    writer.bytes(4, inner.finish())
  }
  return writer.finish()
}

export function decodePayload (bytes: Uint8Array): NoiseHandshakePayload {
  try {
    let identityKey: Uint8Array = new Uint8Array(0)
    let identitySig: Uint8Array = new Uint8Array(0)
    let extensions: NoiseExtensions | undefined
    const reader = new ProtoReader(bytes, READER_LIMITS)
    while (reader.next()) {
      switch (reader.field) {
        case 1: identityKey = reader.bytes(); break
        case 2: identitySig = reader.bytes(); break
        case 4:
          extensions ??= { webtransportCerthashes: [], streamMuxers: [] }
          decodeExtensions(reader.bytes(), extensions)
          break
        default: reader.skipField()
      }
    }
    return extensions === undefined ? { identityKey, identitySig } : { identityKey, identitySig, extensions }
  } catch (err) {
    if (err instanceof ProtobufError) throw new NoiseHandshakeError(`malformed NoiseHandshakePayload: ${err.message}`, { cause: err })
    throw err
  }
}

function decodeExtensions (bytes: Uint8Array, into: NoiseExtensions): void {
  const reader = new ProtoReader(bytes, READER_LIMITS)
  while (reader.next()) {
    switch (reader.field) {
      case 1:
        checkEntries(into.webtransportCerthashes.length, 'webtransport_certhashes')
        into.webtransportCerthashes.push(reader.bytes().slice())
        break
      case 2:
        checkEntries(into.streamMuxers.length, 'stream_muxers')
        into.streamMuxers.push(reader.string())
        break
      // Another experiment's field of another type on this code point is skipped, not an error.
      case EARLY_FIN_EXTENSION:
        if (reader.wireType === 0) into.earlyFin = reader.bool()
        else reader.skipField()
        break
      default: reader.skipField()
    }
  }
}

function checkEntries (count: number, field: string): void {
  if (count >= MAX_EXTENSION_ENTRIES) throw new NoiseHandshakeError(`more than ${MAX_EXTENSION_ENTRIES} ${field} entries`)
}
