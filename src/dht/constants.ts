/**
 * Kademlia parameters (kad-dht spec, ../shared/specs/libp2p/kad-dht/README.md).
 * Each is a default the caller may override where an option exists.
 */

/** Protocol id of the libp2p Kademlia DHT on the IPFS network. */
export const PROTOCOL_ID = '/ipfs/kad/1.0.0'

/** Replication parameter k = 20 (spec "Replication parameter"): bucket size and lookup width. */
export const K = 20

/**
 * Lookup concurrency α = 3, the Kademlia paper's value, also js-libp2p's. The spec
 * (r2) recommends 10; callers with fast networks can pass `alpha: 10`.
 */
export const ALPHA = 3

/** Keyspace bits: sha256 keys (spec "Kademlia routing table"), so buckets 0–255. */
export const KEYSPACE_BITS = 256
