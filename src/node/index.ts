/** The minimal node: createNode and the pieces it is made of. */
export { createNode, Wasp2pNode, type NodeOptions, type DialTarget } from './node.js'
export { Registrar } from './registrar.js'
export { Dialer } from './dialer.js'
export { ConnectionTable } from './connections.js'
export { echoHandler, ECHO_PROTOCOL } from './echo.js'
export { DuplicateHandlerError, DialSelfError, NodeNotStartedError } from './errors.js'
