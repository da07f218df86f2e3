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
