/** Timeouts of the connection upgrade and of stream negotiation. */

/**
 * Time from a raw connection to a ready Connection (security handshake plus
 * muxer selection), per direction. Default 10 s: js-libp2p measures ~10 ms on
 * loopback and a few round trips on a slow link; a peer that stalls the
 * handshake must not hold a socket and a half-built state for longer.
 */
export const UPGRADE_TIMEOUT_MS = 10_000

/**
 * Time an inbound raw connection has to deliver the dialer's multistream header
 * (its first message). Default 2 s: an honest dialer sends it with its first
 * flight, one round trip at most after connecting; a socket that stays silent
 * would otherwise hold a pending-upgrade slot for the whole UPGRADE_TIMEOUT_MS
 * (slowloris against the inbound limits).
 */
export const INBOUND_HEADER_TIMEOUT_MS = 2_000

/**
 * Time for multistream-select on one new stream (either side). Default 10 s:
 * an inbound stream that never proposes a protocol is reset after this, so an
 * idle peer cannot park streams in negotiation.
 */
export const PROTOCOL_NEGOTIATION_TIMEOUT_MS = 10_000

/**
 * Time a graceful `Connection.close()` waits for the muxer to finish open
 * streams before aborting. Default 5 s.
 */
export const CONNECTION_CLOSE_TIMEOUT_MS = 5_000
