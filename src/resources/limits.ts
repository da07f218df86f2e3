/** The resource manager's limits as options take them, resolved against the defaults in ./constants.ts. */
import {
  MAX_CONNECTIONS_PER_PEER, MAX_MEMORY, MAX_MEMORY_PER_CONNECTION, MAX_MEMORY_PER_PEER, MAX_STREAMS, MAX_STREAMS_PER_PEER, MAX_STREAMS_PER_PROTOCOL
} from './constants.js'

export interface ResourceLimits {
  /** Default MAX_CONNECTIONS_PER_PEER. */
  maxConnectionsPerPeer?: number
  /** Default MAX_STREAMS. */
  maxStreams?: number
  /** Default MAX_STREAMS_PER_PEER. */
  maxStreamsPerPeer?: number
  /** Default MAX_STREAMS_PER_PROTOCOL, for every protocol not named in `protocols`. */
  maxStreamsPerProtocol?: number
  /** Default MAX_MEMORY_PER_CONNECTION: the yamux receive budget of one connection. */
  maxMemoryPerConnection?: number
  /** Default MAX_MEMORY_PER_PEER. */
  maxMemoryPerPeer?: number
  /** Default MAX_MEMORY. */
  maxMemory?: number
  /** Node-wide stream limits of single protocols: `{ '/ipfs/kad/1.0.0': { maxStreams: 256 } }`. */
  protocols?: Record<string, { maxStreams?: number }>
}

export type ResolvedResourceLimits = Required<ResourceLimits>
function limit (value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`resources: ${name} must be a non-negative integer; got ${value}`)
  return value
}

export function resolveLimits (o: ResourceLimits = {}): ResolvedResourceLimits {
  const protocols: ResolvedResourceLimits['protocols'] = {}
  for (const [protocol, l] of Object.entries(o.protocols ?? {})) {
    protocols[protocol] = l.maxStreams === undefined ? {} : { maxStreams: limit(l.maxStreams, 0, `protocols[${protocol}].maxStreams`) }
  }
  return {
    maxConnectionsPerPeer: limit(o.maxConnectionsPerPeer, MAX_CONNECTIONS_PER_PEER, 'maxConnectionsPerPeer'),
    maxStreams: limit(o.maxStreams, MAX_STREAMS, 'maxStreams'),
    maxStreamsPerPeer: limit(o.maxStreamsPerPeer, MAX_STREAMS_PER_PEER, 'maxStreamsPerPeer'),
    maxStreamsPerProtocol: limit(o.maxStreamsPerProtocol, MAX_STREAMS_PER_PROTOCOL, 'maxStreamsPerProtocol'),
    maxMemoryPerConnection: limit(o.maxMemoryPerConnection, MAX_MEMORY_PER_CONNECTION, 'maxMemoryPerConnection'),
    maxMemoryPerPeer: limit(o.maxMemoryPerPeer, MAX_MEMORY_PER_PEER, 'maxMemoryPerPeer'),
    maxMemory: limit(o.maxMemory, MAX_MEMORY, 'maxMemory'),
    protocols
  }
}

