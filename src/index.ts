/**
 * wasp2p: libp2p with WebAssembly hot paths, one package for Node and browsers.
 */
export * as crypto from './crypto/index.js'
export { init, initSync } from './wasm/kernel.js'
export { useBackend, type Backend, type BackendChoice } from './wasm/backend.js'
export { createNode, Wasp2pNode, echoHandler, ECHO_PROTOCOL, type NodeOptions, type DialTarget } from './node/index.js'
export { tcp, webSockets, memory } from './transport/index.js'
export { Connection, type StreamHandler } from './connection/index.js'
