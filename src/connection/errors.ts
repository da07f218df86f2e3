/** Named failures of the upgrade and of Connection use. */
import { ResourceLimitError } from '../resources/errors.js'

/** A stage of the upgrade failed; `stage` says which, `cause` carries the underlying error. */
export class UpgradeError extends Error {
  override name = 'UpgradeError'
  constructor (readonly stage: 'encrypter-selection' | 'security' | 'muxer-selection' | 'muxer', message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** The upgrade did not finish within its timeout. */
export class UpgradeTimeoutError extends Error {
  override name = 'UpgradeTimeoutError'
}

/** newStream on a connection that is closing or closed. */
export class ConnectionNotOpenError extends Error {
  override name = 'ConnectionNotOpenError'
}

/** Stream negotiation did not finish within PROTOCOL_NEGOTIATION_TIMEOUT_MS. */
export class NegotiationTimeoutError extends Error {
  override name = 'NegotiationTimeoutError'
}

/**
 * One more stream of a protocol would pass its per-connection limit
 * (ProtocolRegistry.streamLimit): a resource limit of the connection scope.
 */
export class StreamLimitError extends ResourceLimitError {
  override name = 'StreamLimitError'
  constructor (message: string, value = 0) {
    super('connection', 'streams', value, message)
  }
}
