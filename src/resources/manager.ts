/**
 * The resource manager: one place that accounts for what the remote side of
 * our connections makes this node hold, in nested scopes (after go-libp2p's
 * resource manager, narrower):
 *
 *   node ─┬─ peer ── connection ── stream
 *         └─ protocol ──────────── stream
 *
 * A connection is charged to its peer and the node; a stream to its
 * connection, peer, protocol and the node; unread received bytes (the yamux
 * receive buffers) to the connection, peer and node. Each charge is checked
 * against every scope it enters before anything is counted, so a refusal
 * (ResourceLimitError, naming the scope and the limit) leaves no trace, and
 * closing a scope returns everything still charged to it: counts go back to
 * zero when everything closes, whatever order things close in.
 *
 * What it does not duplicate: node-wide connection limits, pending upgrades,
 * the per-host rate and pruning stay with the connection manager, which must
 * decide before a handshake (when the peer is not yet known) and choose whom
 * to prune; its counts and the manager's are of the same connections. The
 * per-connection per-protocol stream limits stay where handlers declare them
 * (the registrar, `handle()` options); the manager enforces them, counted
 * per connection scope instead of by scanning the muxer's streams.
 */
import type { StreamLimitError } from '../connection/errors.js'
import { Counters, ProtocolCounters, type Direction, type DirectionCounts, type ScopeUsage } from './counters.js'
import { ResourceLimitError, type ResourceLimitName, type ResourceScopeName } from './errors.js'
import { resolveLimits, type ResolvedResourceLimits, type ResourceLimits } from './limits.js'
import type { ResourceObserver } from './observer.js'
import { ConnectionScope } from './scopes.js'

export { resolveLimits, type ResourceLimits, type ResolvedResourceLimits } from './limits.js'
export type { ScopeUsage, DirectionCounts } from './counters.js'
export { ConnectionScope, StreamScope } from './scopes.js'

export interface ResourceUsage {
  node: ScopeUsage
  /** By peer id; a peer leaves once its last connection closed. */
  peers: Record<string, ScopeUsage>
  /** By protocol, streams only; protocols with no stream open are left out. */
  protocols: Record<string, { streams: DirectionCounts }>
  /** By connection id. */
  connections: Record<string, ScopeUsage & { peer: string }>
  limits: ResolvedResourceLimits
}

export class ResourceManager {
  readonly limits: ResolvedResourceLimits
  readonly #observers: ReadonlySet<ResourceObserver>
  readonly #node = new Counters()
  readonly #peers = new Map<string, Counters>()
  readonly #protocols = new Map<string, ProtocolCounters>()
  readonly #connections = new Set<ConnectionScope>()

  constructor (limits: ResourceLimits = {}, observers: ReadonlySet<ResourceObserver> = new Set()) {
    this.limits = resolveLimits(limits)
    this.#observers = observers
  }

  /**
   * Charges a new connection to `peer` and the node; throws ResourceLimitError
   * (scope 'peer', limit 'connections') past maxConnectionsPerPeer.
   */
  openConnection (id: string, peer: string, direction: Direction): ConnectionScope {
    let counters = this.#peers.get(peer)
    const max = this.limits.maxConnectionsPerPeer
    if (counters !== undefined && counters.connections >= max) {
      throw this.refuse('peer', 'connections', max, `peer ${peer} already has ${counters.connections} connections (limit ${max})`)
    }
    if (counters === undefined) { counters = new Counters(); this.#peers.set(peer, counters) }
    counters.add('conn', direction, 1)
    this.#node.add('conn', direction, 1)
    const scope = new ConnectionScope(this, id, peer, direction, counters)
    this.#connections.add(scope)
    return scope
  }

  /** A refusal: told to the observers, returned to throw. */
  refuse (scope: ResourceScopeName, name: ResourceLimitName, value: number, message: string, StreamError?: typeof StreamLimitError): ResourceLimitError {
    const err = StreamError !== undefined ? new StreamError(message, value) : new ResourceLimitError(scope, name, value, message)
    for (const o of this.#observers) o.refused?.(err)
    return err
  }

  /** The current use of every scope, and the limits. */
  usage (): ResourceUsage {
    const peers: ResourceUsage['peers'] = {}
    for (const [id, c] of this.#peers) peers[id] = c.usage()
    const protocols: ResourceUsage['protocols'] = {}
    for (const [p, c] of this.#protocols) if (c.streams > 0) protocols[p] = { streams: { inbound: c.inbound, outbound: c.outbound } }
    const connections: ResourceUsage['connections'] = {}
    for (const c of this.#connections) connections[c.id] = { peer: c.peer, ...c.usage() }
    return { node: this.#node.usage(), peers, protocols, connections, limits: this.limits }
  }

  // ——— for the scopes below ———

  /** @internal */
  get nodeCounters (): Counters { return this.#node }
  /** @internal */
  get observers (): ReadonlySet<ResourceObserver> { return this.#observers }

  /** @internal */
  protocolCounters (protocol: string): ProtocolCounters {
    let c = this.#protocols.get(protocol)
    if (c === undefined) { c = new ProtocolCounters(); this.#protocols.set(protocol, c) }
    return c
  }

  /** @internal */
  protocolLimit (protocol: string): number {
    return this.limits.protocols[protocol]?.maxStreams ?? this.limits.maxStreamsPerProtocol
  }

  /** @internal */
  connectionClosed (scope: ConnectionScope, peer: Counters): void {
    this.#connections.delete(scope)
    peer.add('conn', scope.direction, -1)
    this.#node.add('conn', scope.direction, -1)
    if (peer.connections === 0 && peer.streams === 0 && peer.memory === 0) this.#peers.delete(scope.peer)
  }
}
