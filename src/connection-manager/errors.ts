/** Named failures of the connection manager and the gater. */

/** A connection was refused or closed because a connection limit was reached. */
export class ConnectionLimitError extends Error {
  override name = 'ConnectionLimitError'
}

/**
 * A pending inbound upgrade was abandoned to make room for a new inbound
 * socket: every pending slot was taken and this one had made no progress
 * for PENDING_UPGRADE_STALL_MS (see src/connection-manager/constants.ts).
 */
export class PendingUpgradeShedError extends ConnectionLimitError {
  override name = 'PendingUpgradeShedError'
}

/** A remote host opened inbound connections faster than its rate allows. */
export class InboundRateLimitError extends Error {
  override name = 'InboundRateLimitError'
}

/** The gater (or the deny list) refused a dial or a connection; `stage` says where. */
export class ConnectionDeniedError extends Error {
  override name = 'ConnectionDeniedError'
  constructor (readonly stage: GaterStage, message: string) {
    super(message)
  }
}

/** A dial did not finish within its timeout. */
export class DialTimeoutError extends Error {
  override name = 'DialTimeoutError'
}

/** Every address of a dial failed; `errors` holds one per address tried. */
export class DialError extends Error {
  override name = 'DialError'
  constructor (message: string, readonly errors: Error[] = []) {
    super(message)
  }
}

/** The dial queue is at MAX_DIAL_QUEUE_LENGTH. */
export class DialQueueFullError extends Error {
  override name = 'DialQueueFullError'
}

/** A dial by PeerId for which no address is known. */
export class NoKnownAddressesError extends Error {
  override name = 'NoKnownAddressesError'
}


export type GaterStage =
  | 'dial-peer' | 'dial-multiaddr'
  | 'inbound-connection' | 'outbound-connection'
  | 'inbound-encrypted' | 'outbound-encrypted'
  | 'inbound-upgraded' | 'outbound-upgraded'
