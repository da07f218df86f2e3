/**
 * The server's admission: fixed windows of AUTONAT_SERVER_RATE_WINDOW_MS with
 * a per-peer and a global count, and a cap on dial-backs in progress. The
 * per-peer map is emptied at each window, so it never holds more peers than
 * asked within one window (itself at most the global count).
 */
import {
  AUTONAT_SERVER_MAX_CONCURRENT_DIAL_BACKS, AUTONAT_SERVER_MAX_REQUESTS_PER_PEER,
  AUTONAT_SERVER_MAX_REQUESTS_PER_WINDOW, AUTONAT_SERVER_RATE_WINDOW_MS
} from './constants.js'

export interface AdmissionOptions {
  /** Default AUTONAT_SERVER_MAX_REQUESTS_PER_PEER. */
  maxRequestsPerPeer?: number
  /** Default AUTONAT_SERVER_MAX_REQUESTS_PER_WINDOW. */
  maxRequestsPerWindow?: number
  /** Default AUTONAT_SERVER_RATE_WINDOW_MS. */
  rateWindowMs?: number
  /** Default AUTONAT_SERVER_MAX_CONCURRENT_DIAL_BACKS. */
  maxConcurrentDialBacks?: number
}

export class Admission {
  readonly #perPeer = new Map<string, number>()
  readonly #maxPerPeer: number
  readonly #maxPerWindow: number
  readonly #windowMs: number
  readonly #maxConcurrent: number
  #windowStart = 0
  #inWindow = 0
  #active = 0

  constructor (options: AdmissionOptions = {}) {
    this.#maxPerPeer = options.maxRequestsPerPeer ?? AUTONAT_SERVER_MAX_REQUESTS_PER_PEER
    this.#maxPerWindow = options.maxRequestsPerWindow ?? AUTONAT_SERVER_MAX_REQUESTS_PER_WINDOW
    this.#windowMs = options.rateWindowMs ?? AUTONAT_SERVER_RATE_WINDOW_MS
    this.#maxConcurrent = options.maxConcurrentDialBacks ?? AUTONAT_SERVER_MAX_CONCURRENT_DIAL_BACKS
  }

  /** Counts a request from `peer`; the reason it is refused, or undefined with a slot held until `release()`. */
  admit (peer: string): string | undefined {
    const now = Date.now()
    if (now - this.#windowStart >= this.#windowMs) {
      this.#windowStart = now
      this.#inWindow = 0
      this.#perPeer.clear()
    }
    const count = this.#perPeer.get(peer) ?? 0
    if (count >= this.#maxPerPeer) return `more than ${this.#maxPerPeer} requests from ${peer} in ${this.#windowMs} ms`
    if (this.#inWindow >= this.#maxPerWindow) return `more than ${this.#maxPerWindow} requests in ${this.#windowMs} ms`
    if (this.#active >= this.#maxConcurrent) return `${this.#maxConcurrent} dial-backs already in progress`
    this.#perPeer.set(peer, count + 1)
    this.#inWindow++
    this.#active++
    return undefined
  }

  release (): void { this.#active-- }

  get active (): number { return this.#active }
}
