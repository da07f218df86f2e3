/**
 * The bytes one connection's streams may hold for their readers, together
 * (CONNECTION_RECEIVE_BUFFER): data channels have no flow control, so this
 * shared count is what bounds a remote that sends and never sees it read.
 */
import { CONNECTION_RECEIVE_BUFFER } from './constants.js'

export class ReceiveBudget {
  readonly limit: number
  #used = 0

  constructor (limit: number = CONNECTION_RECEIVE_BUFFER) { this.limit = limit }

  get used (): number { return this.#used }

  /** Takes `n` bytes of the budget; false (and nothing taken) if they do not fit. */
  reserve (n: number): boolean {
    if (this.#used + n > this.limit) return false
    this.#used += n
    return true
  }

  release (n: number): void {
    this.#used = Math.max(0, this.#used - n)
  }
}
