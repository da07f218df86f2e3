/** Peer store: the contract, the in-memory implementation, the persistent one on a datastore, their limits. */
export { MemoryPeerStore, type MemoryPeerStoreOptions } from './memory.js'
export { PersistentPeerStore, PEER_STORE_PREFIX, type PersistentPeerStoreOptions } from './persistent.js'
export { CorruptPeerRecordError, PEER_RECORD_VERSION, encodePeer, decodePeer } from './codec.js'
export { PeerStoreLimitError } from './errors.js'
export * from './limits.js'
export type {
  Address, AddressInput, Peer, PeerData, PeerDeleteDetail, PeerIdLike, PeerStore, PeerUpdateDetail, Tag, TagInput
} from './types.js'
