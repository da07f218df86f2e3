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
import { StreamLimitError } from '../connection/errors.js'
import {
  MAX_CONNECTIONS_PER_PEER, MAX_MEMORY, MAX_MEMORY_PER_CONNECTION, MAX_MEMORY_PER_PEER, MAX_STREAMS, MAX_STREAMS_PER_PEER, MAX_STREAMS_PER_PROTOCOL
} from './constants.js'
import { ResourceLimitError, type ResourceLimitName, type ResourceScopeName } from './errors.js'
import type { ResourceObserver, StreamInfo, StreamMeter } from './observer.js'

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

export interface DirectionCounts { inbound: number, outbound: number }

/** The use of one scope, as `node.resources()` reports it. */
export interface ScopeUsage {
  connections: DirectionCounts
  streams: DirectionCounts
  /** Bytes received and not yet read. */
  memory: number
}

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

type Direction = 'inbound' | 'outbound'

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

/** Counters of one scope. */
class Counters {
  connIn = 0
  connOut = 0
  streamIn = 0
  streamOut = 0
  memory = 0

  get connections (): number { return this.connIn + this.connOut }
  get streams (): number { return this.streamIn + this.streamOut }

  add (kind: 'conn' | 'stream', direction: Direction, n: number): void {
    if (kind === 'conn') { if (direction === 'inbound') this.connIn += n; else this.connOut += n } else if (direction === 'inbound') this.streamIn += n; else this.streamOut += n
  }

  usage (): ScopeUsage {
    return { connections: { inbound: this.connIn, outbound: this.connOut }, streams: { inbound: this.streamIn, outbound: this.streamOut }, memory: this.memory }
  }
}

class ProtocolCounters {
  inbound = 0
  outbound = 0
  get streams (): number { return this.inbound + this.outbound }
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

/**
 * One connection's scope: its streams (by protocol, for the per-connection
 * protocol limits) and its unread received bytes, the yamux session's
 * receive budget (it implements the muxer's MemoryBudget).
 */
export class ConnectionScope {
  readonly #manager: ResourceManager
  readonly id: string
  readonly peer: string
  readonly direction: Direction
  readonly #peer: Counters
  readonly #own = new Counters()
  readonly #byProtocol = new Map<string, DirectionCounts>()
  readonly #streams = new Set<StreamScope>()
  #closed = false

  constructor (manager: ResourceManager, id: string, peer: string, direction: Direction, peerCounters: Counters) {
    this.#manager = manager
    this.id = id
    this.peer = peer
    this.direction = direction
    this.#peer = peerCounters
    this.#own.add('conn', direction, 1)
  }

  get closed (): boolean { return this.#closed }

  usage (): ScopeUsage { return this.#own.usage() }

  /**
   * Charges a negotiated stream of `protocol`. `perConnectionLimit` is the
   * handler's per-connection limit for this direction (StreamLimitError past
   * it); then the peer's, the protocol's and the node's stream limits
   * (ResourceLimitError). The stream scope is closed by whoever sees the
   * stream end; closing the connection scope closes those left.
   */
  openStream (protocol: string, direction: Direction, perConnectionLimit?: number): StreamScope {
    const m = this.#manager
    if (this.#closed) throw m.refuse('connection', 'streams', 0, `connection ${this.id} is closed`)
    // Every check before any count: a refusal leaves nothing behind.
    const mine = this.#byProtocol.get(protocol)
    const open = mine === undefined ? 0 : mine[direction]
    if (perConnectionLimit !== undefined && open >= perConnectionLimit) {
      throw m.refuse('connection', 'streams', perConnectionLimit, `too many ${direction} ${protocol} streams on connection ${this.id} (limit ${perConnectionLimit})`, StreamLimitError)
    }
    const l = m.limits
    if (this.#peer.streams >= l.maxStreamsPerPeer) throw m.refuse('peer', 'streams', l.maxStreamsPerPeer, `peer ${this.peer} has ${this.#peer.streams} streams open (limit ${l.maxStreamsPerPeer})`)
    const protocolMax = m.protocolLimit(protocol)
    const pc = m.protocolCounters(protocol)
    if (pc.streams >= protocolMax) throw m.refuse('protocol', 'streams', protocolMax, `${protocol} has ${protocolMax} streams open on this node (its limit)`)
    const node = m.nodeCounters
    if (node.streams >= l.maxStreams) throw m.refuse('node', 'streams', l.maxStreams, `${node.streams} streams open on this node (limit ${l.maxStreams})`)

    if (mine === undefined) this.#byProtocol.set(protocol, { inbound: direction === 'inbound' ? 1 : 0, outbound: direction === 'outbound' ? 1 : 0 })
    else mine[direction]++
    pc[direction]++
    this.#own.add('stream', direction, 1)
    this.#peer.add('stream', direction, 1)
    node.add('stream', direction, 1)
    const stream = new StreamScope(this, protocol, direction, pc)
    this.#streams.add(stream)
    if (m.observers.size > 0) stream.meter = meterFor(m.observers, stream)
    return stream
  }

  /** @internal Called once by StreamScope.close(). */
  streamClosed (stream: StreamScope, pc: ProtocolCounters): void {
    if (!this.#streams.delete(stream)) return
    const { protocol, direction } = stream
    // Entries stay at zero: the protocols of one connection are few, and a request/response
    // protocol would otherwise make and drop its entry on every stream.
    const mine = this.#byProtocol.get(protocol)
    if (mine !== undefined) mine[direction]--
    pc[direction]--
    this.#own.add('stream', direction, -1)
    this.#peer.add('stream', direction, -1)
    this.#manager.nodeCounters.add('stream', direction, -1)
    const observers = this.#manager.observers
    if (observers.size > 0) for (const o of observers) o.streamClosed?.(stream)
  }

  /**
   * Reserves `bytes` of received data in this connection, its peer and the
   * node; returns the refusal (ResourceLimitError, scope and limit named)
   * instead of throwing, since the caller is the muxer's read loop.
   */
  reserveMemory (bytes: number): ResourceLimitError | undefined {
    const m = this.#manager
    const l = m.limits
    const node = m.nodeCounters
    if (this.#closed) return undefined
    if (this.#own.memory + bytes > l.maxMemoryPerConnection) return m.refuse('connection', 'memory', l.maxMemoryPerConnection, `connection ${this.id} would buffer ${this.#own.memory + bytes} unread bytes (limit ${l.maxMemoryPerConnection})`)
    if (this.#peer.memory + bytes > l.maxMemoryPerPeer) return m.refuse('peer', 'memory', l.maxMemoryPerPeer, `peer ${this.peer} would buffer ${this.#peer.memory + bytes} unread bytes (limit ${l.maxMemoryPerPeer})`)
    if (node.memory + bytes > l.maxMemory) return m.refuse('node', 'memory', l.maxMemory, `the node would buffer ${node.memory + bytes} unread bytes (limit ${l.maxMemory})`)
    this.#own.memory += bytes
    this.#peer.memory += bytes
    node.memory += bytes
    return undefined
  }

  /** Returns bytes reserved by reserveMemory (read, or dropped with their stream). */
  releaseMemory (bytes: number): void {
    if (this.#closed) return
    const n = Math.min(bytes, this.#own.memory)
    this.#own.memory -= n
    this.#peer.memory -= n
    this.#manager.nodeCounters.memory -= n
  }

  /** Bytes this connection may still buffer before a limit of any enclosing scope refuses. */
  memoryHeadroom (): number {
    const l = this.#manager.limits
    return Math.min(
      l.maxMemoryPerConnection - this.#own.memory,
      l.maxMemoryPerPeer - this.#peer.memory,
      l.maxMemory - this.#manager.nodeCounters.memory)
  }

  /** Returns everything still charged: open streams, unread bytes, the connection itself. Idempotent. */
  close (): void {
    if (this.#closed) return
    for (const stream of [...this.#streams]) stream.close()
    this.releaseMemory(this.#own.memory)
    this.#closed = true
    this.#manager.connectionClosed(this, this.#peer)
  }
}

/** One negotiated stream's charge; `meter`, when an observer asked for one, counts its bytes. */
export class StreamScope implements StreamInfo {
  readonly #connection: ConnectionScope
  readonly #protocolCounters: ProtocolCounters
  readonly protocol: string
  readonly direction: Direction
  meter: StreamMeter | undefined
  #closed = false
  #held = 0

  constructor (connection: ConnectionScope, protocol: string, direction: Direction, pc: ProtocolCounters) {
    this.#connection = connection
    this.protocol = protocol
    this.direction = direction
    this.#protocolCounters = pc
  }

  get connection (): string { return this.#connection.id }

  /**
   * Charges `bytes` this stream's negotiation read ahead of its reader (data
   * sent with the proposal) to the connection's receive budget, until
   * releaseHeld() or close(); returns the refusal, if any.
   */
  hold (bytes: number): ResourceLimitError | undefined {
    const refused = this.#connection.reserveMemory(bytes)
    if (refused === undefined) this.#held += bytes
    return refused
  }

  releaseHeld (): void {
    if (this.#held === 0) return
    this.#connection.releaseMemory(this.#held)
    this.#held = 0
  }

  close (): void {
    if (this.#closed) return
    this.#closed = true
    this.releaseHeld()
    this.#connection.streamClosed(this, this.#protocolCounters)
  }
}

function meterFor (observers: ReadonlySet<ResourceObserver>, stream: StreamInfo): StreamMeter | undefined {
  let meters: StreamMeter[] | undefined
  for (const o of observers) {
    const meter = o.streamOpened?.(stream)
    if (meter !== undefined) (meters ??= []).push(meter)
  }
  if (meters === undefined) return undefined
  if (meters.length === 1) return meters[0]
  const all = meters
  return {
    received: n => { for (const m of all) m.received(n) },
    sent: n => { for (const m of all) m.sent(n) }
  }
}
