/** The node: createNode and the pieces it is made of. */
export { createNode, Wasp2pNode, type NodeOptions, type DialTarget, type NodeServices } from './node.js'
export { service, type ServiceHost, type ServiceFactory, type ServiceFactories, type ServiceLifecycle, type ServicesOf } from './service.js'
export { ServiceRunner, startOrder } from './service-runner.js'
export { defaultServices, type DefaultServices } from './default-services.js'
export { Registrar, type HandleOptions } from './registrar.js'
export { Dialer, isPeerId } from './dialer.js'
export { ConnectionTable } from './connections.js'
export {
  Bootstrapper, BOOTSTRAP_INITIAL_BACKOFF_MS, BOOTSTRAP_MAX_BACKOFF_MS, BOOTSTRAP_BACKOFF_FACTOR, BOOTSTRAP_BACKOFF_JITTER,
  BOOTSTRAP_TAG, BOOTSTRAP_TAG_VALUE,
  type BootstrapOptions
} from './bootstrap.js'
export type { NodeEvents, NodeEventName } from './events.js'
export { echoHandler, handleEcho, ECHO_PROTOCOL, ECHO_IDLE_TIMEOUT_MS, EchoTimeoutError, type EchoOptions } from './echo.js'
export { DuplicateHandlerError, DialSelfError, NodeNotStartedError, ServiceDisabledError, ServiceDependencyError, ServiceStartError } from './errors.js'
