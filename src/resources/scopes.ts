/**
 * The scopes below the node: one per connection (its streams by protocol, its
 * unread received bytes) and one per negotiated stream. Every charge enters the
 * enclosing peer and node counters too; see ./manager.ts.
 */
import { StreamLimitError } from '../connection/errors.js'
import { Counters, type DirectionCounts, type Direction, type ProtocolCounters, type ScopeUsage } from './counters.js'
import type { ResourceLimitError } from './errors.js'
import type { ResourceManager } from './manager.js'
import type { ResourceObserver, StreamInfo, StreamMeter } from './observer.js'

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
  // Made at the first stream: an idle connection keeps no empty tables (about 0.3 KiB; bench/e2e.js memory rows).
  #byProtocol: Map<string, DirectionCounts> | undefined
  #streams: Set<StreamScope> | undefined
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
    const mine = this.#byProtocol?.get(protocol)
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

    if (mine === undefined) (this.#byProtocol ??= new Map()).set(protocol, { inbound: direction === 'inbound' ? 1 : 0, outbound: direction === 'outbound' ? 1 : 0 })
    else mine[direction]++
    pc[direction]++
    this.#own.add('stream', direction, 1)
    this.#peer.add('stream', direction, 1)
    node.add('stream', direction, 1)
    const stream = new StreamScope(this, protocol, direction, pc)
    ;(this.#streams ??= new Set()).add(stream)
    if (m.observers.size > 0) stream.meter = meterFor(m.observers, stream)
    return stream
  }

  /** @internal Called once by StreamScope.close(). */
  streamClosed (stream: StreamScope, pc: ProtocolCounters): void {
    if (this.#streams?.delete(stream) !== true) return
    const { protocol, direction } = stream
    // Entries stay at zero: the protocols of one connection are few, and a request/response
    // protocol would otherwise make and drop its entry on every stream.
    const mine = this.#byProtocol?.get(protocol)
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
    for (const stream of [...this.#streams ?? []]) stream.close()
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
