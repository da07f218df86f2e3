/**
 * The WebSocket constructor in Node: always the `ws` package (Node 20 has no
 * global WebSocket, and `ws` adds receive backpressure via pause/resume).
 */
import { WebSocket } from 'ws'
import type { WebSocketConstructor } from './websocket.browser.js'

export type { WebSocketConstructor, WebSocketLike } from './websocket.browser.js'

export function webSocketConstructor (): WebSocketConstructor | undefined {
  return WebSocket as unknown as WebSocketConstructor
}
