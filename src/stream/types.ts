/**
 * The byte-stream surface every layer speaks, and the one users write against,
 * identical in Node and browsers: read by async iteration over Uint8Array
 * chunks; `write` resolves once the layer below has accepted the chunk
 * (backpressure); `closeWrite` half-closes; `close` closes both ways
 * gracefully; `abort` tears down at once with an error.
 */
export interface ByteStream extends AsyncIterable<Uint8Array> {
  /**
   * Resolves when the chunk is accepted (for a muxed stream: when the send
   * window takes it); from then on the caller may reuse the chunk's memory.
   */
  write: (chunk: Uint8Array) => Promise<void>
  /** Half-close: no more writes from this side; reading goes on until the remote closes. */
  closeWrite: () => Promise<void>
  /** Graceful close of both directions. */
  close: () => Promise<void>
  /** Immediate teardown: pending reads and writes reject with `err`. */
  abort: (err: Error) => void
}

/** A multiplexed stream inside a connection. */
export interface Stream extends ByteStream {
  /** Unique within its connection. */
  readonly id: string
  readonly direction: 'inbound' | 'outbound'
  /** The protocol multistream-select agreed on for this stream (set after negotiation). */
  protocol: string | undefined
  /** Resets the stream (yamux RST): the remote sees an error, not an end. */
  reset: () => void
}
