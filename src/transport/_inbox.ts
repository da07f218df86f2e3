/**
 * The receive side of a raw connection: sockets push chunks, the consumer
 * pulls them by async iteration. Buffered bytes are counted; above the high
 * water mark the owner is told to stop reading (`onPressure(true)`), and told
 * again when the consumer has drained it (`onPressure(false)`), so memory
 * stays bounded whatever the remote sends.
 */
export class Inbox implements AsyncIterable<Uint8Array> {
  readonly #highWaterMark: number
  readonly #onPressure: (paused: boolean) => void
  #chunks: Uint8Array[] = []
  #bytes = 0
  #paused = false
  #ended = false
  #error: Error | undefined
  #waiter: { resolve: (r: IteratorResult<Uint8Array>) => void, reject: (e: Error) => void } | undefined
  #iterated = false

  constructor (highWaterMark: number, onPressure: (paused: boolean) => void = () => {}) {
    this.#highWaterMark = highWaterMark
    this.#onPressure = onPressure
  }

  /** True once end() or fail() was called. */
  get finished (): boolean { return this.#ended || this.#error !== undefined }

  /** Bytes queued and not yet read. */
  get bufferedBytes (): number { return this.#bytes }

  /** Queues a chunk; returns false if the buffer is now above the high water mark. */
  push (chunk: Uint8Array): boolean {
    if (this.finished || chunk.length === 0) return !this.#paused
    const waiter = this.#waiter
    if (waiter !== undefined) {
      this.#waiter = undefined
      waiter.resolve({ done: false, value: chunk })
      return true
    }
    this.#chunks.push(chunk)
    this.#bytes += chunk.length
    if (!this.#paused && this.#bytes > this.#highWaterMark) {
      this.#paused = true
      this.#onPressure(true)
    }
    return !this.#paused
  }

  /** No more data: the consumer sees the end after the queued chunks. */
  end (): void {
    if (this.finished) return
    this.#ended = true
    const waiter = this.#waiter
    this.#waiter = undefined
    waiter?.resolve({ done: true, value: undefined })
  }

  /** Ends the consumer now and drops what is queued and whatever arrives later (a local close). */
  drop (): void {
    if (this.finished) return
    this.#chunks = []
    this.#bytes = 0
    if (this.#paused) { this.#paused = false; this.#onPressure(false) }
    this.end()
  }

  /** Fails the consumer at once: queued chunks are dropped, pending and later reads reject. */
  fail (err: Error): void {
    if (this.finished) return
    this.#error = err
    this.#chunks = []
    this.#bytes = 0
    const waiter = this.#waiter
    this.#waiter = undefined
    waiter?.reject(err)
  }

  #next (): Promise<IteratorResult<Uint8Array>> {
    if (this.#error !== undefined) return Promise.reject(this.#error)
    const chunk = this.#chunks.shift()
    if (chunk !== undefined) {
      this.#bytes -= chunk.length
      if (this.#paused && this.#bytes <= this.#highWaterMark / 2) {
        this.#paused = false
        this.#onPressure(false)
      }
      return Promise.resolve({ done: false, value: chunk })
    }
    if (this.#ended) return Promise.resolve({ done: true, value: undefined })
    if (this.#waiter !== undefined) return Promise.reject(new Error('concurrent reads on one connection'))
    return new Promise((resolve, reject) => { this.#waiter = { resolve, reject } })
  }

  [Symbol.asyncIterator] (): AsyncIterator<Uint8Array> {
    if (this.#iterated) throw new Error('a connection can be read by one consumer only')
    this.#iterated = true
    return {
      // The queue's own promise, not an async wrapper: nothing is suspended here while an idle connection waits.
      next: () => this.#next(),
      return: async () => ({ done: true, value: undefined })
    }
  }
}
