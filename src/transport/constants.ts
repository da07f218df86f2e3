/** Limits shared by every transport. */

/**
 * How long a dial may take to produce an open raw connection. Default 10 s:
 * long enough for a slow TLS WebSocket handshake, short enough that a
 * black-holed address does not stall a dial queue.
 */
export const DIAL_TIMEOUT_MS = 10_000

/**
 * Received bytes buffered per raw connection before the transport stops
 * reading from the socket (TCP `pause()`, `ws` `pause()`). Default 4 MiB, one
 * default yamux window times sixteen: enough to keep a fast link busy while
 * the consumer catches up, small enough that a slow consumer cannot be made
 * to hold unbounded memory.
 */
export const RECEIVE_HIGH_WATER_MARK = 4 * 1024 * 1024

/**
 * Bytes a WebSocket may have queued for sending (`bufferedAmount`) before
 * `write` waits. Default 1 MiB: WebSockets have no write callback in browsers,
 * so this bound is what keeps a fast writer from queueing without limit.
 */
export const WEBSOCKET_SEND_HIGH_WATER_MARK = 1024 * 1024

/**
 * How long a WebSocket `write` waits for `bufferedAmount` to fall below
 * WEBSOCKET_SEND_HIGH_WATER_MARK while it does not fall at all. Default 30 s:
 * a remote that stops reading leaves the buffer full for ever (there is no
 * write callback to time out, only the poll); a slow remote keeps draining
 * and never hits it. On expiry the socket is torn down (WebSocketSendTimeoutError).
 */
export const WEBSOCKET_SEND_TIMEOUT_MS = 30_000

/**
 * How long a graceful `close()` waits for the remote to finish its side
 * before the socket is destroyed. Default 5 s: a peer that never answers
 * with its own FIN / close frame must not keep a socket open forever.
 */
export const CLOSE_TIMEOUT_MS = 5_000
