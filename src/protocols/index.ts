/**
 * The protocols every node runs above the connection: ping, identify (and
 * push) and, opt-in, perf. Each core service works over the small
 * ProtocolRegistrar / ConnectionInfo surface of ./types.ts; its factory
 * (`identifyService()`, `pingService()`, `perfService()`) wires it to a node.
 */
export type { ConnectionInfo, ProtocolHandler, ProtocolRegistrar } from './types.js'
export * as ping from './ping/index.js'
export * as identify from './identify/index.js'
export * as perf from './perf/index.js'
export { createPingService, pingService, PING_PROTOCOL, type PingService } from './ping/index.js'
export {
  createIdentifyService, identifyService, IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL, DEFAULT_AGENT_VERSION, DEFAULT_PROTOCOL_VERSION,
  type IdentifyService, type IdentifyOptions
} from './identify/index.js'
export { createPerfService, perfService, PERF_PROTOCOL, type PerfService } from './perf/index.js'
