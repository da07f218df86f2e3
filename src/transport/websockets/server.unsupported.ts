/**
 * WebSocket listening outside Node: browsers cannot accept connections.
 * Selected through the package.json `imports` entry `#transport/websocket-server`.
 */
import type { Listener, ListenerOptions } from '../types.js'
import { UnsupportedTransportError } from '../errors.js'

export const webSocketListenSupported = false

export function createWebSocketListener (_options: ListenerOptions): Listener {
  throw new UnsupportedTransportError('WebSocket listening is not available in this runtime')
}
