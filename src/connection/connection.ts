/**
 * A secured, multiplexed connection to one peer (connections spec,
 * ../shared/specs/libp2p/connections/README.md, "Opening new streams over a
 * connection"): each new stream runs multistream-select for its protocol,
 * outbound with `select` (lazy for a single protocol), inbound against the
 * registered handlers.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { StreamMuxer, StreamMuxerOptions } from '../muxer/types.js'
import type { PeerId } from '../peer-id/types.js'
import type { ByteStream, Stream } from '../stream/types.js'
import type { ConnectionLimits } from '../transport/types.js'
import { handle } from '../multistream/handle.js'
import { select, type SelectOptions } from '../multistream/select.js'
import { withDeadline } from './_deadline.js'
import { CONNECTION_CLOSE_TIMEOUT_MS, PROTOCOL_NEGOTIATION_TIMEOUT_MS } from './constants.js'
import { ConnectionNotOpenError, NegotiationTimeoutError } from './errors.js'
import { MeteredStream, NegotiatedStream } from './negotiated-stream.js'
import { ResourceManager, type ConnectionScope, type StreamScope } from '../resources/manager.js'

export type StreamHandler = (stream: Stream, connection: Connection) => void | Promise<void>

/** What a connection needs from the node to answer inbound streams. */
export interface ProtocolRegistry {
  /** Protocols with a handler, in the order they are offered to `ls`. */
  protocols: () => string[]
  handler: (protocol: string) => StreamHandler | undefined
  /**
   * The most streams of `protocol` in `direction` one connection may have
   * open at once; undefined for no limit. An inbound stream past the limit
   * is reset; `newStream` past it fails with StreamLimitError.
   */
  streamLimit?: (protocol: string, direction: 'inbound' | 'outbound') => number | undefined
}

export interface NewStreamOptions {
  signal?: AbortSignal
  /** Default PROTOCOL_NEGOTIATION_TIMEOUT_MS. */
  negotiationTimeoutMs?: number
}

export type ConnectionStatus = 'open' | 'closing' | 'closed'

export interface ConnectionInit {
  /** Default: the next id of newConnectionId(direction). */
  id?: string
  remotePeer: PeerId
  remoteAddr: Multiaddr
  direction: 'inbound' | 'outbound'
  /** The security protocol, e.g. '/noise'. */
  encryption: string
  /** The muxer protocol, e.g. '/yamux/1.0.0'. */
  multiplexer: string
  /** How the muxer was agreed: inside the security handshake, by multistream-select after it, or given by the transport (WebRTC). */
  muxerNegotiation: 'handshake' | 'multistream' | 'transport'
  registry: ProtocolRegistry
  /** The remote keeps a FIN sent with a lazy proposal (SecuredConnection.earlyFin); default false. */
  earlyFin?: boolean
  /** Builds the muxer with this connection's callbacks and receive budget. */
  createMuxer: (callbacks: Pick<StreamMuxerOptions, 'onIncomingStream' | 'onClose' | 'onStreamEnd' | 'memory'>) => StreamMuxer
  /**
   * The connection's resource scope (src/resources), opened by whoever admitted
   * it; default: a scope of its own manager with the default limits.
   */
  scope?: ConnectionScope
  /** Tears down everything below the muxer (the raw connection) at once. */
  abortTransport: (err: Error) => void
  /** Closes the raw connection gracefully once the muxer is done with it. */
  closeTransport: () => Promise<void>
  /** The relay's limits, for a relayed connection (RawConnection.limits). */
  limits?: ConnectionLimits | undefined
}

/** Lazy selections that half-close without waiting for the answer: one object for every such connection. */
const EARLY_FIN: SelectOptions = { earlyFin: true }

let nextConnectionId = 0

/** A connection id unique in this process: 'i' or 'o' for the direction, then a counter. */
export function newConnectionId (direction: 'inbound' | 'outbound'): string {
  return `${direction === 'inbound' ? 'i' : 'o'}${++nextConnectionId}`
}

export class Connection {
  readonly id: string
  readonly remotePeer: PeerId
  readonly remoteAddr: Multiaddr
  readonly direction: 'inbound' | 'outbound'
  readonly encryption: string
  readonly multiplexer: string
  readonly muxerNegotiation: 'handshake' | 'multistream' | 'transport'
  readonly opened = Date.now()
  /** The relay's limits on a relayed connection; undefined for a direct one. */
  readonly limits: ConnectionLimits | undefined
  #status: ConnectionStatus = 'open'
  readonly #registry: ProtocolRegistry
  readonly #muxer: StreamMuxer
  readonly #abortTransport: (err: Error) => void
  readonly #closeTransport: () => Promise<void>
  readonly #selectOptions: SelectOptions | undefined
  // The three tables below are made at the first stream that needs them: an idle
  // connection keeps no empty tables (about 0.4 KiB; bench/e2e.js memory rows).
  #negotiated: WeakMap<Stream, Stream> | undefined
  readonly #scope: ConnectionScope
  /** The charge of each admitted stream, returned when the muxer forgets the stream. */
  #streamScopes: Map<Stream, StreamScope> | undefined
  /** Streams the muxer forgot before their negotiation finished: never charged. */
  #ended: WeakSet<Stream> | undefined
  #closeListeners: Array<(connection: Connection) => void> = []

  constructor (init: ConnectionInit) {
    this.id = init.id ?? newConnectionId(init.direction)
    this.remotePeer = init.remotePeer
    this.remoteAddr = init.remoteAddr
    this.direction = init.direction
    this.encryption = init.encryption
    this.multiplexer = init.multiplexer
    this.muxerNegotiation = init.muxerNegotiation
    this.limits = init.limits
    this.#registry = init.registry
    this.#abortTransport = init.abortTransport
    this.#closeTransport = init.closeTransport
    if (init.earlyFin === true) this.#selectOptions = EARLY_FIN
    this.#scope = init.scope ?? new ResourceManager().openConnection(this.id, init.remotePeer.toString(), init.direction)
    const scope = this.#scope
    this.#muxer = init.createMuxer({
      onIncomingStream: stream => { void this.#onIncomingStream(stream) },
      onClose: err => { this.#onMuxerClosed(err) },
      onStreamEnd: stream => { this.#onStreamEnd(stream) },
      memory: scope
    })
  }

  get status (): ConnectionStatus { return this.#status }

  /** True while a relay's limits apply (a relayed connection with a duration or data limit). */
  get limited (): boolean { return this.limits !== undefined }

  /** Open streams, with their negotiated protocol where known. */
  get streams (): Stream[] {
    return this.#muxer.streams.map(s => this.#negotiated?.get(s) ?? s)
  }

  /** Called once when the connection has closed, for whatever reason. */
  addCloseListener (listener: (connection: Connection) => void): void {
    if (this.#status === 'closed') listener(this)
    // A copy of exact size, not push: push grows the array to 17 slots for the one or two listeners a connection has.
    else this.#closeListeners = [...this.#closeListeners, listener]
  }

  /**
   * Opens a stream and selects a protocol on it. With one protocol the
   * selection is lazy: this resolves at once, and a refusal surfaces on the
   * stream's first read as UnsupportedProtocolError.
   */
  async newStream (protocols: string | readonly string[], options: NewStreamOptions = {}): Promise<Stream> {
    if (this.#status !== 'open') throw new ConnectionNotOpenError(`connection ${this.id} is ${this.#status}`)
    let muxed: Stream
    let selected: { protocol: string, stream: ByteStream }
    if ((typeof protocols === 'string' || protocols.length === 1) && options.negotiationTimeoutMs === undefined) {
      // One protocol: select() is lazy and returns at once (the answer is read
      // with the first read), so a deadline timer and signal per stream would
      // guard nothing; they are the largest fixed cost of a short stream. The
      // muxer bounds its own wait for a free slot (yamux ACK backlog). A caller
      // who names a negotiation timeout gets the deadline path below.
      const signal = options.signal
      if (signal?.aborted === true) throw signal.reason instanceof Error ? signal.reason : new Error('aborted')
      muxed = await this.#muxer.newStream(signal !== undefined ? { signal } : {})
      selected = await select(muxed, protocols, this.#selectOptions)
    } else {
      const timeoutMs = options.negotiationTimeoutMs ?? PROTOCOL_NEGOTIATION_TIMEOUT_MS
      // Opening is inside the deadline too: the muxer may hold new streams back (yamux ACK backlog).
      let opened: Stream | undefined
      selected = await withDeadline(timeoutMs, options.signal, err => { opened?.abort(err) },
        () => new NegotiationTimeoutError(`protocol negotiation took longer than ${timeoutMs} ms`),
        async signal => {
          const s = opened = await this.#muxer.newStream({ signal })
          if (signal.aborted) { s.abort(signal.reason as Error); throw signal.reason }
          return await select(s, protocols, { signal })
        })
      muxed = opened as Stream
    }
    const { protocol, stream } = selected
    let scope: StreamScope
    try {
      scope = this.#admit(muxed, protocol, 'outbound')
    } catch (err) {
      muxed.abort(err as Error)
      throw err
    }
    const negotiated = scope.meter === undefined ? new NegotiatedStream(muxed, stream, protocol) : new MeteredStream(muxed, stream, protocol, scope.meter)
    ;(this.#negotiated ??= new WeakMap()).set(muxed, negotiated)
    return negotiated
  }

  /**
   * Charges a negotiated stream to the resource scopes (throws
   * StreamLimitError / ResourceLimitError past a limit); the charge is
   * returned when the muxer forgets the stream, or with the connection.
   */
  #admit (muxed: Stream, protocol: string, direction: 'inbound' | 'outbound'): StreamScope {
    const scope = this.#scope.openStream(protocol, direction, this.#registry.streamLimit?.(protocol, direction))
    if (this.#ended?.has(muxed) === true) scope.close()
    else (this.#streamScopes ??= new Map()).set(muxed, scope)
    return scope
  }

  #onStreamEnd (muxed: Stream): void {
    const scope = this.#streamScopes?.get(muxed)
    if (scope === undefined) { (this.#ended ??= new WeakSet()).add(muxed); return }
    this.#streamScopes?.delete(muxed)
    scope.close()
  }

  async #onIncomingStream (muxed: Stream): Promise<void> {
    let negotiated: Stream
    // The deadline is a bare timer: aborting the stream fails handle()'s
    // pending read, so no AbortSignal (the costliest part of a short
    // inbound stream's setup) is needed to unblock it.
    const timer = setTimeout(() => {
      muxed.abort(new NegotiationTimeoutError(`inbound stream negotiation took longer than ${PROTOCOL_NEGOTIATION_TIMEOUT_MS} ms`))
    }, PROTOCOL_NEGOTIATION_TIMEOUT_MS)
    try {
      const selected = await handle(muxed, this.#registry.protocols())
      const { protocol, stream } = selected
      let scope: StreamScope
      try {
        scope = this.#admit(muxed, protocol, 'inbound')
        // Data that came with the proposal was read out of the muxer's buffer by the negotiation: it stays
        // charged to the receive budget until the handler takes it.
        const held = selected.buffered ?? 0
        if (held > 0) {
          const refused = scope.hold(held)
          if (refused !== undefined) { this.#onStreamEnd(muxed); throw refused }
          selected.onBufferedTaken = () => { scope.releaseHeld() }
        }
      } catch {
        // Past a limit: the remote sees a reset (the ResourceLimitError went to the observers).
        muxed.protocol = protocol
        muxed.reset()
        return
      }
      negotiated = scope.meter === undefined ? new NegotiatedStream(muxed, stream, protocol) : new MeteredStream(muxed, stream, protocol, scope.meter)
    } catch {
      // handle() or the timer aborted the stream; the remote sees the reset.
      return
    } finally {
      clearTimeout(timer)
    }
    ;(this.#negotiated ??= new WeakMap()).set(muxed, negotiated)
    const handler = this.#registry.handler(negotiated.protocol as string)
    if (handler === undefined) { negotiated.reset(); return } // unhandled between ls and now
    try {
      await handler(negotiated, this)
    } catch (err) {
      negotiated.abort(err instanceof Error ? err : new Error(String(err)))
    }
  }

  #onMuxerClosed (err?: Error): void {
    if (this.#status === 'closed') return
    this.#status = 'closed'
    if (err !== undefined) this.#abortTransport(err)
    this.#streamScopes?.clear()
    this.#scope.close()
    const listeners = this.#closeListeners
    this.#closeListeners = []
    for (const listener of listeners) listener(this)
  }

  /** Graceful: the muxer says goodbye, open streams get CONNECTION_CLOSE_TIMEOUT_MS to finish, then the socket closes. */
  async close (): Promise<void> {
    if (this.#status !== 'open') return
    this.#status = 'closing'
    try {
      await withDeadline(CONNECTION_CLOSE_TIMEOUT_MS, undefined, err => { this.#muxer.abort(err) },
        () => new Error(`connection close took longer than ${CONNECTION_CLOSE_TIMEOUT_MS} ms`),
        async () => { await this.#muxer.close() })
      // The muxer closes what it sits on; make sure the socket follows.
      await this.#closeTransport()
    } catch (err) {
      this.#abortTransport(err as Error)
    }
    this.#onMuxerClosed()
  }

  /** Immediate teardown of every stream and the socket. */
  abort (err: Error): void {
    if (this.#status === 'closed') return
    this.#muxer.abort(err)
    this.#abortTransport(err)
    this.#onMuxerClosed()
  }
}
