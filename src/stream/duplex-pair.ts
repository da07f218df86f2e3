/**
 * Two connected in-memory ByteStreams: what one writes, the other reads.
 * Used to run muxers and protocols without sockets (tests, in-process
 * networks). Delivery is asynchronous, like a socket's, and each direction
 * has backpressure: write() resolves once the reader's buffer is at most
 * `highWaterMark` bytes.
 */
import { PushQueue } from './push-queue.js'
import type { ByteStream } from './types.js'

/** Bytes a reader may leave unread before the writer's write() waits: 64 KiB, about a socket buffer. */
export const DUPLEX_PAIR_HIGH_WATER_MARK = 64 * 1024

export class PipeClosedError extends Error {
  override name = 'PipeClosedError'
}

export interface DuplexPairOptions {
  /** Default DUPLEX_PAIR_HIGH_WATER_MARK. */
  highWaterMark?: number
}

class PipeEnd implements ByteStream {
  readonly inbound = new PushQueue<Uint8Array>()
  peer!: PipeEnd
  #writeClosed = false
  #error: Error | undefined

  constructor (readonly highWaterMark: number) {}

  async write (chunk: Uint8Array): Promise<void> {
    if (this.#error !== undefined) throw this.#error
    if (this.#writeClosed) throw new PipeClosedError('write after close')
    const target = this.peer.inbound
    if (target.ended || target.returned) throw new PipeClosedError('the reading end is closed')
    // A microtask later, like a socket: the reader never runs inside our write().
    await Promise.resolve()
    if (target.ended) throw new PipeClosedError('the reading end is closed')
    // A copy, as a socket makes: the writer may reuse its buffer once write resolves (yamux recycles its arenas).
    if (chunk.length > 0) target.push(chunk.slice())
    await target.whenBelow(this.highWaterMark)
  }

  async closeWrite (): Promise<void> {
    if (this.#writeClosed) return
    this.#writeClosed = true
    await Promise.resolve()
    this.peer.inbound.end()
  }

  async close (): Promise<void> {
    await this.closeWrite()
    // Stop reading: a remote write now fails, as on a closed socket.
    if (!this.inbound.ended) this.inbound.end()
  }

  abort (err: Error): void {
    if (this.#error !== undefined) return
    this.#error = err
    this.#writeClosed = true
    this.inbound.abort(err)
    // The other end sees a reset, as after a TCP RST.
    if (!this.peer.inbound.ended) this.peer.inbound.end(new PipeClosedError(`the other end aborted: ${err.message}`))
  }

  [Symbol.asyncIterator] (): AsyncIterator<Uint8Array> {
    return this.inbound[Symbol.asyncIterator]()
  }
}

/** Returns the two ends of an in-memory pipe. */
export function duplexPair (options: DuplexPairOptions = {}): [ByteStream, ByteStream] {
  const highWaterMark = options.highWaterMark ?? DUPLEX_PAIR_HIGH_WATER_MARK
  const a = new PipeEnd(highWaterMark)
  const b = new PipeEnd(highWaterMark)
  a.peer = b
  b.peer = a
  return [a, b]
}
