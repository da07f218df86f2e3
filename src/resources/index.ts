/** The resource manager: scopes, limits and their use (`node.resources()`). */
export {
  ResourceManager, ConnectionScope, StreamScope, resolveLimits,
  type ResourceLimits, type ResolvedResourceLimits, type ResourceUsage, type ScopeUsage, type DirectionCounts
} from './manager.js'
export { ResourceLimitError, type ResourceScopeName, type ResourceLimitName } from './errors.js'
export type { ResourceObserver, StreamMeter, StreamInfo } from './observer.js'
export * from './constants.js'
