/**
 * Datastore writes of a synchronous in-memory store, run one at a time in the
 * order of the changes (so a delete never overtakes the put before it); a
 * failure is kept for the next flush() rather than lost or thrown at random.
 */
export class WriteChain {
  #tail: Promise<void> = Promise.resolve()
  #failure: unknown

  enqueue (write: () => Promise<void>): void {
    this.#tail = this.#tail.then(write).catch(err => { this.#failure ??= err })
  }

  async flush (): Promise<void> {
    await this.#tail
    const failure = this.#failure
    this.#failure = undefined
    if (failure !== undefined) throw failure
  }
}
