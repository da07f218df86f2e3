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
import { select } from '../multistream/select.js'
import { withDeadline } from './_deadline.js'
import { CONNECTION_CLOSE_TIMEOUT_MS, PROTOCOL_NEGOTIATION_TIMEOUT_MS } from './constants.js'
import { ConnectionNotOpenError, NegotiationTimeoutError, StreamLimitError } from './errors.js'
import { NegotiatedStream } from './negotiated-stream.js'

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
  /** Builds the muxer with this connection's callbacks. */
  createMuxer: (callbacks: Pick<StreamMuxerOptions, 'onIncomingStream' | 'onClose'>) => StreamMuxer
  /** Tears down everything below the muxer (the raw connection) at once. */
  abortTransport: (err: Error) => void
  /** Closes the raw connection gracefully once the muxer is done with it. */
  closeTransport: () => Promise<void>
  /** The relay's limits, for a relayed connection (RawConnection.limits). */
  limits?: ConnectionLimits | undefined
}

let nextConnectionId = 0

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
  readonly #negotiated = new WeakMap<Stream, Stream>()
  readonly #closeListeners: Array<(connection: Connection) => void> = []

  constructor (init: ConnectionInit) {
    this.id = `${init.direction === 'inbound' ? 'i' : 'o'}${++nextConnectionId}`
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
    this.#muxer = init.createMuxer({
      onIncomingStream: stream => { void this.#onIncomingStream(stream) },
      onClose: err => { this.#onMuxerClosed(err) }
    })
  }

  get status (): ConnectionStatus { return this.#status }

  /** True while a relay's limits apply (a relayed connection with a duration or data limit). */
  get limited (): boolean { return this.limits !== undefined }

  /** Open streams, with their negotiated protocol where known. */
  get streams (): Stream[] {
    return this.#muxer.streams.map(s => this.#negotiated.get(s) ?? s)
  }

  /** Called once when the connection has closed, for whatever reason. */
  addCloseListener (listener: (connection: Connection) => void): void {
    if (this.#status === 'closed') listener(this)
    else this.#closeListeners.push(listener)
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
      selected = await select(muxed, protocols)
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
    if (this.#overLimit(muxed, protocol, 'outbound')) {
      const err = new StreamLimitError(`too many outbound ${protocol} streams on connection ${this.id}`)
      muxed.abort(err)
      throw err
    }
    const negotiated = new NegotiatedStream(muxed, stream, protocol)
    this.#negotiated.set(muxed, negotiated)
    return negotiated
  }

  /** True when `muxed` would be one stream of `protocol` too many in `direction`. */
  #overLimit (muxed: Stream, protocol: string, direction: 'inbound' | 'outbound'): boolean {
    const limit = this.#registry.streamLimit?.(protocol, direction)
    if (limit === undefined) return false
    let open = 0
    for (const s of this.#muxer.streams) {
      if (s !== muxed && s.direction === direction && s.protocol === protocol) open++
    }
    return open >= limit
  }

  async #onIncomingStream (muxed: Stream): Promise<void> {
    let negotiated: NegotiatedStream
    // The deadline is a bare timer: aborting the stream fails handle()'s
    // pending read, so no AbortSignal (the costliest part of a short
    // inbound stream's setup) is needed to unblock it.
    const timer = setTimeout(() => {
      muxed.abort(new NegotiationTimeoutError(`inbound stream negotiation took longer than ${PROTOCOL_NEGOTIATION_TIMEOUT_MS} ms`))
    }, PROTOCOL_NEGOTIATION_TIMEOUT_MS)
    try {
      const { protocol, stream } = await handle(muxed, this.#registry.protocols())
      negotiated = new NegotiatedStream(muxed, stream, protocol)
    } catch {
      // handle() or the timer aborted the stream; the remote sees the reset.
      return
    } finally {
      clearTimeout(timer)
    }
    if (this.#overLimit(muxed, negotiated.protocol as string, 'inbound')) { muxed.reset(); return }
    this.#negotiated.set(muxed, negotiated)
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
    const listeners = this.#closeListeners.splice(0)
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
