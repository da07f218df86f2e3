/** Transports: raw, not yet secured, connections over TCP, WebSockets and memory. */
export { tcp, tcpSupported, type TcpOptions } from './tcp/index.js'
export { webSockets, type WebSocketsOptions } from './websockets/websockets.js'
export { memory } from './memory/memory.js'
export * from './errors.js'
export * from './constants.js'
export type * from './types.js'
