/**
 * The protocols every node runs above the connection: ping, identify (and
 * push) and, opt-in, perf. Each is a standalone service wired to a node
 * through the small ProtocolRegistrar / ConnectionInfo surface of ./types.ts.
 */
export type { ConnectionInfo, ProtocolHandler, ProtocolRegistrar } from './types.js'
export * as ping from './ping/index.js'
export * as identify from './identify/index.js'
export * as perf from './perf/index.js'
export { createPingService, PING_PROTOCOL, type PingService } from './ping/index.js'
export { createIdentifyService, IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL, type IdentifyService } from './identify/index.js'
export { createPerfService, PERF_PROTOCOL, type PerfService } from './perf/index.js'
export {
  startProtocolServices, DEFAULT_AGENT_VERSION, DEFAULT_PROTOCOL_VERSION,
  type ServiceHost, type ProtocolServices, type ProtocolServicesOptions
} from './services.js'
