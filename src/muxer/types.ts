/**
 * Stream-muxer contract: many streams over one secured connection.
 * Implemented by src/muxer/yamux/.
 */
import type { ByteStream, Stream } from '../stream/types.js'

export interface StreamMuxerOptions {
  direction: 'inbound' | 'outbound'
  /** Called for each stream the remote opens. */
  onIncomingStream: (stream: Stream) => void
  /** Called once when the muxer has closed (gracefully or not). */
  onClose?: (err?: Error) => void
  /** Called once for each stream when the muxer forgets it (both sides closed, reset, or the session ended). */
  onStreamEnd?: (stream: Stream) => void
  /** The connection's receive budget: unread received bytes are reserved here (src/resources). */
  memory?: MemoryBudget
}

/**
 * Where a muxer reserves the bytes it has received and its readers have not
 * taken yet. A refusal comes back as the error to reset the stream with.
 */
export interface MemoryBudget {
  reserveMemory: (bytes: number) => Error | undefined
  releaseMemory: (bytes: number) => void
  /** Bytes that may still be reserved; windows grow only within it. */
  memoryHeadroom: () => number
}

export interface StreamMuxer {
  readonly protocol: string
  readonly streams: readonly Stream[]
  /** `signal` abandons the wait for an opening slot (the muxer may hold new streams back while unacknowledged ones pile up). */
  newStream: (options?: { signal?: AbortSignal }) => Promise<Stream>
  /** Graceful: GoAway, wait for open streams up to a timeout, then close the underlying stream. */
  close: (options?: { signal?: AbortSignal }) => Promise<void>
  abort: (err: Error) => void
}

export interface StreamMuxerFactory {
  /** The multistream protocol id, e.g. '/yamux/1.0.0'. */
  readonly protocol: string
  create: (connection: ByteStream, options: StreamMuxerOptions) => StreamMuxer
}
