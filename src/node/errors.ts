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

/** A service names a need that is not in the node's services, or the needs form a cycle. */
export class ServiceDependencyError extends Error {
  override name = 'ServiceDependencyError'
}

/** A service's `start()` or `afterStart()` threw; those already started were stopped. `cause` is what it threw. */
export class ServiceStartError extends Error {
  override name = 'ServiceStartError'
  readonly service: string
  constructor (service: string, cause: unknown) {
    super(`service ${service} failed to start: ${(cause as Error)?.message ?? String(cause)}`, { cause })
    this.service = service
  }
}
