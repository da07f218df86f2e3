/**
 * The WebSocket constructor outside Node: the platform's own (browsers,
 * Deno, Node 22+ builds that resolve the `default` condition).
 */

/** The subset of the WHATWG WebSocket that the transport uses; `ws` implements it too. */
export interface WebSocketLike {
  binaryType: string
  readonly readyState: number
  readonly bufferedAmount: number
  /** `ws` also takes a callback, called once the socket has taken the bytes (see SEND_TAKES_CALLBACK). */
  send: (data: Uint8Array, callback?: (err?: Error) => void) => void
  close: (code?: number, reason?: string) => void
  onopen: ((event: any) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  onclose: ((event: { code: number, reason: string, wasClean?: boolean }) => void) | null
  onerror: ((event: any) => void) | null
  /** `ws` only: stop / restart reading from the socket (receive backpressure). */
  pause?: () => void
  resume?: () => void
  /** `ws` only: destroy the socket without a closing handshake. */
  terminate?: () => void
}

export type WebSocketConstructor = new (url: string) => WebSocketLike

/**
 * Whether this runtime's WebSocket `send` reports when the bytes left
 * (`ws` does; the WHATWG WebSocket does not, and copies what it is given).
 */
export const SEND_TAKES_CALLBACK = false

export function webSocketConstructor (): WebSocketConstructor | undefined {
  return (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
}
