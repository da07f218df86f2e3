/**
 * Ping initiator (ping spec, "Protocol"): write 32 random bytes, time until
 * the same 32 come back. A PingSession reuses one stream for many pings, as
 * the spec allows; `ping()` is the one-shot form.
 */
import { ByteReader, UnexpectedEndError } from '../../stream/byte-reader.js'
import type { ByteStream } from '../../stream/types.js'
import { withTimeout } from '../_timeout.js'
import { PING_PAYLOAD_LENGTH, PING_TIMEOUT_MS } from './constants.js'
import { PingMismatchError, PingTimeoutError, PingTruncatedError } from './errors.js'

export interface PingOptions {
  /** Default PING_TIMEOUT_MS. */
  timeout?: number
  signal?: AbortSignal
}

function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export class PingSession {
  readonly #stream: ByteStream
  readonly #reader: ByteReader
  #busy = false

  constructor (stream: ByteStream) {
    this.#stream = stream
    this.#reader = new ByteReader(stream)
  }

  /**
   * One round trip; resolves with the RTT in milliseconds. Any failure aborts
   * the stream (a late echo must not be taken for the next one's).
   */
  async ping (options: PingOptions = {}): Promise<number> {
    if (this.#busy) throw new Error('a ping is already in flight on this stream')
    this.#busy = true
    const timeout = options.timeout ?? PING_TIMEOUT_MS
    const payload = crypto.getRandomValues(new Uint8Array(PING_PAYLOAD_LENGTH))
    try {
      const start = performance.now()
      const echo = await withTimeout((async () => {
        await this.#stream.write(payload)
        return await this.#reader.readExactly(PING_PAYLOAD_LENGTH)
      })(), timeout, () => new PingTimeoutError(`no ping echo within ${timeout} ms`), options.signal)
      const rtt = performance.now() - start
      if (!equalBytes(echo, payload)) throw new PingMismatchError('the echoed ping payload differs from the one sent')
      return rtt
    } catch (err) {
      const failure = err instanceof UnexpectedEndError ? new PingTruncatedError('the stream ended before the echo') : err as Error
      this.#stream.abort(failure)
      throw failure
    } finally {
      this.#busy = false
    }
  }

  /** Ends the session: the responder sees our end of writes and closes its side. */
  async close (): Promise<void> {
    await this.#stream.close()
  }
}

/** One ping on `stream`, which is then closed. Resolves with the RTT in milliseconds. */
export async function ping (stream: ByteStream, options: PingOptions = {}): Promise<number> {
  const session = new PingSession(stream)
  const rtt = await session.ping(options)
  await session.close()
  return rtt
}
