/**
 * Per-host token bucket for inbound connections: each host starts with
 * `burst` tokens, gains `perSecond` tokens a second up to `burst`, and each
 * accepted connection spends one. The table of hosts is bounded; the least
 * recently seen host is forgotten first (it then starts again with a full
 * bucket, which errs on the side of accepting).
 */
import { MAX_RATE_LIMITED_HOSTS } from './constants.js'

interface Bucket { tokens: number, at: number }

export class HostRateLimiter {
  readonly #perSecond: number
  readonly #burst: number
  readonly #maxHosts: number
  readonly #buckets = new Map<string, Bucket>()

  constructor (perSecond: number, burst: number, maxHosts = MAX_RATE_LIMITED_HOSTS) {
    if (!(perSecond >= 0) || !(burst >= 1)) throw new RangeError('rate must be >= 0 and burst >= 1')
    this.#perSecond = perSecond
    this.#burst = burst
    this.#maxHosts = maxHosts
  }

  /** Spends a token for `host`; false when it has none left. */
  take (host: string, now = Date.now()): boolean {
    let bucket = this.#buckets.get(host)
    if (bucket === undefined) {
      bucket = { tokens: this.#burst, at: now }
      if (this.#buckets.size >= this.#maxHosts) {
        const oldest = this.#buckets.keys().next().value
        if (oldest !== undefined) this.#buckets.delete(oldest)
      }
    } else {
      this.#buckets.delete(host) // re-inserted below: Map order is recency order
      bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.at) / 1000 * this.#perSecond)
      bucket.at = now
    }
    this.#buckets.set(host, bucket)
    if (bucket.tokens < 1) return false
    bucket.tokens -= 1
    return true
  }

  get trackedHosts (): number { return this.#buckets.size }
}
