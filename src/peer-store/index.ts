/** Peer store: the contract, the in-memory implementation, its limits. */
export { MemoryPeerStore, type MemoryPeerStoreOptions } from './memory.js'
export { PeerStoreLimitError } from './errors.js'
export * from './limits.js'
export type {
  Address, AddressInput, Peer, PeerData, PeerDeleteDetail, PeerIdLike, PeerStore, PeerUpdateDetail, Tag, TagInput
} from './types.js'
