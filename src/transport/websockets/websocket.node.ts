/**
 * The WebSocket constructor in Node: always the `ws` package (Node 20 has no
 * global WebSocket, and `ws` adds receive backpressure via pause/resume).
 */
import { requireWs } from './_ws-mask.node.js'
import type { WebSocketConstructor } from './websocket.browser.js'

export type { WebSocketConstructor, WebSocketLike } from './websocket.browser.js'

/** `ws`'s `send(data, callback)` calls back once the socket has taken the bytes (and keeps a reference until then). */
export const SEND_TAKES_CALLBACK = true

export function webSocketConstructor (): WebSocketConstructor | undefined {
  return requireWs().WebSocket as unknown as WebSocketConstructor
}
