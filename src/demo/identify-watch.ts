/**
 * Waits for the node's own identify of a peer (its `peer:identify` event),
 * so the demo learns a peer's agent and protocols without opening a second
 * identify stream. Listening starts at construction, before any dial, so no
 * result can slip past.
 */
import type { Wasp2pNode } from '../node/node.js'
import type { IdentifyResult } from '../protocols/identify/types.js'

export class IdentifyTimeoutError extends Error {
  override name = 'IdentifyTimeoutError'
}

export class IdentifyWatch {
  readonly #latest = new Map<string, IdentifyResult>()
  readonly #waiting = new Map<string, Array<(result: IdentifyResult) => void>>()

  constructor (node: Wasp2pNode) {
    node.addEventListener('peer:identify', event => {
      const result = (event as CustomEvent<IdentifyResult>).detail
      const peer = result.peerId.toString()
      this.#latest.set(peer, result)
      for (const resolve of this.#waiting.get(peer)?.splice(0) ?? []) resolve(result)
    })
  }

  /**
   * The identify result of `peer`'s current connection: the latest one seen
   * (consumed, so a redial waits for a fresh one), or the next to arrive.
   */
  async next (peer: string, timeoutMs: number): Promise<IdentifyResult> {
    const seen = this.#latest.get(peer)
    if (seen !== undefined) { this.#latest.delete(peer); return seen }
    return await new Promise((resolve, reject) => {
      const list = this.#waiting.get(peer) ?? []
      this.#waiting.set(peer, list)
      const timer = setTimeout(() => {
        list.splice(list.indexOf(done), 1)
        reject(new IdentifyTimeoutError(`${peer} was not identified within ${timeoutMs} ms`))
      }, timeoutMs)
      const done = (result: IdentifyResult): void => {
        clearTimeout(timer)
        this.#latest.delete(peer)
        resolve(result)
      }
      list.push(done)
    })
  }
}
