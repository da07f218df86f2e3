/**
 * Ping responder (ping spec, "Protocol"): echo each 32-byte payload until the
 * dialer closes its write side, then close. The echo is written back before
 * the next payload is read, so a remote can never make us buffer more than
 * one payload; the rate and idle limits bound how long it can keep us busy.
 */
import { ByteReader, UnexpectedEndError } from '../../stream/byte-reader.js'
import type { ByteStream } from '../../stream/types.js'
import { withTimeout } from '../_timeout.js'
import {
  PING_HANDLER_IDLE_TIMEOUT_MS, PING_MAX_PER_WINDOW, PING_PAYLOAD_LENGTH, PING_RATE_WINDOW_MS
} from './constants.js'
import { PingRateLimitError, PingTimeoutError, PingTruncatedError } from './errors.js'

export interface PingHandlerOptions {
  /** Default PING_HANDLER_IDLE_TIMEOUT_MS. */
  idleTimeout?: number
  /** Default PING_MAX_PER_WINDOW. */
  maxPerWindow?: number
  /** Default PING_RATE_WINDOW_MS. */
  rateWindow?: number
}

/**
 * Serves one inbound ping stream. Resolves after the dialer closed its side
 * and we closed ours; on a protocol violation aborts the stream and rejects
 * with PingTruncatedError, PingTimeoutError or PingRateLimitError.
 */
export async function handlePing (stream: ByteStream, options: PingHandlerOptions = {}): Promise<void> {
  const idleTimeout = options.idleTimeout ?? PING_HANDLER_IDLE_TIMEOUT_MS
  const maxPerWindow = options.maxPerWindow ?? PING_MAX_PER_WINDOW
  const rateWindow = options.rateWindow ?? PING_RATE_WINDOW_MS
  const reader = new ByteReader(stream)
  let windowStart = performance.now()
  let inWindow = 0
  try {
    while (true) {
      let payload: Uint8Array
      try {
        payload = await withTimeout(reader.readExactly(PING_PAYLOAD_LENGTH), idleTimeout,
          () => new PingTimeoutError(`no ping payload for ${idleTimeout} ms`))
      } catch (err) {
        if (err instanceof UnexpectedEndError) {
          if (reader.bufferedLength === 0) break
          throw new PingTruncatedError(`stream ended ${PING_PAYLOAD_LENGTH - reader.bufferedLength} bytes into a ping payload`)
        }
        throw err
      }
      const now = performance.now()
      if (now - windowStart >= rateWindow) { windowStart = now; inWindow = 0 }
      if (++inWindow > maxPerWindow) throw new PingRateLimitError(`more than ${maxPerWindow} pings in ${rateWindow} ms`)
      // A dialer that sends but never reads would otherwise park us here for ever.
      await withTimeout(stream.write(payload), idleTimeout,
        () => new PingTimeoutError(`ping echo not taken for ${idleTimeout} ms`))
    }
    await stream.close()
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}
