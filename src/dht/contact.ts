/**
 * A DHT contact: a peer's id (the binary multihash of its PeerId) and its Kademlia
 * key, sha256(id) (kad-dht spec "Distance"). Keys are computed once, here.
 */
import { sha256, sha256Many } from '../crypto/index.js'

export interface Contact {
  /** Binary PeerId multihash: what FIND_NODE keys and Peer.id carry on the wire. */
  readonly id: Uint8Array
  /** sha256(id): the point in the keyspace the XOR metric measures. */
  readonly key: Uint8Array
}

/** The Kademlia key of any DHT key (a PeerId multihash, a record key, a provider multihash). */
export function kadKey (bytes: Uint8Array): Uint8Array {
  return sha256(bytes)
}

export function contactOf (id: Uint8Array): Contact {
  return { id, key: kadKey(id) }
}

/** Contacts for many ids of one length, hashed in one batch (e.g. Ed25519 PeerIds, all 38 bytes). */
export function contactsOf (ids: readonly Uint8Array[]): Contact[] {
  if (ids.length === 0) return []
  const length = ids[0]!.length
  if (ids.some(id => id.length !== length)) return ids.map(contactOf)
  const joined = new Uint8Array(length * ids.length)
  ids.forEach((id, i) => joined.set(id, i * length))
  const keys = sha256Many(joined, length)
  return ids.map((id, i) => ({ id, key: keys.slice(i * 32, (i + 1) * 32) }))
}

/** A Map key for bytes: one UTF-16 code unit per byte (unique per byte string, cheap to build). */
export function mapKeyOf (bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[])
}
