/**
 * Does a marshalled public key belong to a peer id? A peer id is the
 * multihash of the marshalled key: the identity multihash (the key inline)
 * for keys of at most 42 bytes, sha2-256 otherwise (peer-ids spec, "Peer Ids").
 * Checking the bytes needs no key parsing, so it works for every key type.
 */
import { sha256 } from '../../crypto/index.js'
import type { PeerId } from '../../peer-id/types.js'

const IDENTITY = 0x00
const SHA2_256 = 0x12

function readVarint (bytes: Uint8Array, offset: number): [number, number] | undefined {
  let value = 0
  let scale = 1
  for (let i = offset; i < bytes.length && i < offset + 4; i++) {
    const b = bytes[i] as number
    value += (b & 0x7f) * scale
    if (b < 0x80) return [value, i + 1]
    scale *= 128
  }
  return undefined
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}

export function publicKeyMatchesPeer (marshalledKey: Uint8Array, peer: PeerId): boolean {
  const mh = peer.multihash
  const code = readVarint(mh, 0)
  if (code === undefined) return false
  const length = readVarint(mh, code[1])
  if (length === undefined || length[1] + length[0] !== mh.length) return false
  const digest = mh.subarray(length[1])
  if (code[0] === IDENTITY) return equal(digest, marshalledKey)
  if (code[0] === SHA2_256) return equal(digest, sha256(marshalledKey))
  return false
}
