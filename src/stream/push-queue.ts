/**
 * An async queue with one consumer: producers push() synchronously, the
 * consumer pulls by async iteration. It keeps count of the buffered size
 * (bytes, for Uint8Array items) so that producers can apply backpressure
 * (`whenBelow`) and owners can bound memory (a muxed stream's buffer never
 * exceeds its receive window). `onTake` reports each item the consumer
 * takes, which is when flow-control credit may be returned to a sender.
 */

export class QueueEndedError extends Error {
  override name = 'QueueEndedError'
}

export interface PushQueueOptions<T> {
  /** Size of one item for `buffered`; default: `byteLength` of Uint8Arrays, else 1. */
  size?: (item: T) => number
  /** Called after the consumer takes an item. */
  onTake?: (item: T) => void
  /** Called once if the consumer stops iterating early (break / return). */
  onReturn?: () => void
}

const defaultSize = (item: unknown): number => item instanceof Uint8Array ? item.byteLength : 1

export class PushQueue<T> implements AsyncIterable<T> {
  readonly #items: T[] = []
  #head = 0
  #buffered = 0
  #ended = false
  #error: Error | undefined
  #returned = false
  #pull: { resolve: (r: IteratorResult<T>) => void, reject: (e: Error) => void } | undefined
  #belowWaiters: Array<{ limit: number, resolve: () => void, reject: (e: Error) => void }> = []
  readonly #size: (item: T) => number
  readonly #onTake: ((item: T) => void) | undefined
  readonly #onReturn: (() => void) | undefined
  #iterator: AsyncIterator<T> | undefined

  constructor (options: PushQueueOptions<T> = {}) {
    this.#size = options.size ?? defaultSize
    this.#onTake = options.onTake
    this.#onReturn = options.onReturn
  }

  /** Total size of the items waiting for the consumer. */
  get buffered (): number { return this.#buffered }
  /** Items waiting for the consumer. */
  get length (): number { return this.#items.length - this.#head }
  /** True once end() or abort() was called. */
  get ended (): boolean { return this.#ended }
  /** True while the consumer waits: the next push goes straight to it, unbuffered. */
  get waiting (): boolean { return this.#pull !== undefined }
  /** True once the consumer stopped early; pushes are then dropped. */
  get returned (): boolean { return this.#returned }

  /** Adds an item; throws QueueEndedError after end()/abort(). Dropped silently if the consumer has left. */
  push (item: T): void {
    if (this.#ended) throw new QueueEndedError('push after end')
    if (this.#returned) return
    const pull = this.#pull
    if (pull !== undefined) {
      this.#pull = undefined
      pull.resolve({ done: false, value: item })
      this.#onTake?.(item)
      return
    }
    this.#items.push(item)
    this.#buffered += this.#size(item)
  }

  /** No more items: the consumer sees the end after the buffered ones, or `err` after them. */
  end (err?: Error): void {
    if (this.#ended) return
    this.#ended = true
    this.#error = err
    this.#settlePull()
    if (err !== undefined) this.#rejectWaiters(err)
    else this.#resolveWaiters()
  }

  /** Drops the buffer; the consumer's pending and next pulls reject with `err`. */
  abort (err: Error): void {
    this.#items.length = 0
    this.#head = 0
    this.#buffered = 0
    this.#ended = true
    this.#error = err
    this.#settlePull()
    this.#rejectWaiters(err)
  }

  /** Resolves once `buffered` ≤ limit (or the consumer left / the queue ended). */
  async whenBelow (limit: number): Promise<void> {
    if (this.#buffered <= limit || this.#returned) return
    if (this.#ended) { if (this.#error !== undefined) throw this.#error; return }
    await new Promise<void>((resolve, reject) => { this.#belowWaiters.push({ limit, resolve, reject }) })
  }

  /** The consumer is done without iterating to the end: drops the buffer, as a `break` would. */
  discard (): void {
    this.#leave()
  }

  [Symbol.asyncIterator] (): AsyncIterator<T> {
    this.#iterator ??= {
      next: async () => await this.#next(),
      return: async () => {
        this.#leave()
        return { done: true, value: undefined }
      }
    }
    return this.#iterator
  }

  async #next (): Promise<IteratorResult<T>> {
    if (this.#head < this.#items.length) {
      const item = this.#items[this.#head] as T
      this.#items[this.#head] = undefined as T
      this.#head++
      if (this.#head === this.#items.length) { this.#items.length = 0; this.#head = 0 } else if (this.#head > 1024) { this.#items.splice(0, this.#head); this.#head = 0 }
      this.#buffered -= this.#size(item)
      this.#resolveWaiters()
      this.#onTake?.(item)
      return { done: false, value: item }
    }
    if (this.#ended || this.#returned) {
      if (this.#error !== undefined) throw this.#error
      return { done: true, value: undefined }
    }
    if (this.#pull !== undefined) throw new Error('PushQueue: one consumer at a time')
    return await new Promise((resolve, reject) => { this.#pull = { resolve, reject } })
  }

  #leave (): void {
    if (this.#returned) return
    this.#returned = true
    this.#items.length = 0
    this.#head = 0
    this.#buffered = 0
    this.#resolveWaiters()
    this.#onReturn?.()
  }

  #settlePull (): void {
    const pull = this.#pull
    if (pull === undefined || this.#head < this.#items.length) return
    this.#pull = undefined
    if (this.#error !== undefined) pull.reject(this.#error)
    else pull.resolve({ done: true, value: undefined })
  }

  #resolveWaiters (): void {
    if (this.#belowWaiters.length === 0) return
    const keep = []
    for (const w of this.#belowWaiters) {
      if (this.#buffered <= w.limit || this.#returned || this.#ended) w.resolve()
      else keep.push(w)
    }
    this.#belowWaiters = keep
  }

  #rejectWaiters (err: Error): void {
    const waiters = this.#belowWaiters
    this.#belowWaiters = []
    for (const w of waiters) w.reject(err)
  }
}
