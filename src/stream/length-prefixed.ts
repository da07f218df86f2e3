/**
 * Varint length-prefixed messages (multiformats unsigned-varint, as used by
 * multistream-select, identify, kad-dht and most libp2p protocols).
 */
import { type ByteReader, encodeVarint } from './byte-reader.js'
import type { ByteStream } from './types.js'

/** `varint(length) ‖ bytes` in one buffer. */
export function encodeLengthPrefixed (bytes: Uint8Array): Uint8Array {
  const prefix = encodeVarint(bytes.length)
  const out = new Uint8Array(prefix.length + bytes.length)
  out.set(prefix)
  out.set(bytes, prefix.length)
  return out
}

/** Writes one length-prefixed message as a single write (one frame on a muxed stream). */
export async function writeLengthPrefixed (stream: Pick<ByteStream, 'write'>, bytes: Uint8Array): Promise<void> {
  await stream.write(encodeLengthPrefixed(bytes))
}

/** Reads one length-prefixed message of at most `maxLength` bytes (RangeError beyond). */
export async function readLengthPrefixed (reader: ByteReader, maxLength: number): Promise<Uint8Array> {
  return await reader.readLengthPrefixed(maxLength)
}
