/** Connections: the upgrade from raw to secured and multiplexed, and the Connection itself. */
export { Connection, type ConnectionStatus, type NewStreamOptions, type ProtocolRegistry, type StreamHandler } from './connection.js'
export { Upgrader, type UpgraderInit, type UpgradeOptions } from './upgrader.js'
export { UpgradeError, UpgradeTimeoutError, ConnectionNotOpenError, NegotiationTimeoutError, StreamLimitError } from './errors.js'
export { UPGRADE_TIMEOUT_MS, INBOUND_HEADER_TIMEOUT_MS, PROTOCOL_NEGOTIATION_TIMEOUT_MS, CONNECTION_CLOSE_TIMEOUT_MS } from './constants.js'
