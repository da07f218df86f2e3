/** Ping (specs/libp2p/ping/ping.md). */
export const PING_PROTOCOL = '/ipfs/ping/1.0.0'

/** Every ping payload is exactly 32 random bytes (spec "Protocol"). */
export const PING_PAYLOAD_LENGTH = 32

/**
 * How long the client waits for its echo: 10 s. Loopback answers in well under
 * a millisecond and intercontinental links in a few hundred; past 10 s the
 * connection is as good as dead, which is what ping exists to find out.
 */
export const PING_TIMEOUT_MS = 10_000

/**
 * How long the handler waits for the next payload before it closes the
 * stream: 60 s. Long-lived ping streams (rust-libp2p pings every 15 s) stay
 * open; a stream opened and left silent does not hold resources forever.
 */
export const PING_HANDLER_IDLE_TIMEOUT_MS = 60_000

/**
 * Most pings the handler echoes per stream in one PING_RATE_WINDOW_MS: 500.
 * Far above any liveness check (one per several seconds) and enough for a
 * latency benchmark on a long-lived stream, yet it keeps a remote from
 * turning ping into an unbounded echo service.
 */
export const PING_MAX_PER_WINDOW = 500

/** The window PING_MAX_PER_WINDOW counts over: 1 s. */
export const PING_RATE_WINDOW_MS = 1_000

/**
 * Inbound ping streams accepted per peer at a time: 2, as the spec advises
 * (a dialer keeps one, and may briefly overlap the next with the last).
 */
export const PING_MAX_INBOUND_STREAMS_PER_PEER = 2
