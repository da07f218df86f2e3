/**
 * Named transport failures. Raw socket errors (ECONNREFUSED, ECONNRESET, a
 * WebSocket `error` event) are mapped to these so the layers above can tell
 * "nobody listens there" from "it went away mid-stream" without parsing strings.
 */

/** A dial failed before a raw connection existed. `cause` carries the runtime's error. */
export class DialError extends Error {
  override name = 'DialError'
}

/** Nothing accepted the connection (TCP RST / ECONNREFUSED, WebSocket closed before open). */
export class ConnectionRefusedError extends DialError {
  override name = 'ConnectionRefusedError'
}

/** The dial did not complete within its timeout. */
export class DialTimeoutError extends DialError {
  override name = 'DialTimeoutError'
}

/** The caller's AbortSignal fired before the dial completed. */
export class DialAbortedError extends DialError {
  override name = 'DialAbortedError'
}

/** No configured transport can dial (or listen on) the address, or it cannot run here. */
export class UnsupportedTransportError extends Error {
  override name = 'UnsupportedTransportError'
}

/** Binding a listener failed (address in use, bad address). */
export class ListenError extends Error {
  override name = 'ListenError'
}

/** The connection was torn down by the remote or the network (ECONNRESET, EPIPE, abnormal WebSocket close). */
export class ConnectionResetError extends Error {
  override name = 'ConnectionResetError'
}

/** A WebSocket's send buffer did not drain at all for WEBSOCKET_SEND_TIMEOUT_MS (the remote stopped reading); the socket was torn down. */
export class WebSocketSendTimeoutError extends Error {
  override name = 'WebSocketSendTimeoutError'
}

/** A write on a connection that was already closed or aborted. */
export class ConnectionClosedError extends Error {
  override name = 'ConnectionClosedError'
}
