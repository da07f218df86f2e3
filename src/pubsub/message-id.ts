/**
 * Message ids (pubsub README "Message Identification"): every router of a
 * topic must compute the same id for the same message, or gossip (IHAVE /
 * IWANT / IDONTWANT) and duplicate suppression break across implementations.
 *
 * - StrictSign default: the origin and its sequence number. The spec says
 *   `from ‖ seqno`; js-libp2p's gossipsub, the implementation we must agree
 *   with, uses the origin's *public key protobuf* ‖ seqno. For the identity
 *   multihash PeerIds of Ed25519 and secp256k1 keys that is `from` without its
 *   two-byte multihash header; for others the `key` field carries it. We
 *   compute exactly js-libp2p's bytes.
 * - StrictNoSign default: SHA-256 of `data` (the messages carry no origin),
 *   through our WASM kernel.
 * - LaxSign / LaxNoSign default: the origin id for a message that carries
 *   `from` and `seqno`, SHA-256 of the data for one that does not (msgIdLax).
 */
import { sha256 } from '../crypto/index.js'
import { decodeMultihash, IDENTITY_CODE } from '../peer-id/multihash.js'
import { InvalidMessageError } from './errors.js'
import type { RpcMessage } from './rpc.js'

/** Computes a message's id; must be a pure function of the message. */
export type MessageIdFn = (message: RpcMessage) => Uint8Array

/** `publicKeyProtobuf(origin) ‖ seqno` — the id js-libp2p gossipsub gives a signed message. */
export function msgIdFromOrigin (message: RpcMessage): Uint8Array {
  if (message.seqno === undefined || message.from === undefined) throw new InvalidMessageError('a signed message needs from and seqno for its id')
  let key = message.key
  if (key === undefined) {
    const { code, digest } = decodeMultihash(message.from)
    if (code !== IDENTITY_CODE) throw new InvalidMessageError('the origin key is neither inlined in from nor carried in key')
    key = digest
  }
  const id = new Uint8Array(key.length + message.seqno.length)
  id.set(key)
  id.set(message.seqno, key.length)
  return id
}

/** SHA-256 of the message's data (WASM kernel): the id for unsigned messages. */
export function msgIdFromData (message: RpcMessage): Uint8Array {
  return sha256(message.data ?? new Uint8Array(0))
}

/**
 * The default under the Lax policies, where both kinds of message travel: a message with an
 * origin gets msgIdFromOrigin, one without gets msgIdFromData. For the key types in use the
 * two differ in length (44 or 45 bytes for Ed25519 and secp256k1 origins, 32 for the hash).
 */
export function msgIdLax (message: RpcMessage): Uint8Array {
  return message.from !== undefined && message.seqno !== undefined ? msgIdFromOrigin(message) : msgIdFromData(message)
}

/** The spec's literal `from ‖ seqno` (go-libp2p's default), for networks that use it. */
export function msgIdFromFromAndSeqno (message: RpcMessage): Uint8Array {
  if (message.seqno === undefined || message.from === undefined) throw new InvalidMessageError('from and seqno are needed for this id')
  const id = new Uint8Array(message.from.length + message.seqno.length)
  id.set(message.from)
  id.set(message.seqno, message.from.length)
  return id
}

/** A message id as a Map key (one char per byte: cheap, and exact). */
export function idKey (id: Uint8Array): string {
  let s = ''
  for (let i = 0; i < id.length; i++) s += String.fromCharCode(id[i]!)
  return s
}

/** The bytes back from idKey. */
export function idBytes (key: string): Uint8Array {
  const out = new Uint8Array(key.length)
  for (let i = 0; i < key.length; i++) out[i] = key.charCodeAt(i)
  return out
}
