/**
 * The dial queue: at most `concurrency` dial jobs run at once, at most
 * `maxQueued` wait, and concurrent dials with the same key (a peer id, or an
 * address when the peer is unknown) share one job, so ten simultaneous
 * `dial(peer)` calls make one connection. Each job runs under a timeout; a
 * caller's own AbortSignal ends only that caller's wait, never the shared job.
 */
import { DialQueueFullError, DialTimeoutError } from './errors.js'

type Job<T> = (signal: AbortSignal) => Promise<T>

export interface DialQueueInit {
  concurrency: number
  maxQueued: number
  timeoutMs: number
}

export class DialQueue {
  readonly #init: DialQueueInit
  readonly #pending = new Map<string, Promise<unknown>>()
  readonly #waiting: Array<{ resolve: () => void, reject: (err: Error) => void }> = []
  readonly #controllers = new Set<AbortController>()
  #active = 0

  constructor (init: DialQueueInit) {
    if (!(init.concurrency >= 1)) throw new RangeError('dial concurrency must be >= 1')
    this.#init = init
  }

  /** Jobs running plus jobs waiting for a slot. */
  get size (): number { return this.#active + this.#waiting.length }

  /** Runs `job` for `key`, or joins the job already running for it. */
  async run<T> (key: string, job: Job<T>, signal?: AbortSignal): Promise<T> {
    let shared = this.#pending.get(key) as Promise<T> | undefined
    if (shared === undefined) {
      if (this.#waiting.length >= this.#init.maxQueued) throw new DialQueueFullError(`${this.#waiting.length} dials already queued`)
      shared = this.#schedule(job).finally(() => { this.#pending.delete(key) })
      // Joiners may all leave early; the shared job's failure must not go unhandled.
      shared.catch(() => {})
      this.#pending.set(key, shared)
    }
    return await raceSignal(shared, signal)
  }

  async #schedule<T> (job: Job<T>): Promise<T> {
    if (this.#active >= this.#init.concurrency) await new Promise<void>((resolve, reject) => { this.#waiting.push({ resolve, reject }) })
    this.#active++
    const controller = new AbortController()
    this.#controllers.add(controller)
    const timeoutMs = this.#init.timeoutMs
    const timer = setTimeout(() => { controller.abort(new DialTimeoutError(`dial took longer than ${timeoutMs} ms`)) }, timeoutMs)
    try {
      return await raceSignal(job(controller.signal), controller.signal)
    } finally {
      clearTimeout(timer)
      this.#controllers.delete(controller)
      this.#active--
      this.#waiting.shift()?.resolve()
    }
  }

  /** Aborts every running job with `err` and fails every waiting one. */
  abortAll (err: Error): void {
    for (const controller of this.#controllers) controller.abort(err)
    for (const waiter of this.#waiting.splice(0)) waiter.reject(err)
  }
}

/** `promise`, or the signal's reason if it aborts first. */
async function raceSignal<T> (promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return await promise
  if (signal.aborted) throw signal.reason
  let onAbort: (() => void) | undefined
  try {
    return await Promise.race([promise, new Promise<never>((_resolve, reject) => {
      onAbort = () => { reject(signal.reason) }
      signal.addEventListener('abort', onAbort, { once: true })
    })])
  } finally {
    if (onAbort !== undefined) signal.removeEventListener('abort', onAbort)
  }
}
