/** Ping `/ipfs/ping/1.0.0`: responder, client, and the service a node registers. */
export * from './constants.js'
export { PingMismatchError, PingTimeoutError, PingRateLimitError, PingTruncatedError } from './errors.js'
export { handlePing, type PingHandlerOptions } from './handler.js'
export { ping, PingSession, type PingOptions } from './client.js'
export { createPingService, pingService, type PingService, type PingServiceOptions } from './service.js'
