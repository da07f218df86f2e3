/**
 * The outbound side of a session: every stream's frames, in order, into one
 * connection. Frames are encoded straight into an arena buffer at enqueue
 * time (the only copy of a payload; the caller may reuse its buffer at once),
 * and whatever accumulated while the previous connection write was pending
 * leaves in one write — many small frames cost one write, which for a Noise
 * connection is one encryption.
 *
 * Backpressure: `writable()` resolves while at most WRITE_HIGH_WATER_MARK
 * bytes wait for the connection; streams await it after queueing their data,
 * so a slow connection slows every writer.
 */
import type { ByteStream } from '../../stream/types.js'
import { HEADER_LENGTH, writeHeader } from './frame.js'
import { MAX_OUTBOUND_FRAME_PAYLOAD } from './config.js'

/**
 * Size of one arena buffer, and so the largest single write to the
 * connection: four full Data frames (256 KiB + 48 B), so bulk transfer fills
 * arenas exactly.
 */
export const WRITE_ARENA_SIZE = 4 * (HEADER_LENGTH + MAX_OUTBOUND_FRAME_PAYLOAD)

/**
 * Smallest arena: 4 KiB. A new arena is sized to the traffic — twice the bytes still
 * waiting, between this and WRITE_ARENA_SIZE — because an arena's pages become resident
 * as it fills: a connection that only ever carries small frames (DHT requests, pings)
 * would otherwise touch a full 256 KiB per arena, and a node with a thousand such
 * connections would hold a quarter of a gigabyte for them. Bulk writers keep bytes
 * waiting, so their arenas reach WRITE_ARENA_SIZE within a few frames.
 */
export const MIN_WRITE_ARENA_SIZE = 4 * 1024

/**
 * Bytes queued for the connection before writers must wait: 256 KiB. Enough
 * to keep a connection busy between two writes; small next to the windows.
 */
export const WRITE_HIGH_WATER_MARK = 256 * 1024

interface Batch { bytes: Uint8Array, frames: number }
interface Waiter { upTo: number, resolve: () => void, reject: (err: Error) => void }

export class FrameWriter {
  readonly #connection: ByteStream
  readonly #onError: (err: Error) => void
  #arena = new Uint8Array(0)
  /** Start of the bytes in #arena not yet handed to the connection. */
  #start = 0
  #end = 0
  #arenaFrames = 0
  #sealed: Batch[] = []
  #unsentBytes = 0
  #enqueued = 0
  #written = 0
  #writing = false
  #error: Error | undefined
  #flushWaiters: Waiter[] = []
  #drainWaiters: Array<{ resolve: () => void, reject: (err: Error) => void }> = []

  constructor (connection: ByteStream, onError: (err: Error) => void) {
    this.#connection = connection
    this.#onError = onError
  }

  /** Bytes queued and not yet accepted by the connection. */
  get unsentBytes (): number { return this.#unsentBytes }
  /** Frames queued so far; the position of the next frame. */
  get enqueuedFrames (): number { return this.#enqueued }
  /** Frames the connection has accepted so far. */
  get writtenFrames (): number { return this.#written }

  /** Queues one frame; `payload` (Data only) is copied now. Dropped after a failure. */
  enqueue (type: number, flags: number, id: number, length: number, payload?: Uint8Array): void {
    if (this.#error !== undefined) return
    const size = HEADER_LENGTH + (payload?.length ?? 0)
    if (this.#end + size > this.#arena.length) {
      this.#seal()
      this.#arena = new Uint8Array(Math.max(size, Math.min(WRITE_ARENA_SIZE, Math.max(MIN_WRITE_ARENA_SIZE, 2 * this.#unsentBytes))))
      this.#start = 0
      this.#end = 0
    }
    writeHeader(this.#arena, this.#end, type, flags, id, length)
    if (payload !== undefined && payload.length > 0) this.#arena.set(payload, this.#end + HEADER_LENGTH)
    this.#end += size
    this.#arenaFrames++
    this.#enqueued++
    this.#unsentBytes += size
    if (!this.#writing) {
      this.#writing = true
      // A microtask later: frames queued in the same tick leave in one write.
      queueMicrotask(() => { void this.#writeLoop() })
    }
  }

  /** True while at most WRITE_HIGH_WATER_MARK bytes wait and the writer has not failed. */
  get canWrite (): boolean { return this.#error === undefined && this.#unsentBytes <= WRITE_HIGH_WATER_MARK }

  /** Resolves once at most WRITE_HIGH_WATER_MARK bytes wait for the connection. */
  async writable (): Promise<void> {
    if (this.#error !== undefined) throw this.#error
    if (this.#unsentBytes <= WRITE_HIGH_WATER_MARK) return
    await new Promise<void>((resolve, reject) => { this.#drainWaiters.push({ resolve, reject }) })
  }

  /** Resolves once every frame queued so far was accepted by the connection. */
  async flushed (): Promise<void> {
    if (this.#error !== undefined) throw this.#error
    if (this.#written === this.#enqueued) return
    await new Promise<void>((resolve, reject) => { this.#flushWaiters.push({ upTo: this.#enqueued, resolve, reject }) })
  }

  /** Drops everything queued; pending and later waits reject with `err`. */
  fail (err: Error): void {
    if (this.#error !== undefined) return
    this.#error = err
    this.#arena = new Uint8Array(0)
    this.#start = this.#end = this.#arenaFrames = 0
    this.#sealed = []
    this.#unsentBytes = 0
    const flushWaiters = this.#flushWaiters
    const drainWaiters = this.#drainWaiters
    this.#flushWaiters = []
    this.#drainWaiters = []
    for (const w of flushWaiters) w.reject(err)
    for (const w of drainWaiters) w.reject(err)
  }

  #seal (): void {
    if (this.#end === this.#start) return
    this.#sealed.push({ bytes: this.#arena.subarray(this.#start, this.#end), frames: this.#arenaFrames })
    this.#start = this.#end
    this.#arenaFrames = 0
  }

  async #writeLoop (): Promise<void> {
    try {
      while (this.#error === undefined) {
        this.#seal()
        const batch = this.#sealed.shift()
        if (batch === undefined) break
        await this.#connection.write(batch.bytes)
        if (this.#error !== undefined) break
        this.#written += batch.frames
        this.#unsentBytes -= batch.bytes.length
        this.#wake()
      }
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err))
      this.#writing = false
      this.fail(error)
      this.#onError(error)
      return
    }
    this.#writing = false
  }

  #wake (): void {
    if (this.#flushWaiters.length > 0) {
      const waiters = this.#flushWaiters
      let done = 0
      while (done < waiters.length && (waiters[done] as Waiter).upTo <= this.#written) done++
      if (done > 0) for (const w of waiters.splice(0, done)) w.resolve()
    }
    if (this.#drainWaiters.length > 0 && this.#unsentBytes <= WRITE_HIGH_WATER_MARK) {
      const waiters = this.#drainWaiters
      this.#drainWaiters = []
      for (const w of waiters) w.resolve()
    }
  }
}
