/**
 * The two multihashes PeerIds use (peer-ids spec, "Peer Ids"): identity
 * (0x00) inlines a key protobuf of at most 42 bytes, sha2-256 (0x12) hashes a
 * longer one.
 */
import { sha256 } from '../crypto/sha256.js'
import { InvalidPeerIdError } from './errors.js'

export const IDENTITY_CODE = 0x00
export const SHA256_CODE = 0x12

/** Encoded keys up to this many bytes are inlined, longer ones hashed (the spec's rule). */
export const INLINE_KEY_THRESHOLD = 42

/**
 * Largest identity-multihash digest accepted when decoding: 128 bytes. The
 * spec inlines at most 42, but a peer that inlines a little more (e.g. an
 * uncompressed secp256k1 key, 69 bytes) is still identified; the cap keeps
 * PeerId text short enough for addresses and logs.
 */
export const MAX_IDENTITY_DIGEST_LENGTH = 128

export interface Multihash { code: number, digest: Uint8Array, bytes: Uint8Array }

/** The PeerId multihash of an encoded public key. */
export function multihashOfKey (keyProtobuf: Uint8Array): Uint8Array {
  if (keyProtobuf.length <= INLINE_KEY_THRESHOLD) {
    const out = new Uint8Array(2 + keyProtobuf.length)
    out[0] = IDENTITY_CODE
    out[1] = keyProtobuf.length
    out.set(keyProtobuf, 2)
    return out
  }
  const out = new Uint8Array(34)
  out[0] = SHA256_CODE
  out[1] = 32
  out.set(sha256(keyProtobuf), 2)
  return out
}

/** Splits and checks a PeerId multihash; only identity and sha2-256 are PeerIds. */
export function decodeMultihash (bytes: Uint8Array): Multihash {
  let pos = 0
  const varint = (): number => {
    let value = 0
    for (let shift = 0; shift < 21; shift += 7) {
      if (pos >= bytes.length) throw new InvalidPeerIdError('truncated multihash')
      const b = bytes[pos++]
      value += (b & 0x7f) * 2 ** shift
      if (b < 0x80) return value
    }
    throw new InvalidPeerIdError('multihash varint too long')
  }
  const code = varint()
  const length = varint()
  const digest = bytes.subarray(pos)
  if (digest.length !== length) throw new InvalidPeerIdError(`multihash declares ${length} digest bytes, has ${digest.length}`)
  if (code === SHA256_CODE) {
    if (length !== 32) throw new InvalidPeerIdError('sha2-256 multihash must have a 32-byte digest')
  } else if (code === IDENTITY_CODE) {
    if (length > MAX_IDENTITY_DIGEST_LENGTH) throw new InvalidPeerIdError(`identity multihash longer than ${MAX_IDENTITY_DIGEST_LENGTH} bytes`)
  } else {
    throw new InvalidPeerIdError(`multihash code 0x${code.toString(16)} is not a PeerId hash`)
  }
  return { code, digest, bytes }
}
