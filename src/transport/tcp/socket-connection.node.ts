/**
 * A `node:net` socket as a RawConnection. Backpressure both ways: a write
 * resolves when Node has handed the chunk to the kernel (its write callback),
 * which also means the caller may reuse the buffer, as a layer that encrypts
 * into a fixed WASM region does; reads pause the socket when the consumer
 * falls RECEIVE_HIGH_WATER_MARK behind. Sockets are created with
 * `allowHalfOpen`, so `closeWrite` sends a FIN and reading goes on.
 */
import type { Socket } from 'node:net'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { RawConnection } from '../types.js'
import { Inbox } from '../_inbox.js'
import { CLOSE_TIMEOUT_MS, RECEIVE_HIGH_WATER_MARK } from '../constants.js'
import { ConnectionClosedError, ConnectionResetError } from '../errors.js'
import { tcpMultiaddr } from './_addr.js'

function mapSocketError (err: NodeJS.ErrnoException): Error {
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.code === 'ECONNABORTED') {
    return new ConnectionResetError(`connection reset (${err.code})`, { cause: err })
  }
  return err
}

export class SocketConnection implements RawConnection {
  readonly remoteAddr: Multiaddr
  /** Made on first read: a parsed multiaddr costs ~170 bytes a connection, and few ever ask for ours. */
  #localAddr: Multiaddr | undefined | null = null
  readonly #socket: Socket
  readonly #inbox: Inbox
  #error: Error | undefined
  #writeClosed = false
  readonly #closed: Promise<void>

  constructor (socket: Socket, remoteAddr: Multiaddr) {
    this.#socket = socket
    this.remoteAddr = remoteAddr
    this.#inbox = new Inbox(RECEIVE_HIGH_WATER_MARK, paused => { if (paused) socket.pause(); else socket.resume() })
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => { this.#inbox.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)) })
    socket.on('end', () => { this.#inbox.end() })
    socket.on('error', (err: NodeJS.ErrnoException) => {
      this.#error ??= mapSocketError(err)
      this.#inbox.fail(this.#error)
    })
    this.#closed = new Promise(resolve => {
      socket.once('close', () => {
        this.#inbox.end()
        resolve()
      })
    })
  }

  /** Our end of the socket; undefined once the socket is gone if nobody asked before. */
  get localAddr (): Multiaddr | undefined {
    if (this.#localAddr === null) {
      const s = this.#socket
      this.#localAddr = s.localAddress !== undefined ? tcpMultiaddr(s.localAddress, s.localPort ?? 0, s.localFamily) : undefined
    }
    return this.#localAddr
  }

  [Symbol.asyncIterator] (): AsyncIterator<Uint8Array> {
    return this.#inbox[Symbol.asyncIterator]()
  }

  async write (chunk: Uint8Array): Promise<void> {
    if (this.#error !== undefined) throw this.#error
    if (this.#writeClosed || this.#socket.destroyed) throw new ConnectionClosedError('write after close')
    await new Promise<void>((resolve, reject) => {
      this.#socket.write(chunk, err => {
        if (err == null) resolve()
        else reject(this.#error ?? mapSocketError(err as NodeJS.ErrnoException))
      })
    })
  }

  async closeWrite (): Promise<void> {
    if (this.#writeClosed || this.#socket.destroyed) return
    this.#writeClosed = true
    // `finish`, or the socket closing for any other reason: never wait on an errored socket.
    await Promise.race([new Promise<void>(resolve => { this.#socket.end(() => { resolve() }) }), this.#closed])
  }

  async close (): Promise<void> {
    if (this.#socket.destroyed) return
    await this.closeWrite()
    // The socket closes once the remote's FIN is read too: stop queueing for a
    // consumer and keep reading so the FIN can arrive.
    this.#inbox.drop()
    this.#socket.resume()
    const timer = setTimeout(() => { this.#socket.destroy() }, CLOSE_TIMEOUT_MS)
    await this.#closed
    clearTimeout(timer)
  }

  abort (err: Error): void {
    this.#error ??= err
    this.#inbox.fail(err)
    this.#socket.resetAndDestroy()
  }
}
