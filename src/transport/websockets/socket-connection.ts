/**
 * A WebSocket (browser or `ws`) as a RawConnection; one binary message per
 * written chunk, message boundaries carry no meaning (websockets spec).
 *
 * Send backpressure: with `ws` (Node), `write` resolves when the socket has
 * taken the bytes, as a TCP write does (`send`'s callback), and sends the
 * caller's bytes without a copy; a send buffer that does not drain at all for
 * the send timeout tears the socket down. Browsers give no write callback
 * (and copy what `send` is given), so there `write` waits while
 * `bufferedAmount` is above WEBSOCKET_SEND_HIGH_WATER_MARK, polling it.
 * Receive backpressure: `ws` can pause its socket; a browser cannot, so there
 * the muxer's flow control above is what bounds memory.
 * Half-close: WebSocket has none (a close frame ends both directions), so
 * `closeWrite` flushes what is queued and then closes the socket.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { RawConnection } from '../types.js'
import type { WebSocketLike } from './websocket.browser.js'
import { Inbox } from '../_inbox.js'
import { CLOSE_TIMEOUT_MS, RECEIVE_HIGH_WATER_MARK, WEBSOCKET_SEND_HIGH_WATER_MARK, WEBSOCKET_SEND_TIMEOUT_MS } from '../constants.js'
import { ConnectionClosedError, ConnectionResetError, WebSocketSendTimeoutError } from '../errors.js'

const OPEN = 1
const CLOSED = 3
/** Poll interval while waiting for `bufferedAmount` to drain. */
const DRAIN_POLL_MS = 4
/** Close code for a normal closure (RFC 6455 §7.4.1). */
const NORMAL_CLOSURE = 1000
/** Private-use close code we send on abort (RFC 6455 §7.4.2 reserves 4000–4999 for applications). */
const ABORT_CLOSE_CODE = 4000
/** Chunks are split into messages of at most this size, well under any receiver's message limit. */
const MAX_SEND_MESSAGE_BYTES = 256 * 1024

export interface WebSocketConnectionOptions {
  /** Default CLOSE_TIMEOUT_MS: bounds both the flush in `closeWrite` and the wait for the remote's close frame. */
  closeTimeoutMs?: number
  /** Default WEBSOCKET_SEND_TIMEOUT_MS: how long `write` waits on a send buffer that does not drain at all. */
  sendTimeoutMs?: number
  /** The socket's `send(data, callback)` calls back once the bytes left (`ws`); default false (WHATWG WebSocket). */
  sendTakesCallback?: boolean
}

/** The message of `chunk` that starts at `offset`: the chunk itself when it fits in one. */
function piece (chunk: Uint8Array, offset: number): Uint8Array {
  return chunk.length <= MAX_SEND_MESSAGE_BYTES ? chunk : chunk.subarray(offset, offset + MAX_SEND_MESSAGE_BYTES)
}

export class WebSocketConnection implements RawConnection {
  readonly remoteAddr: Multiaddr
  readonly localAddr: Multiaddr | undefined
  readonly #socket: WebSocketLike
  readonly #inbox: Inbox
  #error: Error | undefined
  #closing = false
  readonly #closed: Promise<void>
  readonly #closeTimeoutMs: number
  readonly #sendTimeoutMs: number
  readonly #sendTakesCallback: boolean

  constructor (socket: WebSocketLike, remoteAddr: Multiaddr, localAddr?: Multiaddr, options: WebSocketConnectionOptions = {}) {
    this.#socket = socket
    this.#closeTimeoutMs = options.closeTimeoutMs ?? CLOSE_TIMEOUT_MS
    this.#sendTimeoutMs = options.sendTimeoutMs ?? WEBSOCKET_SEND_TIMEOUT_MS
    this.#sendTakesCallback = options.sendTakesCallback ?? false
    this.remoteAddr = remoteAddr
    this.localAddr = localAddr
    socket.binaryType = 'arraybuffer'
    this.#inbox = new Inbox(RECEIVE_HIGH_WATER_MARK, paused => {
      if (paused) socket.pause?.(); else socket.resume?.()
    })
    socket.onmessage = event => {
      const data = event.data
      if (data instanceof ArrayBuffer) this.#inbox.push(new Uint8Array(data))
      else if (ArrayBuffer.isView(data)) this.#inbox.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
      else this.abort(new ConnectionResetError('received a text WebSocket message; libp2p sends binary only'))
    }
    socket.onerror = () => {
      this.#error ??= new ConnectionResetError('WebSocket error')
    }
    this.#closed = new Promise(resolve => {
      socket.onclose = event => {
        if (event.code === NORMAL_CLOSURE || this.#closing) this.#inbox.end()
        else {
          this.#error ??= new ConnectionResetError(`WebSocket closed abnormally (code ${event.code})`)
          this.#inbox.fail(this.#error)
        }
        resolve()
      }
    })
  }

  [Symbol.asyncIterator] (): AsyncIterator<Uint8Array> {
    return this.#inbox[Symbol.asyncIterator]()
  }

  async write (chunk: Uint8Array): Promise<void> {
    if (this.#error !== undefined) throw this.#error
    if (this.#closing || this.#socket.readyState !== OPEN) throw new ConnectionClosedError('write after close')
    if (this.#sendTakesCallback) { await this.#sendAcknowledged(chunk); return }
    // The WHATWG WebSocket copies what it is given: the caller may reuse its buffer at once.
    for (let offset = 0; offset < chunk.length; offset += MAX_SEND_MESSAGE_BYTES) this.#socket.send(piece(chunk, offset))
    if (!await this.#drain(WEBSOCKET_SEND_HIGH_WATER_MARK, Infinity, this.#sendTimeoutMs)) {
      const err = new WebSocketSendTimeoutError(`WebSocket send buffer did not drain for ${this.#sendTimeoutMs} ms: the remote stopped reading`)
      this.abort(err)
      throw err
    }
  }

  /**
   * `ws`: the caller's bytes go out as they are (`ws` keeps a reference until
   * the socket took them, which is when this resolves, so the caller may then
   * reuse its buffer). Before, a copy per write and a 4 ms drain poll: with the
   * poll the sender idled between batches (bench/e2e.js, WebSocket bulk).
   */
  async #sendAcknowledged (chunk: Uint8Array): Promise<void> {
    const last = Math.floor((chunk.length - 1) / MAX_SEND_MESSAGE_BYTES) * MAX_SEND_MESSAGE_BYTES
    for (let offset = 0; offset < last; offset += MAX_SEND_MESSAGE_BYTES) this.#socket.send(piece(chunk, offset))
    // Sends complete in order, and a failed one fails every later one: the last callback speaks for all.
    const sent = new Promise<void>((resolve, reject) => {
      this.#socket.send(piece(chunk, last), err => {
        if (err == null) resolve()
        else reject(this.#error ?? new ConnectionResetError('WebSocket send failed', { cause: err }))
      })
    })
    let timer: ReturnType<typeof setTimeout> | undefined
    let buffered = this.#socket.bufferedAmount
    const stalled = new Promise<never>((_resolve, reject) => {
      const check = (): void => {
        const now = this.#socket.bufferedAmount
        if (now < buffered) { buffered = now; timer = setTimeout(check, this.#sendTimeoutMs); return }
        const err = new WebSocketSendTimeoutError(`WebSocket send buffer did not drain for ${this.#sendTimeoutMs} ms: the remote stopped reading`)
        this.abort(err)
        reject(err)
      }
      timer = setTimeout(check, this.#sendTimeoutMs)
    })
    try {
      await Promise.race([sent, stalled])
    } finally {
      clearTimeout(timer)
      stalled.catch(() => {})
      sent.catch(() => {})
    }
  }

  /**
   * Resolves true once `bufferedAmount` is at most `below`; false if
   * `deadline` (performance.now()) passed first, or if the buffer did not
   * shrink at all for `stallMs`.
   */
  async #drain (below: number, deadline = Infinity, stallMs = Infinity): Promise<boolean> {
    let last = this.#socket.bufferedAmount
    let progressAt = performance.now()
    while (this.#socket.bufferedAmount > below) {
      if (this.#socket.readyState !== OPEN) throw this.#error ?? new ConnectionClosedError('WebSocket closed while sending')
      const now = performance.now()
      if (this.#socket.bufferedAmount < last) { last = this.#socket.bufferedAmount; progressAt = now }
      if (now >= deadline || now - progressAt >= stallMs) return false
      await new Promise(resolve => setTimeout(resolve, DRAIN_POLL_MS))
    }
    return true
  }

  async closeWrite (): Promise<void> {
    if (this.#closing) return
    let flushed = true
    try {
      flushed = await this.#drain(0, performance.now() + this.#closeTimeoutMs)
    } catch { /* closed meanwhile: nothing left to flush */ }
    if (!flushed) {
      // The remote stopped reading: waiting longer would poll for ever.
      this.abort(new ConnectionResetError(`WebSocket send buffer not flushed within ${this.#closeTimeoutMs} ms of closing`))
      return
    }
    this.#closing = true
    if (this.#socket.readyState !== CLOSED) this.#socket.close(NORMAL_CLOSURE)
  }

  async close (): Promise<void> {
    await this.closeWrite()
    if (this.#socket.readyState === CLOSED) return
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<void>(resolve => { timer = setTimeout(resolve, this.#closeTimeoutMs) })
    await Promise.race([this.#closed, timedOut])
    clearTimeout(timer)
    if (this.#socket.readyState !== CLOSED) this.#socket.terminate?.()
  }

  abort (err: Error): void {
    this.#error ??= err
    this.#closing = true
    this.#inbox.fail(err)
    if (this.#socket.terminate !== undefined) this.#socket.terminate()
    else if (this.#socket.readyState !== CLOSED) this.#socket.close(ABORT_CLOSE_CODE)
  }
}
