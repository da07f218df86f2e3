/**
 * Limits of the resource manager (./manager.ts). Each caps what the remote
 * side of connections can make this node hold: connections per peer, open
 * streams per peer / protocol / node, and bytes received but not yet read.
 * All are overridable through `createNode({ resources })`.
 *
 * Node-wide connection limits are the connection manager's
 * (src/connection-manager/constants.ts: MAX_CONNECTIONS and friends) and
 * per-connection per-protocol stream limits are the registrar's
 * (MAX_INBOUND/OUTBOUND_STREAMS_PER_PROTOCOL, or `handle()` options); the
 * resource manager counts against those and adds the scopes they lack.
 */

/**
 * Connections to one peer, both directions. Default 8: one connection per
 * peer is the norm (dials reuse it), two happen on simultaneous dials; a peer
 * opening more is either broken or spending our sockets on purpose.
 */
export const MAX_CONNECTIONS_PER_PEER = 8

/**
 * Negotiated streams open on the whole node. Default 16,384: each holds a
 * yamux stream and a handler's state (a few KiB); this bounds their sum while
 * leaving room for 1,000 connections with 10 busy streams each.
 */
export const MAX_STREAMS = 16_384

/**
 * Negotiated streams open with one peer, over all its connections. Default
 * 2,048, twice the yamux per-connection limit (MAX_STREAMS of the muxer): a
 * peer cannot dodge the per-connection limit by opening more connections.
 */
export const MAX_STREAMS_PER_PEER = 2_048

/**
 * Negotiated streams of one protocol on the whole node, unless
 * `resources.protocols[protocol].maxStreams` says otherwise. Default 8,192,
 * half of MAX_STREAMS: one busy protocol (or one flooded handler) cannot take
 * every stream slot from the others.
 */
export const MAX_STREAMS_PER_PROTOCOL = 8_192

/**
 * Bytes received on one connection's streams and not yet read by their
 * handlers: the yamux session's receive budget. Default 32 MiB: two streams
 * at the largest auto-tuned window (16 MiB), or 128 streams holding a full
 * initial 256 KiB window each. Without it a peer that opens MAX_STREAMS
 * streams and fills each initial window makes us buffer 1024 × 256 KiB =
 * 256 MiB per connection. A stream whose data would pass the budget is reset
 * (ResourceLimitError), and windows grow past 256 KiB only while it has room.
 */
export const MAX_MEMORY_PER_CONNECTION = 32 * 1024 * 1024

/**
 * Unread received bytes over all connections of one peer. Default 64 MiB:
 * MAX_CONNECTIONS_PER_PEER connections must not multiply the per-connection budget.
 */
export const MAX_MEMORY_PER_PEER = 64 * 1024 * 1024

/**
 * Unread received bytes on the whole node. Default 512 MiB: the sum a swarm
 * of peers can make us buffer, well under what a Node process or a browser
 * tab may use.
 */
export const MAX_MEMORY = 512 * 1024 * 1024
