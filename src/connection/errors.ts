/** Named failures of the upgrade and of Connection use. */

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

/** One more stream of a protocol would pass its per-connection limit (ProtocolRegistry.streamLimit). */
export class StreamLimitError extends Error {
  override name = 'StreamLimitError'
}
