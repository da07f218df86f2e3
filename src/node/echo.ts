/**
 * `/echo/1.0.0`: writes back every byte it reads, then closes its side when
 * the remote closes its own. A test and interop aid (js-libp2p ships the same
 * protocol as @libp2p/echo).
 */
import type { StreamHandler } from '../connection/connection.js'
import type { ByteStream } from '../stream/types.js'
import { withTimeout } from '../protocols/_timeout.js'

export const ECHO_PROTOCOL = '/echo/1.0.0'

/**
 * Longest an echo stream may sit without a read arriving or a write being taken: 30 s. A peer
 * that opens echo streams and then goes silent (or stops reading our echoes) would otherwise
 * hold each stream and its buffers until the connection dies.
 */
export const ECHO_IDLE_TIMEOUT_MS = 30_000

/** The remote neither sent nor read anything for the echo idle timeout. */
export class EchoTimeoutError extends Error {
  override name = 'EchoTimeoutError'
}

export interface EchoOptions {
  /** Default ECHO_IDLE_TIMEOUT_MS. */
  idleTimeout?: number
}

/** Echoes one stream; on idle timeout aborts it and rejects with EchoTimeoutError. */
export async function handleEcho (stream: ByteStream, options: EchoOptions = {}): Promise<void> {
  const idleTimeout = options.idleTimeout ?? ECHO_IDLE_TIMEOUT_MS
  const idle = async <T>(step: Promise<T>, what: string): Promise<T> =>
    await withTimeout(step, idleTimeout, () => new EchoTimeoutError(`echo ${what} stalled for ${idleTimeout} ms`))
  try {
    const source = stream[Symbol.asyncIterator]()
    while (true) {
      const { done, value } = await idle(source.next(), 'read')
      if (done === true) break
      await idle(stream.write(value), 'write')
    }
    await idle(stream.closeWrite(), 'close')
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}

export const echoHandler: StreamHandler = async stream => { await handleEcho(stream) }
