/**
 * AutoNAT v2 protocol ids and limits (autonat v2 spec). Every limit bounds
 * what one remote can make us spend: bytes held, dials made, time waited.
 */

/** The stream on which a client asks and a server answers (spec, "AutoNAT V2 Protocol"). */
export const DIAL_REQUEST_PROTOCOL = '/libp2p/autonat/2/dial-request'
/** The stream the server opens on its dial back to deliver the nonce. */
export const DIAL_BACK_PROTOCOL = '/libp2p/autonat/2/dial-back'

/**
 * Largest message on either stream: 8 KiB. A DialDataResponse carries at most
 * 4096 data bytes and a DialRequest at most AUTONAT_MAX_ADDRS_PER_REQUEST
 * addresses; js-libp2p uses the same figure, so each accepts what the other sends.
 */
export const AUTONAT_MAX_MESSAGE_BYTES = 8192

/**
 * Addresses accepted in one DialRequest: 16. The server dials only one, but
 * must parse the list to choose it; a client has a handful of public addresses.
 */
export const AUTONAT_MAX_ADDRS_PER_REQUEST = 16

/** Most data bytes in one DialDataResponse (spec, "Amplification Attack Prevention"). */
export const AUTONAT_DIAL_DATA_CHUNK_BYTES = 4096

/**
 * The range from which the server draws how many bytes it asks for before
 * dialing an IP other than the client's: 30 000 to 100 000, as the spec says
 * servers SHOULD, several times the ~10 kB a handshake costs the victim.
 */
export const AUTONAT_DIAL_DATA_MIN_BYTES = 30_000
export const AUTONAT_DIAL_DATA_MAX_BYTES = 100_000

/**
 * DialDataResponse messages the server reads for one request: 128, enough for
 * AUTONAT_DIAL_DATA_MAX_BYTES in chunks of 800 bytes or more; a client that
 * trickles tiny or empty chunks is cut off instead of holding the stream.
 */
export const AUTONAT_MAX_DIAL_DATA_MESSAGES = 128

/**
 * Most dial data a client agrees to send for one request: 200 000 bytes,
 * twice the spec's upper figure (js-libp2p's client allows 200 KiB); a server
 * asking more is refused with a reset (spec: the client "rejects the cost").
 */
export const AUTONAT_CLIENT_MAX_DIAL_DATA_BYTES = 200_000

/**
 * Dial-request streams one connection may have open at once: 2 (js-libp2p's
 * figure); the client asks one address at a time, so more is a misbehaving peer.
 * The same cap applies to dial-back streams, which a server opens one per connection.
 */
export const AUTONAT_MAX_STREAMS_PER_CONNECTION = 2

/** Dial-backs a server runs at once, over all clients: 8; more get E_REQUEST_REJECTED. */
export const AUTONAT_SERVER_MAX_CONCURRENT_DIAL_BACKS = 8

/** Requests one peer may make per AUTONAT_SERVER_RATE_WINDOW_MS: 12; more get E_REQUEST_REJECTED. */
export const AUTONAT_SERVER_MAX_REQUESTS_PER_PEER = 12

/** Requests from all peers per AUTONAT_SERVER_RATE_WINDOW_MS: 120, so many peers cannot make us a dialing service. */
export const AUTONAT_SERVER_MAX_REQUESTS_PER_WINDOW = 120

/** The window of the server's rate limits: one minute. */
export const AUTONAT_SERVER_RATE_WINDOW_MS = 60_000

/**
 * One dial-request exchange, either side, from the stream's opening to the
 * response: 30 s (js-libp2p's timeout), room for dial data and a dial back.
 */
export const AUTONAT_REQUEST_TIMEOUT_MS = 30_000

/** The server's dial back, connect to the DialBackResponse: 15 s; past it the dial is E_DIAL_ERROR or E_DIAL_BACK_ERROR. */
export const AUTONAT_DIAL_BACK_TIMEOUT_MS = 15_000

/**
 * Servers that must agree before the client takes an address as public (or
 * private): 4, the spec's "more than 3 servers" (Implementation Suggestions).
 */
export const AUTONAT_CONFIRMATIONS = 4

/** Dial requests the client has in flight at once: 4 (each holds a nonce and a stream). */
export const AUTONAT_CLIENT_MAX_IN_FLIGHT = 4

/** Servers (peers that speak dial-request) the client remembers: 32, the first met kept. */
export const AUTONAT_MAX_SERVERS = 32

/** Addresses whose tallies the client keeps: 32 (the address manager offers fewer). */
export const AUTONAT_MAX_TRACKED_ADDRS = 32

/**
 * How long a verdict stands before the address is tested again: 30 minutes
 * (spec: "Periodically recheck reachability status"); also the recheck period.
 */
export const AUTONAT_RECHECK_INTERVAL_MS = 30 * 60_000
