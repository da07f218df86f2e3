/** multistream-select 1.0 constants (../shared/specs/multiformats/multistream-select.md). */

/** The header both sides send first, naming the negotiation protocol itself. */
export const PROTOCOL_ID = '/multistream/1.0.0'

/** "Not available": the listener's answer to a protocol it does not speak. */
export const NOT_AVAILABLE = 'na'

/** The optional listing request. */
export const LIST = 'ls'

/**
 * Longest multistream message accepted, in bytes, including the trailing
 * newline. Default 1024: protocol ids are short paths (go-libp2p and
 * js-libp2p use the same bound), and a peer must not make us buffer more
 * than this before we know what it wants.
 */
export const MAX_MESSAGE_LENGTH = 1024

/**
 * Longest `ls` response accepted by `listProtocols`, in bytes. Default 64 KiB:
 * room for hundreds of protocol ids, still bounded.
 */
export const MAX_LIST_RESPONSE_LENGTH = 64 * 1024

/**
 * Proposals (and `ls` requests) a listener answers before giving up on a
 * stream. Default 16: a dialer tries its alternatives in order, and no
 * implementation offers more than a handful; the bound stops a peer from
 * keeping a stream in negotiation forever.
 */
export const MAX_NEGOTIATION_ATTEMPTS = 16

/**
 * Prefix of the message a wasp2p listener sends right after `na` when it
 * refuses a whole connection before the security handshake (rate or
 * connection limit): `refused:<reason>`. multistream-select has no error
 * message, so the listener answers the security proposal with the `na` the
 * spec requires and adds this one message before closing; a dialer that does
 * not know it reads it as one more `na`-like answer and fails cleanly, a
 * wasp2p dialer turns it into PeerRefusedError.
 */
export const REFUSAL_PREFIX = 'refused:'

/**
 * Time a dialer waits, after a final `na`, for a refusal reason that did not
 * arrive in the same packet. Default 250 ms: the listener writes `na` and the
 * reason together, so this only matters when they were split; it adds to a
 * dial that is failing anyway, never to one that succeeds.
 */
export const REFUSAL_REASON_WAIT_MS = 250
