/**
 * A yamux session over one secured connection (libp2p yamux spec,
 * /work/shared/specs/libp2p/yamux/README.md): many streams, each with its own
 * flow-control windows, framed by 12-byte headers.
 *
 * - Stream ids: the dialer ("client") opens odd ids, the listener even ones;
 *   0 is the session. A SYN must use the remote's parity and an id above every
 *   id it used before (no reuse).
 * - Opening: SYN on a Window Update; the remote ACKs (or RSTs). Data may flow
 *   before the ACK, but at most MAX_ACK_BACKLOG of our streams may be
 *   unacknowledged ("ACK backlog & backpressure"). We ACK inbound streams at once.
 * - Early streams: until the remote shows it is listening (it opens a stream,
 *   or sends data or window on one of ours), at most MAX_EARLY_STREAMS of ours
 *   are opened; the rest wait (see the constant for js-libp2p's reason).
 * - Closing: FIN half-closes, RST resets; Go Away ends the session with a
 *   code: 0 normal, 1 protocol error, 2 internal error.
 * - Ping (SYN → ACK with the same opaque value) keeps the connection alive and
 *   measures the RTT that window auto-tuning needs.
 *
 * Anything hostile or malformed — a bad header, stream-id reuse, wrong parity,
 * data beyond the window, a flood of frames that move no data — is a
 * YamuxProtocolError: we send Go Away (protocol error) and close.
 *
 * Outbound frames from all streams go through one queue (frame-writer.ts)
 * and are written in batches, in order; a stream's write() resolves once its
 * frames are queued and the queue is below its high-water mark.
 */
import type { ByteStream, Stream } from '../../stream/types.js'
import type { StreamMuxer, StreamMuxerOptions } from '../types.js'
import { type ResolvedYamuxOptions, ACK_BACKLOG_WAIT_TIMEOUT_MS, EARLY_STREAMS_HOLD_TIMEOUT_MS, GO_AWAY_FLUSH_TIMEOUT_MS, MAX_ACK_BACKLOG, MAX_PENDING_PING_REPLIES, READ_PAUSE_TIMEOUT_MS } from './config.js'
import { FrameDecoder, type FrameHandler } from './decoder.js'
import { AckBacklogTimeoutError, GoAwayError, MuxerClosedError, StreamClosedError, TooManyStreamsError, YamuxProtocolError } from './errors.js'
import { Flag, FrameType, GoAwayCode, HEADER_LENGTH, YAMUX_PROTOCOL } from './frame.js'
import { FrameWriter } from './frame-writer.js'
import { type StreamSession, YamuxStream } from './stream.js'

/** Weight of a new RTT sample in the smoothed RTT (as TCP's SRTT, RFC 6298). */
const RTT_SAMPLE_WEIGHT = 0.125
/** Largest stream id. */
const MAX_STREAM_ID = 0xffffffff

interface Waiter<T = void> { resolve: (value: T) => void, reject: (err: Error) => void }
interface PendingPing extends Waiter<number> { sentAt: number }

export class YamuxMuxer implements StreamMuxer {
  readonly protocol = YAMUX_PROTOCOL
  readonly #connection: ByteStream
  readonly #options: StreamMuxerOptions
  readonly #config: ResolvedYamuxOptions
  readonly #client: boolean
  readonly #streams = new Map<number, YamuxStream>()
  readonly #decoder: FrameDecoder
  readonly #session: StreamSession
  #nextId: number
  #lastRemoteId = 0

  readonly #writer: FrameWriter
  /** Queue positions of our Ping replies not yet written. */
  #unsentPongs: number[] = []
  /** Queue positions of the control frames we owe the remote (ACKs, refusing RSTs, pongs), oldest first from #controlHead. */
  #controlMarks: number[] = []
  #controlHead = 0

  // Session state.
  #state: 'open' | 'closing' | 'closed' = 'open'
  #remoteGoAway: number | undefined
  #closed: Promise<void>
  #resolveClosed!: () => void
  #emptyWaiters: Array<() => void> = []
  #ackBacklog = 0
  #ackWaiters: Array<Waiter> = []
  /** Early-stream hold: true once the remote has shown it listens (or the hold timed out). */
  #remoteListening: boolean
  #earlyOpened = 0
  #listeningWaiters: Array<Waiter> = []
  #earlyHoldTimer: ReturnType<typeof setTimeout> | undefined

  // Ping and keep-alive.
  #rtt = 0
  #pingCounter = 0
  /** Our pings awaiting their ACK; made at the first (an empty Map costs ~200 bytes a connection). */
  #pings: Map<number, PendingPing> | undefined
  #keepAliveTimer: ReturnType<typeof setInterval> | undefined
  #keepAlivePending = false

  // Flood accounting.
  #idleFrames = 0
  #idleSince = 0

  // The frame being received.
  #frameFlags = 0
  #frameStream: YamuxStream | undefined

  /**
   * What the streams reach of their session: one object per session whose methods
   * live on a prototype. It was an object literal of nine closures, which with
   * their context came to about 1.4 KiB per connection (bench/e2e.js memory rows).
   * A class expression in this class body may use the muxer's private members.
   */
  static readonly #Session = class implements StreamSession {
    readonly #muxer: YamuxMuxer
    readonly #memory: StreamMuxerOptions['memory']
    readonly maxStreamWindow: number
    readonly streamCloseTimeout: number
    readonly streamWriteTimeout: number

    constructor (muxer: YamuxMuxer, config: ResolvedYamuxOptions, memory: StreamMuxerOptions['memory']) {
      this.#muxer = muxer
      // The session receive budget (src/resources): without one, each stream is bounded by its window alone.
      this.#memory = memory
      this.maxStreamWindow = config.maxStreamWindow
      this.streamCloseTimeout = config.streamCloseTimeout
      this.streamWriteTimeout = config.streamWriteTimeout
    }

    enqueueFrame (type: number, flags: number, id: number, length: number, payload?: Uint8Array): void { this.#muxer.#enqueueFrame(type, flags, id, length, payload) }
    async writable (): Promise<void> { await this.#muxer.#writer.writable() }
    canWrite (): boolean { return this.#muxer.#writer.canWrite }
    async flushed (): Promise<void> { await this.#muxer.#writer.flushed() }
    removeStream (stream: YamuxStream): void { this.#muxer.#removeStream(stream) }
    get rtt (): number { return this.#muxer.#rtt }
    reserveMemory (bytes: number): Error | undefined { return this.#memory === undefined ? undefined : this.#memory.reserveMemory(bytes) }
    releaseMemory (bytes: number): void { this.#memory?.releaseMemory(bytes) }
    memoryHeadroom (): number { return this.#memory === undefined ? Infinity : this.#memory.memoryHeadroom() }
  }

  constructor (connection: ByteStream, options: StreamMuxerOptions, config: ResolvedYamuxOptions) {
    this.#connection = connection
    this.#options = options
    this.#config = config
    this.#client = options.direction === 'outbound'
    this.#nextId = this.#client ? 1 : 2
    const handler: FrameHandler = {
      onHeader: (type, flags, id, length) => { this.#onHeader(type, flags, id, length) },
      onPayload: bytes => { this.#onPayload(bytes) },
      onFrameEnd: () => { this.#onFrameEnd() }
    }
    this.#decoder = new FrameDecoder(handler, config.maxInboundFramePayload)
    this.#writer = new FrameWriter(connection, err => { void this.#finish(err, 'abort') })
    this.#closed = new Promise(resolve => { this.#resolveClosed = resolve })
    this.#session = new YamuxMuxer.#Session(this, config, options.memory)
    this.#remoteListening = config.maxEarlyStreams === 0
    if (!this.#remoteListening) {
      this.#earlyHoldTimer = setTimeout(() => { this.#markRemoteListening() }, EARLY_STREAMS_HOLD_TIMEOUT_MS)
      ;(this.#earlyHoldTimer as { unref?: () => void }).unref?.()
    }
    void this.#readLoop()
    if (config.keepAliveInterval > 0) {
      this.#keepAliveTimer = setInterval(() => { this.#keepAlive() }, config.keepAliveInterval)
      ;(this.#keepAliveTimer as { unref?: () => void }).unref?.()
    }
    // A first RTT sample, for window auto-tuning.
    this.ping().catch(() => {})
  }

  get streams (): readonly Stream[] { return [...this.#streams.values()] }

  /** Smoothed round-trip time in ms (0 until the first Ping reply). */
  get rtt (): number { return this.#rtt }

  /** True once the session is closed (gracefully or not). */
  get closed (): boolean { return this.#state === 'closed' }

  async newStream (options: { signal?: AbortSignal } = {}): Promise<Stream> {
    const signal = options.signal
    signal?.throwIfAborted()
    this.#checkCanOpen()
    while (this.#ackBacklog >= MAX_ACK_BACKLOG) {
      await this.#waitForAck(signal)
      this.#checkCanOpen()
    }
    while (!this.#remoteListening && this.#earlyOpened >= this.#config.maxEarlyStreams) {
      await this.#waitForListening(signal)
      this.#checkCanOpen()
    }
    if (this.#streams.size >= this.#config.maxStreams) throw new TooManyStreamsError(`at most ${this.#config.maxStreams} streams per connection`)
    if (!this.#remoteListening) this.#earlyOpened++
    const id = this.#nextId
    if (id > MAX_STREAM_ID) throw new StreamClosedError('stream ids exhausted on this connection')
    this.#nextId += 2
    const stream = new YamuxStream(this.#session, id, 'outbound')
    this.#streams.set(id, stream)
    this.#ackBacklog++
    this.#enqueueFrame(FrameType.WindowUpdate, Flag.SYN, id, 0)
    return stream
  }

  /**
   * Waits for an ACK to free a slot; an abort removes the waiter so it holds
   * nothing. Without a caller's signal the wait is still bounded
   * (ACK_BACKLOG_WAIT_TIMEOUT_MS); the timer exists only while someone waits.
   */
  async #waitForAck (signal: AbortSignal | undefined): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined
      const leave = (): void => {
        const i = this.#ackWaiters.indexOf(waiter)
        if (i >= 0) this.#ackWaiters.splice(i, 1)
      }
      const settle = (): void => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort) }
      const onAbort = (): void => { settle(); leave(); reject(signal?.reason) }
      const waiter = {
        resolve: () => { settle(); resolve() },
        reject: (err: Error) => { settle(); reject(err) }
      }
      if (signal !== undefined) signal.addEventListener('abort', onAbort, { once: true })
      else {
        timer = setTimeout(() => {
          leave()
          reject(new AckBacklogTimeoutError(`the remote acknowledged none of ${MAX_ACK_BACKLOG} opening streams in ${ACK_BACKLOG_WAIT_TIMEOUT_MS} ms`))
        }, ACK_BACKLOG_WAIT_TIMEOUT_MS)
      }
      this.#ackWaiters.push(waiter)
    })
  }

  /** Waits for the early-stream hold to end; bounded by its timer, and by `signal`. */
  async #waitForListening (signal: AbortSignal | undefined): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.#listeningWaiters.indexOf(waiter)
        if (i >= 0) this.#listeningWaiters.splice(i, 1)
        reject(signal?.reason)
      }
      const waiter = {
        resolve: () => { signal?.removeEventListener('abort', onAbort); resolve() },
        reject: (err: Error) => { signal?.removeEventListener('abort', onAbort); reject(err) }
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#listeningWaiters.push(waiter)
      // Unreferenced while nobody waits; a caller waiting on the hold keeps the process alive.
      ;(this.#earlyHoldTimer as { ref?: () => void } | undefined)?.ref?.()
    })
  }

  /** The remote has shown that its side takes streams: the early-stream hold ends. */
  #markRemoteListening (): void {
    if (this.#remoteListening) return
    this.#remoteListening = true
    clearTimeout(this.#earlyHoldTimer)
    // Not kept: a spent timer and its closure would stay with the connection for its life.
    this.#earlyHoldTimer = undefined
    const waiters = this.#listeningWaiters
    this.#listeningWaiters = []
    for (const w of waiters) w.resolve()
  }

  #checkCanOpen (): void {
    if (this.#state !== 'open') throw new StreamClosedError('the muxer is closed')
    if (this.#remoteGoAway !== undefined) throw new GoAwayError('the remote sent Go Away', this.#remoteGoAway)
  }

  /** Sends a Ping and resolves with the round-trip time in ms. */
  async ping (): Promise<number> {
    if (this.#state === 'closed') throw new MuxerClosedError('the muxer is closed')
    const opaque = this.#pingCounter = (this.#pingCounter + 1) >>> 0
    this.#enqueueFrame(FrameType.Ping, Flag.SYN, 0, opaque)
    return await new Promise<number>((resolve, reject) => {
      (this.#pings ??= new Map()).set(opaque, { sentAt: performance.now(), resolve, reject })
    })
  }

  async close (options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.#state !== 'open') { await this.#closed; return }
    this.#state = 'closing'
    this.#enqueueFrame(FrameType.GoAway, 0, 0, GoAwayCode.Normal)
    this.#rejectAckWaiters(new StreamClosedError('the muxer is closing'))
    for (const w of this.#listeningWaiters.splice(0)) w.reject(new StreamClosedError('the muxer is closing'))
    if (this.#streams.size > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined
      let onAbort: (() => void) | undefined
      await new Promise<void>(resolve => {
        this.#emptyWaiters.push(resolve)
        timer = setTimeout(resolve, this.#config.closeTimeout)
        onAbort = resolve
        options.signal?.addEventListener('abort', onAbort)
        if (options.signal?.aborted === true) resolve()
      })
      clearTimeout(timer)
      if (onAbort !== undefined) options.signal?.removeEventListener('abort', onAbort)
    }
    await this.#finish(undefined, 'graceful')
  }

  abort (err: Error): void {
    void this.#finish(err, 'abort')
  }

  // ——— inbound frames ———

  #onHeader (type: number, flags: number, id: number, length: number): void {
    this.#frameFlags = flags
    this.#frameStream = undefined
    if (type === FrameType.Data || type === FrameType.WindowUpdate) this.#onStreamFrame(type, flags, id, length)
    else if (type === FrameType.Ping) this.#onPing(flags, length)
    else this.#onGoAway(length)
  }

  #onPayload (bytes: Uint8Array): void {
    const stream = this.#frameStream
    if (stream !== undefined && !stream.pushData(bytes)) throw new YamuxProtocolError(`data on stream ${stream.streamId} after its FIN`)
  }

  #onFrameEnd (): void {
    const stream = this.#frameStream
    if (stream === undefined) return
    this.#frameStream = undefined
    if ((this.#frameFlags & Flag.RST) !== 0) {
      // Open-then-reset without data cost us an ACK and moved nothing: churn counts as a flood.
      if (stream.direction === 'inbound' && stream.bufferedBytes === 0 && stream.receiveRemaining === stream.receiveWindow) this.#idleFrame()
      stream.remoteReset()
    } else if ((this.#frameFlags & Flag.FIN) !== 0) stream.remoteClose()
  }

  #onStreamFrame (type: number, flags: number, id: number, length: number): void {
    if (id === 0) throw new YamuxProtocolError('stream frame on the session id 0')
    let stream = this.#streams.get(id)
    if ((flags & Flag.SYN) !== 0) {
      if (!this.#isRemoteId(id)) throw new YamuxProtocolError(`SYN with our own id parity (${id})`)
      if (id <= this.#lastRemoteId) throw new YamuxProtocolError(`SYN reuses stream id ${id}`)
      this.#lastRemoteId = id
      stream = this.#acceptStream(id)
      if (stream === undefined) return
      // Opening a stream is something only the remote's connection, already listening, does.
      this.#markRemoteListening()
    } else if (stream === undefined) {
      if (this.#isRemoteId(id) ? id > this.#lastRemoteId : id >= this.#nextId) {
        throw new YamuxProtocolError(`frame for stream ${id}, which was never opened`)
      }
      // A frame in flight when the stream closed: ignored, but counted when it carries nothing.
      if (length === 0 || type === FrameType.WindowUpdate) this.#idleFrame()
      return
    }
    if ((flags & Flag.ACK) !== 0 && stream.acknowledge()) this.#releaseAckSlot()
    // Data or window on one of our streams: the remote's application has the stream (an ACK alone
    // proves nothing: js-libp2p ACKs the streams it holds back too).
    if (length > 0 && !this.#remoteListening && stream.direction === 'outbound') this.#markRemoteListening()
    if (type === FrameType.WindowUpdate) {
      if (!stream.addSendWindow(length)) throw new YamuxProtocolError(`window update overflows the send window of stream ${id}`)
      if (length === 0 && flags === 0) this.#idleFrame()
    } else {
      if (!stream.beginData(length)) throw new YamuxProtocolError(`stream ${id}: ${length} bytes exceed the receive window (${stream.receiveRemaining} left)`)
      if (length === 0 && flags === 0) this.#idleFrame()
    }
    this.#frameStream = stream
  }

  #isRemoteId (id: number): boolean {
    return ((id & 1) === 1) !== this.#client
  }

  #acceptStream (id: number): YamuxStream | undefined {
    if (this.#state !== 'open' || this.#streams.size >= this.#config.maxStreams) {
      // Refused streams move no data either: a SYN storm past the limit is a flood.
      this.#idleFrame()
      this.#enqueueControl(FrameType.WindowUpdate, Flag.RST, id, 0)
      return undefined
    }
    const stream = new YamuxStream(this.#session, id, 'inbound')
    this.#streams.set(id, stream)
    this.#enqueueControl(FrameType.WindowUpdate, Flag.ACK, id, 0)
    try {
      this.#options.onIncomingStream(stream)
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    }
    return stream
  }

  #onPing (flags: number, opaque: number): void {
    if ((flags & Flag.SYN) !== 0) {
      this.#idleFrame()
      // A remote that pings but does not read gets no more replies queued than this.
      const written = this.#writer.writtenFrames
      if (this.#unsentPongs.length > 0 && (this.#unsentPongs[0] as number) < written) this.#unsentPongs = this.#unsentPongs.filter(p => p >= written)
      if (this.#unsentPongs.length < MAX_PENDING_PING_REPLIES) {
        // A copy of exact size, not push: push grows an empty array to 17 slots, kept while idle.
        this.#unsentPongs = [...this.#unsentPongs, this.#writer.enqueuedFrames]
        this.#enqueueControl(FrameType.Ping, Flag.ACK, 0, opaque)
      }
      return
    }
    const ping = this.#pings?.get(opaque)
    if ((flags & Flag.ACK) === 0 || ping === undefined) { this.#idleFrame(); return }
    this.#pings?.delete(opaque)
    const sample = Math.max(performance.now() - ping.sentAt, 0.001)
    this.#rtt = this.#rtt === 0 ? sample : this.#rtt + RTT_SAMPLE_WEIGHT * (sample - this.#rtt)
    ping.resolve(sample)
  }

  #onGoAway (code: number): void {
    if (this.#remoteGoAway !== undefined) { this.#idleFrame(); return }
    this.#remoteGoAway = code
    // Tried: making these errors only when someone waits (every hang-up gets here, and an Error
    // captures a stack): no change within noise in bench/e2e.js "dial to ready" (2026-12-03),
    // for +20 B in the browser bundle. Not kept.
    this.#rejectAckWaiters(new GoAwayError('the remote sent Go Away', code))
    for (const w of this.#listeningWaiters.splice(0)) w.reject(new GoAwayError('the remote sent Go Away', code))
  }

  /** Counts a frame that moves no data; too many per second is a flood. */
  #idleFrame (): void {
    const now = performance.now()
    if (now - this.#idleSince >= 1000) { this.#idleSince = now; this.#idleFrames = 0 }
    if (++this.#idleFrames > this.#config.maxIdleFramesPerSecond) {
      throw new YamuxProtocolError(`frame flood: more than ${this.#config.maxIdleFramesPerSecond} frames without data in one second`)
    }
  }

  async #readLoop (): Promise<void> {
    try {
      for await (const chunk of this.#connection) {
        if (this.#state === 'closed') return
        try {
          this.#decoder.push(chunk)
          const owed = this.#unsentControlBytes()
          if (owed > this.#config.maxUnsentControlBytes) {
            throw new YamuxProtocolError(`${owed} bytes of control frames unsent: the remote sends but does not read`)
          }
        } catch (err) {
          const protocolError = err instanceof YamuxProtocolError
          const error = err instanceof Error ? err : new Error(String(err))
          this.#enqueueFrame(FrameType.GoAway, 0, 0, protocolError ? GoAwayCode.ProtocolError : GoAwayCode.InternalError)
          await this.#finish(error, 'graceful')
          return
        }
        // Answers are piling up behind a full queue: read no more until it drains (bounded).
        if (!this.#writer.canWrite && this.#unsentControlBytes() > 0) {
          await withTimeout(this.#writer.writable().then(() => true, () => false), READ_PAUSE_TIMEOUT_MS, false)
        }
      }
    } catch (err) {
      await this.#finish(err instanceof Error ? err : new Error(String(err)), 'abort')
      return
    }
    if (this.#state === 'closed') return
    const err = this.#decoder.idle ? undefined : new MuxerClosedError('the connection ended in the middle of a frame')
    await this.#finish(err, 'graceful')
  }

  #keepAlive (): void {
    if (this.#keepAlivePending) {
      this.abort(new MuxerClosedError(`keep-alive ping unanswered for ${this.#config.keepAliveInterval} ms`))
      return
    }
    this.#keepAlivePending = true
    this.ping().then(() => { this.#keepAlivePending = false }, () => {})
  }

  // ——— stream bookkeeping ———

  #removeStream (stream: YamuxStream): void {
    if (this.#streams.get(stream.streamId) !== stream) return
    this.#streams.delete(stream.streamId)
    if (stream.direction === 'outbound' && !stream.acknowledged) this.#releaseAckSlot()
    try {
      this.#options.onStreamEnd?.(stream)
    } catch {
      // The owner's bookkeeping failing must not break the session's.
    }
    if (this.#streams.size === 0) {
      const waiters = this.#emptyWaiters
      this.#emptyWaiters = []
      for (const w of waiters) w()
    }
  }

  #releaseAckSlot (): void {
    this.#ackBacklog--
    this.#ackWaiters.shift()?.resolve()
  }

  #rejectAckWaiters (err: Error): void {
    const waiters = this.#ackWaiters
    this.#ackWaiters = []
    for (const w of waiters) w.reject(err)
  }

  // ——— outbound queue ———

  #enqueueFrame (type: number, flags: number, id: number, length: number, payload?: Uint8Array): void {
    if (this.#state === 'closed') return
    this.#writer.enqueue(type, flags, id, length, payload)
  }

  /** A frame owed in answer to the remote's: counted against maxUnsentControlBytes until the connection takes it. */
  #enqueueControl (type: number, flags: number, id: number, length: number): void {
    if (this.#state === 'closed') return
    this.#controlMarks.push(this.#writer.enqueuedFrames)
    this.#writer.enqueue(type, flags, id, length)
  }

  /** Bytes of owed control frames the connection has not taken yet. */
  #unsentControlBytes (): number {
    const marks = this.#controlMarks
    const written = this.#writer.writtenFrames
    while (this.#controlHead < marks.length && (marks[this.#controlHead] as number) < written) this.#controlHead++
    // All taken: a fresh empty array, not the grown one, is what an idle connection keeps.
    if (this.#controlHead === marks.length && marks.length > 0) {
      this.#controlMarks = []
      this.#controlHead = 0
      return 0
    }
    if (this.#controlHead > 1024 && this.#controlHead * 2 > marks.length) {
      this.#controlMarks = marks.slice(this.#controlHead)
      this.#controlHead = 0
    }
    return (this.#controlMarks.length - this.#controlHead) * HEADER_LENGTH
  }

  // ——— teardown ———

  /**
   * Ends the session once: streams still open fail with `err` (or
   * MuxerClosedError), then the connection is closed — after flushing queued
   * frames (a Go Away among them) when graceful, at once when aborting.
   */
  async #finish (err: Error | undefined, how: 'graceful' | 'abort'): Promise<void> {
    if (this.#state === 'closed') { await this.#closed; return }
    const wasClosing = this.#state === 'closing'
    this.#state = 'closed'
    clearInterval(this.#keepAliveTimer)
    const streamError = err ?? new MuxerClosedError(wasClosing ? 'the muxer closed' : 'the connection closed')
    for (const stream of [...this.#streams.values()]) stream.destroy(streamError)
    this.#streams.clear()
    this.#rejectAckWaiters(streamError)
    clearTimeout(this.#earlyHoldTimer)
    for (const w of this.#listeningWaiters.splice(0)) w.reject(streamError)
    for (const ping of this.#pings?.values() ?? []) ping.reject(streamError)
    this.#unsentPongs = []
    this.#controlMarks = []
    this.#controlHead = 0
    this.#pings?.clear()
    for (const w of this.#emptyWaiters) w()
    this.#emptyWaiters = []
    if (how === 'graceful') {
      const flushedInTime = await withTimeout(this.#writer.flushed().then(() => true, () => false), GO_AWAY_FLUSH_TIMEOUT_MS, false)
      const closing = Promise.resolve().then(async () => { await this.#connection.close() }).then(() => true, () => false)
      const closedInTime = flushedInTime && await withTimeout(closing, GO_AWAY_FLUSH_TIMEOUT_MS, false)
      if (!closedInTime) this.#abortConnection(err ?? new MuxerClosedError('the connection did not close in time'))
    } else {
      this.#writer.fail(streamError)
      this.#abortConnection(streamError)
    }
    this.#writer.fail(streamError)
    try {
      this.#options.onClose?.(err)
    } catch {
      // The owner's callback failing must not turn a closed session into an unhandled rejection.
    } finally {
      this.#resolveClosed()
    }
  }

  #abortConnection (err: Error): void {
    try {
      this.#connection.abort(err)
    } catch {
      // Already torn down.
    }
  }
}

async function withTimeout<T> (promise: Promise<T>, ms: number, onTimeout: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<T>(resolve => { timer = setTimeout(() => { resolve(onTimeout) }, ms) })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
