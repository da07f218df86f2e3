/**
 * The seen cache (gossipsub-v1.0.md "Message Cache": `seen`): ids of messages
 * we processed recently, so a message that comes back is dropped and an IHAVE
 * for it is not answered by IWANT. Time-bounded (`seen_ttl`) and size-bounded
 * (MAX_SEEN_ENTRIES): ids are kept in insertion order, which is expiry order,
 * so pruning pops from the front.
 */
import { MAX_SEEN_ENTRIES, SEEN_TTL_MS } from './constants.js'

export class SeenCache {
  readonly #expires = new Map<string, number>()
  readonly #ttlMs: number
  readonly #maxEntries: number
  readonly #now: () => number

  constructor (options: { ttlMs?: number, maxEntries?: number, now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? SEEN_TTL_MS
    this.#maxEntries = options.maxEntries ?? MAX_SEEN_ENTRIES
    this.#now = options.now ?? Date.now
  }

  get size (): number { return this.#expires.size }

  has (id: string): boolean {
    const expires = this.#expires.get(id)
    return expires !== undefined && expires > this.#now()
  }

  /** Adds `id`; false when it was already there (and unexpired). */
  add (id: string): boolean {
    if (this.has(id)) return false
    this.#expires.delete(id) // an expired entry re-enters at the back, keeping the order by expiry
    this.#expires.set(id, this.#now() + this.#ttlMs)
    while (this.#expires.size > this.#maxEntries) {
      const oldest = this.#expires.keys().next().value as string
      this.#expires.delete(oldest)
    }
    return true
  }

  delete (id: string): void { this.#expires.delete(id) }

  /** Drops expired ids (called each heartbeat). */
  prune (): void {
    const now = this.#now()
    for (const [id, expires] of this.#expires) {
      if (expires > now) break
      this.#expires.delete(id)
    }
  }
}
