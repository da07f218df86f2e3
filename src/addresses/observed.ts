/**
 * Observed addresses (identify spec, `observedAddr`): what remote peers say
 * they saw as our address, each candidate with the set of peers that reported
 * it. Each peer votes for one candidate at a time, so no peer counts twice
 * and no peer holds more than one slot; at most `maxCandidates` are kept.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import { MAX_OBSERVED_CANDIDATES, OBSERVED_ADDR_CONFIRMATIONS } from './constants.js'

export interface ObservedCandidate {
  readonly multiaddr: Multiaddr
  /** Distinct peers reporting it (counted up to the confirmation threshold). */
  readonly reporters: number
  /** Reported by at least the confirmation threshold of distinct peers. */
  readonly confirmed: boolean
}

interface Entry { multiaddr: Multiaddr, reporters: Set<string>, lastSeen: number }

export class ObservedAddresses {
  readonly #entries = new Map<string, Entry>()
  readonly #confirmations: number
  readonly #maxCandidates: number
  #clock = 0

  constructor (options: { confirmations?: number, maxCandidates?: number } = {}) {
    this.#confirmations = options.confirmations ?? OBSERVED_ADDR_CONFIRMATIONS
    this.#maxCandidates = options.maxCandidates ?? MAX_OBSERVED_CANDIDATES
  }

  /** Records `reporter`'s vote for `addr`, moving its earlier vote if it had one. */
  add (addr: Multiaddr, reporter: string): void {
    const key = addr.toString()
    for (const [k, entry] of this.#entries) {
      if (k !== key && entry.reporters.delete(reporter) && entry.reporters.size === 0) this.#entries.delete(k)
    }
    let entry = this.#entries.get(key)
    if (entry === undefined) {
      if (this.#entries.size >= this.#maxCandidates) this.#evictWeakest()
      entry = { multiaddr: addr, reporters: new Set(), lastSeen: 0 }
      this.#entries.set(key, entry)
    }
    entry.lastSeen = ++this.#clock
    if (entry.reporters.size < this.#confirmations) entry.reporters.add(reporter)
  }

  /** Forgets a candidate (AutoNAT found it unreachable, or it no longer applies). */
  delete (addr: Multiaddr): void { this.#entries.delete(addr.toString()) }

  isConfirmed (addr: Multiaddr): boolean {
    return (this.#entries.get(addr.toString())?.reporters.size ?? 0) >= this.#confirmations
  }

  candidates (): ObservedCandidate[] {
    return [...this.#entries.values()].map(e => ({
      multiaddr: e.multiaddr, reporters: e.reporters.size, confirmed: e.reporters.size >= this.#confirmations
    }))
  }

  get size (): number { return this.#entries.size }

  /** Drops the candidate with the fewest reporters, the least recently reported among equals. */
  #evictWeakest (): void {
    let weakest: [string, Entry] | undefined
    for (const item of this.#entries) {
      const [, e] = item
      if (weakest === undefined || e.reporters.size < weakest[1].reporters.size ||
        (e.reporters.size === weakest[1].reporters.size && e.lastSeen < weakest[1].lastSeen)) weakest = item
    }
    if (weakest !== undefined) this.#entries.delete(weakest[0])
  }
}
