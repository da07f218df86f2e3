/** Named failures of the node API. */

/** `handle` for a protocol that already has a handler. */
export class DuplicateHandlerError extends Error {
  override name = 'DuplicateHandlerError'
}

/** A dial to our own PeerId. */
export class DialSelfError extends Error {
  override name = 'DialSelfError'
}

/** The node is not started (or already stopped). */
export class NodeNotStartedError extends Error {
  override name = 'NodeNotStartedError'
}

/** A call that needs a protocol service (ping, identify) on a node started with `services: false`. */
export class ServiceDisabledError extends Error {
  override name = 'ServiceDisabledError'
}
