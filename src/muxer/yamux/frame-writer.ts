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
import { runInNextTask } from '../../stream/_next-task.js'

/**
 * Size of one arena buffer, and so the largest single write to the
 * connection: four full Data frames (256 KiB + 48 B), so bulk transfer fills
 * arenas exactly.
 */
export const WRITE_ARENA_SIZE = 4 * (HEADER_LENGTH + MAX_OUTBOUND_FRAME_PAYLOAD)

/**
 * Size of the first arena after the writer was idle: 2 KiB, room for a few
 * dozen control frames or small messages. An idle session keeps no arena of
 * this size or smaller, and bulk arenas (1 + MAX_SPARE_ARENAS at most) only until a small frame
 * starts a burst BULK_ARENA_IDLE_MS after the last bulk write (at the latest the keep-alive ping); each further arena of a
 * busy burst doubles, up to WRITE_ARENA_SIZE.
 */
export const IDLE_ARENA_SIZE = 2 * 1024

/**
 * How long after its last bulk write (a batch larger than IDLE_ARENA_SIZE) a
 * small frame drops the bulk arenas: 1 s. A bulk transfer goes idle between drains and sends Window
 * Updates in those gaps (a relay, forwarding both ways, does so constantly);
 * dropping the arenas at each of them made every burst start again at
 * IDLE_ARENA_SIZE and double its way up in fresh zeroed arrays (2026-12-03,
 * bench/relay-cpu.js: the relay allocated 46 MiB of arenas per 64 MiB
 * forwarded, 1 MiB with this rule). A session with no bulk write for this
 * long still drops them at its next small frame (at the latest the keep-alive
 * ping), however chatty it is with small ones.
 */
export const BULK_ARENA_IDLE_MS = 1_000

/**
 * Written arenas kept for reuse during a burst: 3. Streams that find the
 * queue below WRITE_HIGH_WATER_MARK in the same tick may each add a frame, so
 * a busy session has a few arenas queued at once; without spares each would
 * be a fresh zeroed 256 KiB allocation.
 */
export const MAX_SPARE_ARENAS = 3

/**
 * Bytes queued for the connection before writers must wait: 256 KiB. Enough
 * to keep a connection busy between two writes; small next to the windows.
 */
export const WRITE_HIGH_WATER_MARK = 256 * 1024

const EMPTY = /* @__PURE__ */ new Uint8Array(0)

interface Batch { bytes: Uint8Array, frames: number, arena: Uint8Array }
interface Waiter { upTo: number, resolve: () => void, reject: (err: Error) => void }

export class FrameWriter {
  readonly #connection: ByteStream
  readonly #onError: (err: Error) => void
  #arena: Uint8Array = EMPTY
  /** Fully written arenas of a busy burst, reused instead of new allocations (at most MAX_SPARE_ARENAS). */
  #spares: Uint8Array[] = []
  /** Start of the bytes in #arena not yet handed to the connection. */
  #start = 0
  #end = 0
  #arenaFrames = 0
  #sealed: Batch[] = []
  #unsentBytes = 0
  #enqueued = 0
  #written = 0
  #writing = false
  /** When a batch larger than IDLE_ARENA_SIZE was last written (performance.now()). */
  #bulkWrittenAt = 0
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
    // A small frame long after the last bulk write: not a bulk burst, so an idle session does not keep a bulk arena (the keep-alive ping gets here).
    if (!this.#writing && this.#arena.length > IDLE_ARENA_SIZE && size <= IDLE_ARENA_SIZE && performance.now() - this.#bulkWrittenAt >= BULK_ARENA_IDLE_MS) { this.#arena = EMPTY; this.#spares = [] }
    if (this.#end + size > this.#arena.length) {
      this.#seal()
      this.#arena = this.#nextArena(size)
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
      // A task later, not a microtask: every frame the current task's promise chain queues leaves in the same write.
      // (Tried for the relay's forwarding latency, 2026-12-03: a microtask instead, relay only changed,
      // bench/tools/relay-ab.js, two runs of 9 rounds on a loaded box — js peers 0.97× / 1.05× paired, no gain; kept the task.)
      runInNextTask(() => { void this.#writeLoop() })
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
    this.#arena = EMPTY
    this.#start = this.#end = this.#arenaFrames = 0
    this.#sealed = []
    this.#spares = []
    this.#unsentBytes = 0
    const flushWaiters = this.#flushWaiters
    const drainWaiters = this.#drainWaiters
    this.#flushWaiters = []
    this.#drainWaiters = []
    for (const w of flushWaiters) w.reject(err)
    for (const w of drainWaiters) w.reject(err)
  }

  /** An arena for at least `size` bytes, double the current one (at most WRITE_ARENA_SIZE): a spare if it is that large. */
  #nextArena (size: number): Uint8Array {
    const wanted = Math.max(size, Math.min(WRITE_ARENA_SIZE, Math.max(IDLE_ARENA_SIZE, 2 * this.#arena.length)))
    const spare = this.#spares.pop()
    // A spare smaller than the burst now wants is dropped, so a burst settles on a few full-size arenas taking turns.
    if (spare !== undefined && spare.length >= wanted) return spare
    return new Uint8Array(wanted)
  }

  #seal (): void {
    if (this.#end === this.#start) return
    this.#sealed.push({ bytes: this.#arena.subarray(this.#start, this.#end), frames: this.#arenaFrames, arena: this.#arena })
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
        if (batch.bytes.length > IDLE_ARENA_SIZE) this.#bulkWrittenAt = performance.now()
        // Batches leave in order: once one from an older arena is written, that arena is free.
        if (batch.arena !== this.#arena && (this.#sealed[0] === undefined || this.#sealed[0].arena !== batch.arena) && this.#spares.length < MAX_SPARE_ARENAS) this.#spares.push(batch.arena)
        this.#wake()
      }
      // Idle: everything was accepted, so the arena starts over. Bulk-sized
      // ones (and the spares) are kept for the next burst — a bulk writer goes
      // idle between drains — until a small frame comes BULK_ARENA_IDLE_MS after the last bulk write (above).
      this.#start = this.#end = 0
      // A small arena is cheap to make again: an idle session keeps none.
      if (this.#arena.length <= IDLE_ARENA_SIZE) this.#arena = EMPTY
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
