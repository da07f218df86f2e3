/**
 * Per-peer rate limit on inbound DHT requests. A FIND_NODE costs the server a kernel
 * call and an answer of up to k peers; a peer that floods them (on one stream or on
 * many) would otherwise take the server's CPU from everyone else. Each remote peer gets
 * a token bucket; a request without a token ends its stream with DhtRateLimitError.
 */
import { mapKeyOf } from './contact.js'

/**
 * Requests a peer may send in a burst: 200. An honest node's lookups send a peer one
 * request each, and a 100-node swarm's refresh sends a peer a few dozen; 200 leaves room.
 */
export const INBOUND_REQUEST_BURST = 200

/** Sustained requests per second per peer: 100 (tokens refill at this rate). */
export const INBOUND_REQUESTS_PER_SECOND = 100

/**
 * Peers tracked at once: 4,096. Past it the bucket of the least recently seen peer is
 * dropped (a dropped peer starts again with a full burst), so memory stays bounded.
 */
export const MAX_RATE_LIMITED_PEERS = 4096

export class DhtRateLimitError extends Error {
  override name = 'DhtRateLimitError'
}

interface Bucket { tokens: number, at: number }

export interface RateLimiterOptions {
  burst?: number
  perSecond?: number
  maxPeers?: number
  /** Clock, for tests. Default Date.now. */
  now?: () => number
}

export class InboundRateLimiter {
  readonly #buckets = new Map<string, Bucket>()
  readonly #burst: number
  readonly #perSecond: number
  readonly #maxPeers: number
  readonly #now: () => number

  constructor (options: RateLimiterOptions = {}) {
    this.#burst = options.burst ?? INBOUND_REQUEST_BURST
    this.#perSecond = options.perSecond ?? INBOUND_REQUESTS_PER_SECOND
    this.#maxPeers = options.maxPeers ?? MAX_RATE_LIMITED_PEERS
    this.#now = options.now ?? Date.now
  }

  /** Takes one token for the peer (PeerId multihash); false when it has none left. */
  take (peer: Uint8Array): boolean {
    const id = mapKeyOf(peer)
    const now = this.#now()
    let bucket = this.#buckets.get(id)
    if (bucket === undefined) {
      bucket = { tokens: this.#burst, at: now }
      if (this.#buckets.size >= this.#maxPeers) this.#buckets.delete(this.#buckets.keys().next().value!)
    } else {
      this.#buckets.delete(id) // re-inserted below: Map order is recency order
      bucket.tokens = Math.min(this.#burst, bucket.tokens + (now - bucket.at) * this.#perSecond / 1000)
      bucket.at = now
    }
    this.#buckets.set(id, bucket)
    if (bucket.tokens < 1) return false
    bucket.tokens--
    return true
  }
}
