/**
 * Named failures of circuit relay v2. Where the protocol has a status code
 * for the failure (circuit-v2.md "Protobuf", `enum Status`), the error
 * carries it as `status`, and the relay or target sends it on the wire.
 */
import { RelayStatus } from './status.js'

/** A hop or stop message that does not decode, lacks a required field, or is too large. */
export class MalformedRelayMessageError extends Error {
  override name = 'MalformedRelayMessageError'
  readonly status = RelayStatus.MALFORMED_MESSAGE
}

/** A well-formed message of a type not allowed at this point of the exchange. */
export class UnexpectedRelayMessageError extends Error {
  override name = 'UnexpectedRelayMessageError'
  readonly status = RelayStatus.UNEXPECTED_MESSAGE
}

/** The other side answered with a status other than OK. `status` is its code. */
export class RelayRefusedError extends Error {
  override name = 'RelayRefusedError'
  readonly status: number
  constructor (status: number, message: string) {
    super(message)
    this.status = status
  }
}

/** A reservation voucher whose signature, signer, payload type or fields do not check out. */
export class InvalidVoucherError extends Error {
  override name = 'InvalidVoucherError'
}

/** A relayed connection moved more bytes than its data limit; the relay reset both streams. */
export class RelayDataLimitError extends Error {
  override name = 'RelayDataLimitError'
}

/** A relayed connection outlived its duration limit; the relay reset both streams. */
export class RelayDurationLimitError extends Error {
  override name = 'RelayDurationLimitError'
}

/** A hop or stop exchange took longer than RELAY_EXCHANGE_TIMEOUT_MS. */
export class RelayTimeoutError extends Error {
  override name = 'RelayTimeoutError'
}

/** A `/p2p-circuit` address that names no relay or no target, or a circuit through a circuit. */
export class InvalidCircuitAddressError extends Error {
  override name = 'InvalidCircuitAddressError'
}
