/**
 * A libp2p stream over one RTCDataChannel (../shared/specs/libp2p/webrtc/README.md
 * "Multiplexing", "Closing an RTCDataChannel"). Data channels cannot half-close
 * or reset, so every message is a frame (./message.ts) whose flags say so:
 *
 * - closeWrite sends FIN and waits (FIN_ACK_TIMEOUT_MS at most) for FIN_ACK;
 * - a received FIN ends the read side and is answered with FIN_ACK;
 * - STOP_SENDING says the sender reads no more: we stop writing, and send it
 *   ourselves when closing a stream whose remote has not finished;
 * - RESET_STREAM tears the stream down both ways.
 *
 * The channel is closed once both halves are done (our FIN acknowledged or
 * timed out, and the remote's FIN received or reading given up), or at once on
 * a reset. Payloads are cut to MAX_MESSAGE_PAYLOAD; writes wait while the
 * channel's send buffer holds more than SEND_HIGH_WATER_MARK.
 */
import type { Stream } from '../../stream/types.js'
import { PushQueue } from '../../stream/push-queue.js'
import { FIN_ACK_TIMEOUT_MS, MAX_MESSAGE_PAYLOAD, SEND_HIGH_WATER_MARK, STREAM_RECEIVE_BUFFER } from './constants.js'
import { StreamReceiveOverflowError, WebRTCFramingError, WebRTCStreamClosedError, WebRTCStreamResetError } from './errors.js'
import { Flag, FrameDecoder, encodeFrame, type FlagValue, type FrameMessage } from './message.js'
import { ReceiveBudget } from './receive-budget.js'

/** What the stream uses of an RTCDataChannel (so tests can drive it with a pair of fakes). */
export interface DataChannelLike {
  readonly label: string
  readonly readyState: RTCDataChannelState
  readonly bufferedAmount: number
  bufferedAmountLowThreshold: number
  binaryType: BinaryType
  send: (data: Uint8Array<ArrayBuffer>) => void
  close: () => void
  addEventListener: (type: 'open' | 'close' | 'error' | 'message' | 'bufferedamountlow', listener: (event: any) => void) => void
  removeEventListener: (type: 'open' | 'close' | 'error' | 'message' | 'bufferedamountlow', listener: (event: any) => void) => void
}

export interface DataChannelStreamInit {
  id: string
  direction: 'inbound' | 'outbound'
  /** Called once when the stream is finished (closed or reset), so the muxer forgets it. */
  onDone?: (stream: DataChannelStream) => void
  /** Default FIN_ACK_TIMEOUT_MS. */
  finAckTimeoutMs?: number
  /** The connection's shared receive budget; default one of this stream's own. */
  budget?: ReceiveBudget
}

export class DataChannelStream implements Stream {
  readonly id: string
  readonly direction: 'inbound' | 'outbound'
  protocol: string | undefined
  readonly #channel: DataChannelLike
  readonly #queue: PushQueue<Uint8Array>
  readonly #budget: ReceiveBudget
  /** Bytes of the budget this stream holds (buffered for its reader). */
  #held = 0
  readonly #decoder = new FrameDecoder()
  readonly #opened: Promise<void>
  readonly #onDone: ((stream: DataChannelStream) => void) | undefined
  readonly #finAckTimeoutMs: number
  #writeChain: Promise<void> = Promise.resolve()
  /** We sent FIN (or will write no more for another reason). */
  #writeClosed = false
  /** Our write half is finished: FIN acknowledged, timed out, or the remote stopped reading. */
  #writeDone = false
  /** The remote's FIN arrived. */
  #readEnded = false
  /** We gave up reading (STOP_SENDING sent). */
  #readAbandoned = false
  #remoteStopped = false
  #finAcked: (() => void) | undefined
  #error: Error | undefined
  #done = false
  #iterated = false

  constructor (channel: DataChannelLike, init: DataChannelStreamInit) {
    this.id = init.id
    this.direction = init.direction
    this.#channel = channel
    this.#onDone = init.onDone
    this.#finAckTimeoutMs = init.finAckTimeoutMs ?? FIN_ACK_TIMEOUT_MS
    this.#budget = init.budget ?? new ReceiveBudget()
    this.#queue = new PushQueue<Uint8Array>({
      onTake: item => { this.#held -= item.length; this.#budget.release(item.length) },
      onReturn: () => { this.#releaseHeld() }
    })
    channel.binaryType = 'arraybuffer'
    channel.bufferedAmountLowThreshold = SEND_HIGH_WATER_MARK / 2
    // Chromium may deliver messages before 'open' fires: listen from the start.
    channel.addEventListener('message', event => { this.#onMessage((event as MessageEvent).data) })
    channel.addEventListener('close', () => { this.#onChannelClosed() })
    channel.addEventListener('error', event => { this.#fail(new WebRTCStreamResetError(`data channel error: ${String((event as { error?: Error }).error?.message ?? 'unknown')}`)) })
    this.#opened = channel.readyState === 'open'
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
        channel.addEventListener('open', () => { resolve() })
        channel.addEventListener('close', () => { reject(this.#error ?? new WebRTCStreamClosedError('the data channel closed before it opened')) })
      })
    this.#opened.catch(() => {})
  }

  [Symbol.asyncIterator] (): AsyncIterator<Uint8Array> {
    this.#iterated = true
    return this.#queue[Symbol.asyncIterator]()
  }

  async write (chunk: Uint8Array): Promise<void> {
    const run = this.#writeChain.then(async () => { await this.#writeNow(chunk) })
    this.#writeChain = run.catch(() => {})
    await run
  }

  async #writeNow (chunk: Uint8Array): Promise<void> {
    await this.#opened
    for (let offset = 0; offset < chunk.length || (chunk.length === 0 && offset === 0); offset += MAX_MESSAGE_PAYLOAD) {
      this.#checkWritable()
      if (this.#channel.bufferedAmount > SEND_HIGH_WATER_MARK) await this.#drained()
      this.#checkWritable()
      this.#send({ message: chunk.subarray(offset, offset + MAX_MESSAGE_PAYLOAD) })
      if (chunk.length === 0) break
    }
  }

  #checkWritable (): void {
    if (this.#error !== undefined) throw this.#error
    if (this.#writeClosed) throw new WebRTCStreamClosedError('write after closeWrite')
    if (this.#remoteStopped) throw new WebRTCStreamClosedError('the remote stopped reading (STOP_SENDING)')
  }

  async #drained (): Promise<void> {
    await new Promise<void>(resolve => {
      const done = (): void => {
        this.#channel.removeEventListener('bufferedamountlow', done)
        this.#channel.removeEventListener('close', done)
        resolve()
      }
      this.#channel.addEventListener('bufferedamountlow', done)
      this.#channel.addEventListener('close', done)
    })
  }

  async closeWrite (): Promise<void> {
    await this.#writeChain
    if (this.#writeClosed || this.#error !== undefined) return
    this.#writeClosed = true
    if (this.#remoteStopped) { this.#writeDone = true; this.#maybeFinish(); return }
    try { await this.#opened } catch { return }
    let timer: ReturnType<typeof setTimeout> | undefined
    await new Promise<void>(resolve => {
      this.#finAcked = resolve
      timer = setTimeout(resolve, this.#finAckTimeoutMs)
      if (!this.#sendFlag(Flag.FIN)) resolve()
    })
    clearTimeout(timer)
    this.#finAcked = undefined
    this.#writeDone = true
    this.#maybeFinish()
  }

  /** Closes our write half, then gives up reading what the remote has not sent yet (STOP_SENDING). */
  async close (): Promise<void> {
    await this.closeWrite()
    if (this.#readEnded || this.#error !== undefined) return
    this.#readAbandoned = true
    if (!this.#iterated) { this.#queue.discard(); this.#releaseHeld() } else this.#queue.end()
    this.#sendFlag(Flag.STOP_SENDING)
    this.#maybeFinish()
  }

  reset (): void {
    this.abort(new WebRTCStreamResetError('stream reset locally'))
  }

  abort (err: Error): void {
    if (this.#error !== undefined || this.#done) return
    this.#sendFlag(Flag.RESET_STREAM)
    this.#fail(err)
  }

  #onMessage (data: unknown): void {
    if (this.#done || this.#error !== undefined) return
    if (!(data instanceof ArrayBuffer)) { this.abort(new WebRTCFramingError('a text message on a libp2p data channel')); return }
    let frames: FrameMessage[]
    try {
      frames = this.#decoder.push(new Uint8Array(data))
    } catch (err) {
      this.abort(err as Error)
      return
    }
    for (const frame of frames) {
      if (this.#error !== undefined) return
      this.#onFrame(frame)
    }
  }

  #onFrame (frame: FrameMessage): void {
    const payload = frame.message
    if (payload !== undefined && payload.length > 0 && !this.#readEnded && !this.#readAbandoned && !this.#queue.returned) {
      if (this.#held + payload.length > STREAM_RECEIVE_BUFFER) {
        this.abort(new StreamReceiveOverflowError(`the reader fell more than ${STREAM_RECEIVE_BUFFER} bytes behind`))
        return
      }
      if (!this.#budget.reserve(payload.length)) {
        this.abort(new StreamReceiveOverflowError(`the connection's readers fell more than ${this.#budget.limit} bytes behind`))
        return
      }
      this.#held += payload.length
      this.#queue.push(payload)
    }
    switch (frame.flag) {
      case Flag.FIN:
        if (!this.#readEnded) {
          this.#readEnded = true
          if (!this.#readAbandoned) this.#queue.end()
        }
        this.#sendFlag(Flag.FIN_ACK)
        break
      case Flag.STOP_SENDING:
        this.#remoteStopped = true
        if (!this.#writeClosed) { this.#writeClosed = true; this.#writeDone = true }
        break
      case Flag.RESET_STREAM:
        this.#fail(new WebRTCStreamResetError('the remote reset the stream'))
        return
      case Flag.FIN_ACK:
        this.#finAcked?.()
        break
      default:
    }
    this.#maybeFinish()
  }

  /** Sends one frame; false if the channel is not open (flags may race the remote's close). */
  #send (frame: { flag?: FlagValue, message?: Uint8Array }): boolean {
    if (this.#channel.readyState !== 'open') {
      if (frame.flag === undefined) throw this.#error ?? new WebRTCStreamClosedError(`the data channel is ${this.#channel.readyState}`)
      return false
    }
    this.#channel.send(encodeFrame(frame) as Uint8Array<ArrayBuffer>)
    return true
  }

  #sendFlag (flag: FlagValue): boolean {
    try { return this.#send({ flag }) } catch { return false }
  }

  /** Both halves are done: the channel may close (README.md "Closing an RTCDataChannel"). */
  #maybeFinish (): void {
    if (this.#done || !this.#writeDone || !(this.#readEnded || this.#readAbandoned)) return
    this.#finish()
  }

  #finish (): void {
    if (this.#done) return
    this.#done = true
    this.#finAcked?.()
    try { this.#channel.close() } catch {}
    this.#onDone?.(this)
  }

  #fail (err: Error): void {
    if (this.#error !== undefined || this.#done) return
    this.#error = err
    this.#queue.abort(err)
    this.#releaseHeld()
    this.#finish()
  }

  /** What the reader will never take goes back to the connection's budget. */
  #releaseHeld (): void {
    this.#budget.release(this.#held)
    this.#held = 0
  }

  #onChannelClosed (): void {
    if (this.#done) return
    // Closed by the remote (or the connection) before both halves finished:
    // a FIN already received keeps what was read; otherwise it is a reset.
    this.#finAcked?.()
    if (this.#readEnded && this.#writeClosed) { this.#writeDone = true; this.#finish(); return }
    this.#fail(new WebRTCStreamResetError('the data channel closed before the stream finished'))
  }
}
