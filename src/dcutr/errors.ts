/** Named failures of DCUtR (../shared/specs/libp2p/relay/DCUtR.md). */

/** A HolePunch message that does not decode, lacks its type, is too large or lists too many addresses. */
export class MalformedDcutrMessageError extends Error {
  override name = 'MalformedDcutrMessageError'
}

/** A HolePunch of the wrong type for this step (a SYNC where CONNECT was due, ...). */
export class UnexpectedDcutrMessageError extends Error {
  override name = 'UnexpectedDcutrMessageError'
}

/** We know no public address of our own to offer (identify told us none yet). */
export class NoObservedAddressError extends Error {
  override name = 'NoObservedAddressError'
}

/** The other side offered no address we can dial over TCP. */
export class NoDialableAddressError extends Error {
  override name = 'NoDialableAddressError'
}

/** DCUTR_MAX_ATTEMPTS attempts failed; `cause` is the last one's error. The relayed connection stays up. */
export class HolePunchFailedError extends Error {
  override name = 'HolePunchFailedError'
}

/** DCUtR on a connection that is not relayed: there is nothing to upgrade. */
export class NotRelayedError extends Error {
  override name = 'NotRelayedError'
}
