/**
 * The message cache (gossipsub-v1.0.md "Message Cache"): the messages of the
 * last `mcache_len` heartbeats, in windows, so IWANT can be answered and the
 * last `mcache_gossip` windows advertised in IHAVE. `shift()` (each heartbeat)
 * opens a new window and forgets the oldest. Also counts how often each
 * message was served to each peer by IWANT (v1.1 "Spam Protection":
 * GOSSIP_RETRANSMISSION), and is capped at MAX_MCACHE_MESSAGES.
 */
import { MAX_MCACHE_MESSAGES, MCACHE_GOSSIP, MCACHE_LENGTH } from './constants.js'
import type { RpcMessage } from './rpc.js'

interface Entry { message: RpcMessage, id: Uint8Array, served: Map<string, number> }

export class MessageCache {
  readonly #entries = new Map<string, Entry>()
  readonly #windows: Array<Array<{ key: string, topic: string }>> = [[]]
  readonly #length: number
  readonly #gossip: number
  readonly #max: number

  constructor (options: { length?: number, gossip?: number, maxMessages?: number } = {}) {
    this.#length = options.length ?? MCACHE_LENGTH
    this.#gossip = options.gossip ?? MCACHE_GOSSIP
    this.#max = options.maxMessages ?? MAX_MCACHE_MESSAGES
    if (this.#gossip > this.#length) throw new RangeError('mcache_gossip must not exceed mcache_len')
  }

  get size (): number { return this.#entries.size }

  /** Adds a validated message to the current window; false if it was already cached. */
  put (key: string, id: Uint8Array, message: RpcMessage): boolean {
    if (this.#entries.has(key)) return false
    if (this.#entries.size >= this.#max) this.#evictOldest()
    this.#entries.set(key, { message, id, served: new Map() })
    this.#windows[0]!.push({ key, topic: message.topic })
    return true
  }

  has (key: string): boolean { return this.#entries.has(key) }

  get (key: string): RpcMessage | undefined { return this.#entries.get(key)?.message }

  /** The message for an IWANT from `peer`, and how many times it has now been served to that peer. */
  getForPeer (key: string, peer: string): { message: RpcMessage, count: number } | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    const count = (entry.served.get(peer) ?? 0) + 1
    entry.served.set(peer, count)
    return { message: entry.message, count }
  }

  /** Ids of `topic`'s messages in the gossip windows, newest first. */
  getGossipIds (topic: string): Uint8Array[] {
    const ids: Uint8Array[] = []
    for (let w = 0; w < Math.min(this.#gossip, this.#windows.length); w++) {
      for (const { key, topic: t } of this.#windows[w]!) {
        if (t !== topic) continue
        const entry = this.#entries.get(key)
        if (entry !== undefined) ids.push(entry.id)
      }
    }
    return ids
  }

  /** A new window; the oldest beyond `mcache_len` is forgotten. */
  shift (): void {
    this.#windows.unshift([])
    while (this.#windows.length > this.#length) {
      for (const { key } of this.#windows.pop()!) this.#entries.delete(key)
    }
  }

  #evictOldest (): void {
    for (let w = this.#windows.length - 1; w >= 0; w--) {
      const window = this.#windows[w]!
      const oldest = window.shift()
      if (oldest !== undefined) { this.#entries.delete(oldest.key); return }
    }
  }
}
