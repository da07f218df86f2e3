/**
 * Peer-store contract: what we know about other peers — addresses (each with
 * an expiry), the protocols they speak, their public key, free-form metadata
 * and local tags that rank them for eviction. Async throughout so a
 * persistent implementation (IndexedDB, a file) can stand behind the same
 * interface as the in-memory one (./memory.ts).
 *
 * Changes are announced as events on the store (it is an EventTarget):
 * `peer:update` (detail: PeerUpdateDetail) after every write that changed a
 * peer, and `peer:delete` (detail: PeerDeleteDetail) when one is removed or
 * evicted.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { PublicKey } from '../keys/types.js'
import type { PeerId } from '../peer-id/types.js'

/** Anything naming a peer: a PeerId or its base58btc string. */
export type PeerIdLike = PeerId | string

export interface Address {
  multiaddr: Multiaddr
  /** True when the address came from a verified signed peer record (RFC 0003). */
  certified: boolean
  /** Epoch milliseconds after which the address is dropped; Infinity never. */
  expires: number
}

export interface Tag {
  value: number
  /** Epoch milliseconds after which the tag is dropped; absent: never. */
  expires?: number
}

export interface Peer {
  /** The peer id as base58btc text. */
  id: string
  /** Unexpired addresses, certified first. */
  addresses: Address[]
  protocols: string[]
  publicKey: PublicKey | undefined
  /** The last verified signed peer record (a serialised envelope), kept to pass on. */
  peerRecordEnvelope: Uint8Array | undefined
  metadata: Map<string, Uint8Array>
  /** Unexpired tags. */
  tags: Map<string, Tag>
  /** Epoch milliseconds of the last change. */
  updated: number
}

export interface AddressInput {
  multiaddr: Multiaddr
  /** Milliseconds the address stays valid; default Infinity. */
  ttl?: number
  certified?: boolean
}

export interface TagInput {
  /** Default 0. */
  value?: number
  /** Milliseconds the tag stays; default forever. */
  ttl?: number
}

/**
 * A change to one peer. For `patch` every field present replaces what was
 * stored; for `merge` addresses, protocols, metadata and tags are added to
 * what was stored. A metadata or tag key mapped to `undefined` removes it in both.
 */
export interface PeerData {
  addresses?: AddressInput[]
  protocols?: string[]
  publicKey?: PublicKey
  peerRecordEnvelope?: Uint8Array
  metadata?: Map<string, Uint8Array | undefined> | Record<string, Uint8Array | undefined>
  tags?: Map<string, TagInput | undefined> | Record<string, TagInput | undefined>
}

export interface PeerUpdateDetail {
  peer: Peer
  /** The peer before the change; absent for a peer seen for the first time. */
  previous: Peer | undefined
}

export interface PeerDeleteDetail {
  peer: Peer
  reason: 'deleted' | 'evicted'
}

export interface PeerStore extends EventTarget {
  get: (id: PeerIdLike) => Promise<Peer | undefined>
  has: (id: PeerIdLike) => Promise<boolean>
  delete: (id: PeerIdLike) => Promise<void>
  all: () => Promise<Peer[]>
  /** Replaces the fields given; creates the peer if it is new. Returns the stored peer. */
  patch: (id: PeerIdLike, data: PeerData) => Promise<Peer>
  /** Adds to the fields given; creates the peer if it is new. Returns the stored peer. */
  merge: (id: PeerIdLike, data: PeerData) => Promise<Peer>
}
