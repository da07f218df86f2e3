/**
 * The WebSocket constructor outside Node: the platform's own (browsers,
 * Deno, Node 22+ builds that resolve the `default` condition).
 */

/** The subset of the WHATWG WebSocket that the transport uses; `ws` implements it too. */
export interface WebSocketLike {
  binaryType: string
  readonly readyState: number
  readonly bufferedAmount: number
  send: (data: Uint8Array) => void
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

export function webSocketConstructor (): WebSocketConstructor | undefined {
  return (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
}
