/**
 * Connection management: limits, admission, pruning, the dial queue, address
 * ordering, per-host rate limiting and the connection gater.
 */
export { ConnectionManager, resolveOptions, type ConnectionManagerOptions, type ConnectionManagerInit, type InboundTicket, type InboundRefusal, type InboundShed } from './connection-manager.js'
export { DialQueue, type DialQueueInit } from './dial-queue.js'
export { orderAddresses, locality, transportRank, type DialCandidate } from './address-order.js'
export { HostRateLimiter } from './rate-limiter.js'
export { AddressList, hostOf } from './address-filter.js'
export { enforce, type ConnectionGater } from './gater.js'
export * from './constants.js'
export {
  ConnectionLimitError, PendingUpgradeShedError, InboundRateLimitError, ConnectionDeniedError, DialTimeoutError, DialError,
  DialQueueFullError, NoKnownAddressesError, type GaterStage
} from './errors.js'
