/**
 * Limits of the in-memory peer store. Everything a remote peer tells us
 * (identify listen addresses, protocol lists, agent strings) ends up here, so
 * each dimension is capped: a hostile peer, or many of them, can make the
 * store forget things but never grow it without bound.
 */

/**
 * Most peers kept: 1024. Far above the connection limits of a browser or a
 * small node (a Kademlia table of 256 buckets × k = 20 rarely fills), low
 * enough that a flood of fresh peer ids costs at most a few MiB. Past it the
 * least valuable peer (lowest tag value, then least recently updated) is evicted.
 */
export const DEFAULT_MAX_PEERS = 1024

/**
 * Most addresses kept per peer: 64. Real peers announce a handful (one per
 * transport and interface); go-libp2p and js-libp2p cap identify's listen
 * addresses well below this. Past it the addresses that expire first go.
 */
export const MAX_ADDRESSES_PER_PEER = 64

/**
 * Most protocols kept per peer: 128. A full node speaks a few dozen; the list
 * is only used to pick protocols we share, so the tail is safe to drop.
 */
export const MAX_PROTOCOLS_PER_PEER = 128

/**
 * Longest protocol id kept, in characters: 1024. A multistream-select message
 * (the id plus its newline) is at most 1 KiB, so no id we could negotiate is
 * longer; anything longer is noise and is dropped.
 */
export const MAX_PROTOCOL_LENGTH = 1024

/** Most metadata entries per peer: 32 (agentVersion, protocolVersion and a few of the application's own). */
export const MAX_METADATA_ENTRIES = 32

/**
 * Largest metadata value: 1 KiB. Metadata holds short strings such as the
 * agent version; anything larger belongs in the application's own storage.
 */
export const MAX_METADATA_VALUE_SIZE = 1024

/** Most tags per peer: 32. Tags are set locally (by the connection manager, DHT, application), not by remotes. */
export const MAX_TAGS_PER_PEER = 32
