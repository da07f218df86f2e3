/**
 * Named errors of the yamux muxer. A protocol error is the remote's fault
 * (malformed or hostile frames): the session answers with Go Away code 1
 * and closes. Stream-level errors reject the reads and writes of one stream.
 */
import { GoAwayCode } from './frame.js'

/** The remote broke the protocol; the session sent Go Away (protocol error) and closed. */
export class YamuxProtocolError extends Error {
  override name = 'YamuxProtocolError'
  /** The Go Away code sent to the remote. */
  readonly code = GoAwayCode.ProtocolError
}

/** The remote reset the stream (RST), or the stream was reset locally. */
export class StreamResetError extends Error {
  override name = 'StreamResetError'
}

/** The stream or session is closed for this operation (write after closeWrite, newStream after close). */
export class StreamClosedError extends Error {
  override name = 'StreamClosedError'
}

/** The remote sent Go Away: no new streams on this session. */
export class GoAwayError extends Error {
  override name = 'GoAwayError'
  constructor (message: string, readonly code: number) { super(message) }
}

/**
 * A write made no progress for STREAM_WRITE_TIMEOUT_MS (the remote stopped
 * reading: no window came back, or the connection did not drain); the stream
 * was reset.
 */
export class WriteTimeoutError extends Error {
  override name = 'WriteTimeoutError'
}

/** The session ended (connection closed, aborted or failed) while the stream was open. */
export class MuxerClosedError extends Error {
  override name = 'MuxerClosedError'
}

/** Opening a stream would exceed a limit (MAX_STREAMS). */
export class TooManyStreamsError extends Error {
  override name = 'TooManyStreamsError'
}

/** newStream() waited ACK_BACKLOG_WAIT_TIMEOUT_MS for the remote to acknowledge a stream in flight. */
export class AckBacklogTimeoutError extends Error {
  override name = 'AckBacklogTimeoutError'
}
