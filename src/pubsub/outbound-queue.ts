/**
 * One peer's long-lived outbound pubsub stream (gossipsub-v1.0.md: each peer
 * keeps one stream per direction; RPCs are varint length-prefixed). RPCs
 * queue here until the stream is negotiated, and are then written in order,
 * all that queued during a write coalesced into the next one. The queue is
 * capped at MAX_OUTBOUND_QUEUE_BYTES: a peer that does not read loses RPCs
 * (as gossip tolerates) rather than growing our memory.
 */
import { MAX_OUTBOUND_QUEUE_BYTES } from './constants.js'
import type { Stream } from '../stream/types.js'

export class OutboundQueue {
  #frames: Uint8Array[] = []
  #bytes = 0
  #stream: Stream | undefined
  #writing = false
  #closed = false
  readonly #maxBytes: number
  readonly #onError: (err: Error) => void

  constructor (onError: (err: Error) => void, maxBytes = MAX_OUTBOUND_QUEUE_BYTES) {
    this.#onError = onError
    this.#maxBytes = maxBytes
  }

  get attached (): boolean { return this.#stream !== undefined }
  get queuedBytes (): number { return this.#bytes }

  /** Queues one framed RPC; false when the queue is full or closed. */
  push (frame: Uint8Array): boolean {
    if (this.#closed || this.#bytes + frame.length > this.#maxBytes) return false
    this.#frames.push(frame)
    this.#bytes += frame.length
    this.#kick()
    return true
  }

  attach (stream: Stream): void {
    this.#stream = stream
    this.#kick()
  }

  /** Forgets the stream (it failed); queued frames wait for the next one. */
  detach (): void { this.#stream = undefined }

  close (): void {
    this.#closed = true
    this.#frames = []
    this.#bytes = 0
    const stream = this.#stream
    this.#stream = undefined
    if (stream !== undefined) stream.close().catch(() => { stream.abort(new Error('pubsub stream closed')) })
  }

  #kick (): void {
    if (this.#writing || this.#stream === undefined || this.#frames.length === 0) return
    this.#writing = true
    // Tried and dropped (bench/pubsub-swarm.js, 2026-12-02): starting the first write a microtask
    // later, so an IDONTWANT and the message forwarded right after it leave as one write. CPU per
    // message and msg/s did not move beyond the noise of this shared box, bytes per delivery rose ~1 %.
    void this.#drain()
  }

  async #drain (): Promise<void> {
    try {
      while (this.#frames.length > 0 && this.#stream !== undefined) {
        const frames = this.#frames
        this.#frames = []
        let chunk: Uint8Array
        if (frames.length === 1) chunk = frames[0]!
        else {
          chunk = new Uint8Array(this.#bytes)
          let at = 0
          for (const f of frames) { chunk.set(f, at); at += f.length }
        }
        this.#bytes = 0
        await this.#stream.write(chunk)
      }
    } catch (err) {
      this.#stream = undefined
      if (!this.#closed) this.#onError(err as Error)
    } finally {
      this.#writing = false
    }
    this.#kick()
  }
}
