/**
 * Stream reuse for outbound DHT requests. The spec lets a requester send further
 * requests on a stream once the previous response arrived (kad-dht spec "RPC messages";
 * our own server, rpc.ts `serveStream`, answers up to MAX_REQUESTS_PER_STREAM per
 * stream). Opening a stream costs a multistream-select round trip before the request
 * can go out, so a lookup that reuses an idle stream to a peer halves its round trips.
 *
 * One idle stream per peer is kept, for at most POOLED_STREAM_IDLE_MS; a stream that
 * fails on reuse (the server closed it meanwhile) is dropped and the request is retried
 * once on a fresh stream. ADD_PROVIDER, which has no response, always uses a fresh one.
 */
import { ByteReader } from '../stream/byte-reader.js'
import type { Stream } from '../stream/types.js'
import { DhtMessageError, type DhtMessage, MessageType } from './message.js'
import { frameMessage, MAX_REQUESTS_PER_STREAM, readMessage, requestOverStream } from './rpc.js'

/**
 * How long an idle stream is kept for reuse: 5 s, half our server's
 * INBOUND_REQUEST_TIMEOUT_MS (10 s), so a wasp2p server has not yet given up on it.
 */
export const POOLED_STREAM_IDLE_MS = 5_000

/** Idle streams kept at once, over all peers: 1,024 (each holds a yamux stream and a timer). */
export const MAX_POOLED_STREAMS = 1024

interface Pooled {
  readonly stream: Stream
  readonly reader: ByteReader
  uses: number
  timer: ReturnType<typeof setTimeout>
}

/** Opens a fresh stream for the DHT protocol to the peer. */
export type OpenStream = (signal: AbortSignal) => Promise<Stream>

export class StreamPool {
  readonly #idle = new Map<string, Pooled>()
  #closed = false

  /** Sends `message` to the peer (`peerKey` identifies it) and reads the response. */
  async request (peerKey: string, open: OpenStream, message: DhtMessage, signal: AbortSignal): Promise<DhtMessage | undefined> {
    if (message.type === MessageType.ADD_PROVIDER) return await requestOverStream(await open(signal), message, signal)
    const pooled = this.#idle.get(peerKey)
    if (pooled !== undefined) {
      this.#idle.delete(peerKey)
      clearTimeout(pooled.timer)
      try {
        return await this.#exchange(peerKey, pooled, message, signal)
      } catch (err) {
        if (signal.aborted) throw err
        // The server closed the stream while it sat idle: try once more on a fresh one.
      }
    }
    const stream = await open(signal)
    return await this.#exchange(peerKey, { stream, reader: new ByteReader(stream), uses: 0, timer: undefined as unknown as ReturnType<typeof setTimeout> }, message, signal)
  }

  async #exchange (peerKey: string, entry: Pooled, message: DhtMessage, signal: AbortSignal): Promise<DhtMessage> {
    const { stream } = entry
    const onAbort = (): void => { stream.abort(signal.reason instanceof Error ? signal.reason : new Error('request aborted')) }
    if (signal.aborted) { onAbort(); throw signal.reason }
    signal.addEventListener('abort', onAbort, { once: true })
    let response: DhtMessage | undefined
    try {
      await stream.write(frameMessage(message))
      response = await readMessage(entry.reader)
      if (response === undefined) throw new DhtMessageError('stream closed without a response')
    } catch (err) {
      stream.abort(err instanceof Error ? err : new Error(String(err)))
      throw err
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
    entry.uses++
    this.#release(peerKey, entry)
    return response
  }

  /** Keeps the stream for the next request to this peer, or closes it. */
  #release (peerKey: string, entry: Pooled): void {
    // Our server serves MAX_REQUESTS_PER_STREAM per stream; stop one short of it.
    if (this.#closed || entry.uses >= MAX_REQUESTS_PER_STREAM - 1 || this.#idle.has(peerKey) || this.#idle.size >= MAX_POOLED_STREAMS) {
      entry.stream.close().catch(() => {})
      return
    }
    entry.timer = setTimeout(() => {
      if (this.#idle.get(peerKey) === entry) this.#idle.delete(peerKey)
      entry.stream.close().catch(() => {})
    }, POOLED_STREAM_IDLE_MS)
    this.#idle.set(peerKey, entry)
  }

  /** Closes every idle stream; later requests open fresh streams and close them after use. */
  close (): void {
    this.#closed = true
    for (const entry of this.#idle.values()) {
      clearTimeout(entry.timer)
      entry.stream.close().catch(() => {})
    }
    this.#idle.clear()
  }
}
