/** Named failures of the node API. */

/** `handle` for a protocol that already has a handler. */
export class DuplicateHandlerError extends Error {
  override name = 'DuplicateHandlerError'
}

/** A dial to our own PeerId. */
export class DialSelfError extends Error {
  override name = 'DialSelfError'
}

/** Every address of a dial failed; `errors` has one entry per address tried. */
export class AllAddressesFailedError extends AggregateError {
  override name = 'AllAddressesFailedError'
}

/** The node is not started (or already stopped). */
export class NodeNotStartedError extends Error {
  override name = 'NodeNotStartedError'
}
