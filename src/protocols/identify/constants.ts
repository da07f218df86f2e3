/** Identify (specs/libp2p/identify/README.md). */
export const IDENTIFY_PROTOCOL = '/ipfs/id/1.0.0'
export const IDENTIFY_PUSH_PROTOCOL = '/ipfs/id/push/1.0.0'

/**
 * Largest Identify message accepted: 8 KiB, the limit js-libp2p applies
 * (go-libp2p allows more but sends far less). A real message carries a key
 * (≤ 300 bytes for RSA-2048), a dozen addresses, a few dozen protocol ids and
 * a signed record of the same addresses: 2–3 KiB. Anything bigger is refused
 * before it is decoded.
 */
export const MAX_IDENTIFY_MESSAGE_SIZE = 8 * 1024

/**
 * Most listen addresses taken from one message: 64, matching the peer
 * store's per-peer cap (MAX_ADDRESSES_PER_PEER); the rest are ignored.
 */
export const MAX_IDENTIFY_ADDRESSES = 64

/** Most protocol ids taken from one message: 128, matching MAX_PROTOCOLS_PER_PEER. */
export const MAX_IDENTIFY_PROTOCOLS = 128

/**
 * Longest agentVersion / protocolVersion kept: 256 bytes. They are free-form
 * strings for logs and statistics; longer ones are cut before they reach the
 * peer store's metadata.
 */
export const MAX_IDENTIFY_VERSION_LENGTH = 256

/**
 * How long identify waits for the remote's message: 5 s, as go-libp2p and
 * js-libp2p do. The exchange is one message right after the connection is
 * up; a peer slower than this is treated as not speaking identify.
 */
export const IDENTIFY_TIMEOUT_MS = 5_000

/**
 * How long addresses learned from identify stay in the peer store: 1 hour.
 * Long enough to redial after a disconnect, short enough that stale
 * addresses of a peer that moved are forgotten; every identify refreshes them.
 */
export const IDENTIFY_ADDRESS_TTL_MS = 60 * 60 * 1000

/**
 * Wait after a change of our protocols or addresses before pushing: 1 s, so
 * a burst of changes (a node registering its handlers at start) sends one push.
 */
export const IDENTIFY_PUSH_DEBOUNCE_MS = 1_000

/**
 * Most pushes sent at once: 32. Pushing to every connected peer at the same
 * moment would open as many streams; this spreads them out.
 */
export const IDENTIFY_PUSH_CONCURRENCY = 32

/** Metadata keys identify writes to the peer store (UTF-8 values). */
export const AGENT_VERSION_KEY = 'AgentVersion'
export const PROTOCOL_VERSION_KEY = 'ProtocolVersion'

/** What identify says we run unless told otherwise. */
export const DEFAULT_AGENT_VERSION = 'wasp2p/0.1.0'
/** The protocol family go-libp2p and js-libp2p announce (identify spec, "protocolVersion"). */
export const DEFAULT_PROTOCOL_VERSION = 'ipfs/0.1.0'
