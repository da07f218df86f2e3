/**
 * Open circuits through the relay, counted per peer (either end) and in
 * total, so that RESOURCE_LIMIT_EXCEEDED (circuit-v2.md "Connection
 * Initiation": "too many relayed connections from the initiator or to the
 * target peer") is decided before the relay opens a stop stream.
 */
import { MAX_CIRCUITS, MAX_CIRCUITS_PER_PEER } from '../constants.js'

export class CircuitCounter {
  readonly #perPeer = new Map<string, number>()
  readonly #maxPerPeer: number
  readonly #max: number
  #total = 0

  constructor (maxPerPeer = MAX_CIRCUITS_PER_PEER, max = MAX_CIRCUITS) {
    this.#maxPerPeer = maxPerPeer
    this.#max = max
  }

  get total (): number { return this.#total }

  /** Counts a circuit between `a` and `b`; undefined if a limit is reached, else the release function. */
  acquire (a: string, b: string): (() => void) | undefined {
    if (this.#total >= this.#max) return undefined
    if ((this.#perPeer.get(a) ?? 0) >= this.#maxPerPeer || (this.#perPeer.get(b) ?? 0) >= this.#maxPerPeer) return undefined
    this.#total++
    this.#add(a, 1)
    this.#add(b, 1)
    let released = false
    return () => {
      if (released) return
      released = true
      this.#total--
      this.#add(a, -1)
      this.#add(b, -1)
    }
  }

  #add (peer: string, delta: number): void {
    const n = (this.#perPeer.get(peer) ?? 0) + delta
    if (n <= 0) this.#perPeer.delete(peer); else this.#perPeer.set(peer, n)
  }
}
