/**
 * Observers of a node's internals, registered by a service through
 * `ServiceHost.observe` (a metrics service): the resource manager's stream
 * and refusal hooks (src/resources/observer.ts) plus dial outcomes. A node
 * nobody observes does none of this work.
 */
import type { ResourceObserver } from '../resources/observer.js'

export interface NodeObserver extends ResourceObserver {
  /** A dial that could not reuse an open connection finished: `error` unless it succeeded. */
  dialed?: (error?: Error) => void
}
