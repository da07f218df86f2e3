/**
 * Limits and timings of the yamux muxer. Each bounds memory or work an
 * untrusted remote can make us spend, or sets a protocol default.
 */

/** The window every stream starts with in both directions: 256 KiB, fixed by the spec ("Flow Control"). */
export const INITIAL_STREAM_WINDOW = 256 * 1024

/**
 * Auto-tuning grows a stream's receive window up to this: 16 MiB. Enough for
 * ~1.3 Gbit/s at 100 ms RTT on one stream; it is also the most inbound data
 * one stream may buffer, so it bounds memory per stream.
 */
export const MAX_STREAM_WINDOW = 16 * 1024 * 1024

/**
 * Largest Data payload we send in one frame: 64 KiB. Small enough that one
 * stream's bulk write cannot delay other streams' frames for long, large
 * enough that the 12-byte header is noise. (js-libp2p uses the same.)
 */
export const MAX_OUTBOUND_FRAME_PAYLOAD = 64 * 1024

/**
 * Largest Data frame we accept: MAX_STREAM_WINDOW (it follows the
 * `maxStreamWindow` option). No stream window is ever larger, so anything
 * longer would overflow a window anyway; rejecting at the header stops a
 * remote from making us wait on a 4 GiB payload.
 */
export const MAX_INBOUND_FRAME_PAYLOAD = MAX_STREAM_WINDOW

/**
 * Open streams per session, both directions together: 1024 (js-libp2p allows
 * about as many). More inbound → RST; outbound → TooManyStreamsError. With
 * unread streams each holding at most one window, the inbound data a session
 * can buffer is bounded by MAX_STREAMS × INITIAL_STREAM_WINDOW (256 MiB) —
 * windows only grow for readers that keep up. Lower it where memory is tight.
 */
export const MAX_STREAMS = 1024

/**
 * Streams we open on a new session before the remote has shown that its side
 * is listening: 8. js-libp2p's muxer aborts the whole connection when more
 * than 10 streams (its `maxEarlyStreams`) arrive before its connection has
 * attached the stream listener — the short gap after its upgrade creates the
 * muxer. So our 9th stream waits until the remote opens a stream itself,
 * sends data or window on one of ours (its application has the stream), or
 * EARLY_STREAMS_HOLD_TIMEOUT_MS passes. 0 disables the hold.
 */
export const MAX_EARLY_STREAMS = 8

/**
 * The longest the early-stream hold lasts: 2 s from the session's start. The
 * gap it covers is a few event-loop turns on the remote; a remote that
 * neither answers nor opens anything for this long is taken to be listening,
 * so a quiet remote costs a burst of new streams at most this once.
 */
export const EARLY_STREAMS_HOLD_TIMEOUT_MS = 2_000

/**
 * ACK backlog (spec, "ACK backlog & backpressure"): at most 256 streams we
 * opened may await the remote's ACK; newStream() waits beyond that.
 */
export const MAX_ACK_BACKLOG = 256
/**
 * How long `newStream()` without a signal waits for the remote to acknowledge
 * one of the MAX_ACK_BACKLOG streams in flight: 10 s. A remote that withholds
 * ACKs must not park our callers forever.
 */
export const ACK_BACKLOG_WAIT_TIMEOUT_MS = 10_000

/**
 * Frames that move no data — Pings, zero-delta window updates, empty data
 * frames without flags, frames for unknown streams — tolerated per second:
 * 1000. A well-behaved peer sends a handful; a flood costs us CPU and
 * (for pings) outbound replies, so beyond this it is a protocol error.
 */
export const MAX_IDLE_FRAMES_PER_SECOND = 1000

/**
 * Control frames we owe the remote in answer to its frames (ACKs, refusing
 * RSTs, pong replies) that may wait unsent: 1 MiB. Each costs us 12 bytes
 * for a frame that cost the remote about as much; a remote that keeps sending
 * but never reads would otherwise grow our outbound queue without limit.
 * Beyond this the session ends with Go Away (protocol error).
 */
export const MAX_UNSENT_CONTROL_BYTES = 1024 * 1024

/**
 * How long the read loop pauses, after a chunk that left control frames
 * queued behind a full outbound queue, for that queue to drain: 1 s. Pausing
 * pushes the cost of a non-reading remote back onto it; the pause is bounded
 * (reading then resumes, and MAX_UNSENT_CONTROL_BYTES bounds memory) so two
 * peers both stuck writing cannot deadlock each other.
 */
export const READ_PAUSE_TIMEOUT_MS = 1_000

/**
 * Ping replies queued and not yet written, at most: 16. A remote that keeps
 * pinging without reading what we send gets no more replies buffered; the
 * pings beyond are left unanswered (and still count toward the flood limit).
 */
export const MAX_PENDING_PING_REPLIES = 16

/** Interval of keep-alive pings, which also refresh the RTT estimate: 30 s. 0 disables. */
export const KEEP_ALIVE_INTERVAL_MS = 30_000

/** Graceful close: how long close() waits for open streams to finish before aborting them: 5 s. */
export const CLOSE_TIMEOUT_MS = 5_000

/**
 * Stream close()/closeWrite(): how long flushing our FIN (and, for close(), the
 * remote's FIN) may take before the stream is reset: 5 s. Without it a remote
 * that stops reading would hold the stream and its caller for ever.
 */
export const STREAM_CLOSE_TIMEOUT_MS = 5_000

/**
 * How long one write() may wait without any of it being taken — the send
 * window stays at zero, or the connection's queue stays over its high-water
 * mark — before the stream is reset with WriteTimeoutError: 30 s. A remote
 * that stops reading (and so never returns window) would otherwise park the
 * writer, its buffer and the stream for ever; a merely slow remote makes
 * progress and never hits it. 0 disables.
 */
export const STREAM_WRITE_TIMEOUT_MS = 30_000

/** How long a Go Away may take to reach the connection before we abort it anyway: 1 s. */
export const GO_AWAY_FLUSH_TIMEOUT_MS = 1_000

export interface YamuxOptions {
  /** Default MAX_STREAMS. */
  maxStreams?: number
  /** Default MAX_STREAM_WINDOW. Set to INITIAL_STREAM_WINDOW to disable auto-tuning. */
  maxStreamWindow?: number
  /** Default KEEP_ALIVE_INTERVAL_MS; 0 disables keep-alive pings. */
  keepAliveInterval?: number
  /** Default CLOSE_TIMEOUT_MS. */
  closeTimeout?: number
  /** Default STREAM_CLOSE_TIMEOUT_MS. */
  streamCloseTimeout?: number
  /** Default STREAM_WRITE_TIMEOUT_MS; 0 disables. */
  streamWriteTimeout?: number
  /** Default MAX_EARLY_STREAMS; 0 disables the hold. */
  maxEarlyStreams?: number
  /** Default MAX_IDLE_FRAMES_PER_SECOND. */
  maxIdleFramesPerSecond?: number
  /** Default MAX_UNSENT_CONTROL_BYTES. */
  maxUnsentControlBytes?: number
}

export interface ResolvedYamuxOptions {
  /** MAX_INBOUND_FRAME_PAYLOAD, or maxStreamWindow when that is set. */
  maxInboundFramePayload: number
  maxStreams: number
  maxStreamWindow: number
  keepAliveInterval: number
  closeTimeout: number
  streamCloseTimeout: number
  streamWriteTimeout: number
  maxEarlyStreams: number
  maxIdleFramesPerSecond: number
  maxUnsentControlBytes: number
}

function positiveInteger (value: number | undefined, fallback: number, name: string, min = 1): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`yamux: ${name} must be an integer ≥ ${min}; got ${value}`)
  return value
}

export function resolveOptions (options: YamuxOptions = {}): ResolvedYamuxOptions {
  const maxStreamWindow = positiveInteger(options.maxStreamWindow, MAX_STREAM_WINDOW, 'maxStreamWindow', INITIAL_STREAM_WINDOW)
  if (maxStreamWindow > 0xffffffff) throw new RangeError('yamux: maxStreamWindow must fit in 32 bits')
  return {
    maxInboundFramePayload: options.maxStreamWindow === undefined ? MAX_INBOUND_FRAME_PAYLOAD : maxStreamWindow,
    maxStreams: positiveInteger(options.maxStreams, MAX_STREAMS, 'maxStreams'),
    maxStreamWindow,
    keepAliveInterval: positiveInteger(options.keepAliveInterval, KEEP_ALIVE_INTERVAL_MS, 'keepAliveInterval', 0),
    closeTimeout: positiveInteger(options.closeTimeout, CLOSE_TIMEOUT_MS, 'closeTimeout', 0),
    streamCloseTimeout: positiveInteger(options.streamCloseTimeout, STREAM_CLOSE_TIMEOUT_MS, 'streamCloseTimeout', 0),
    streamWriteTimeout: positiveInteger(options.streamWriteTimeout, STREAM_WRITE_TIMEOUT_MS, 'streamWriteTimeout', 0),
    maxEarlyStreams: positiveInteger(options.maxEarlyStreams, MAX_EARLY_STREAMS, 'maxEarlyStreams', 0),
    maxIdleFramesPerSecond: positiveInteger(options.maxIdleFramesPerSecond, MAX_IDLE_FRAMES_PER_SECOND, 'maxIdleFramesPerSecond'),
    maxUnsentControlBytes: positiveInteger(options.maxUnsentControlBytes, MAX_UNSENT_CONTROL_BYTES, 'maxUnsentControlBytes')
  }
}
