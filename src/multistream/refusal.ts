/**
 * Refusing a connection in multistream-select terms, so a dialer learns it was
 * refused by policy rather than cut by the network. The listener reads the
 * dialer's header and first proposal (the security protocol), answers `na` as
 * the spec requires, adds one `refused:<reason>` message (REFUSAL_PREFIX) and
 * closes gracefully: no security handshake starts, no reset is sent. The
 * dialer side reads that message after a final `na` (readRefusal).
 */
import { ByteReader } from '../stream/byte-reader.js'
import type { ByteStream } from '../stream/types.js'
import { NOT_AVAILABLE, PROTOCOL_ID, REFUSAL_PREFIX, REFUSAL_REASON_WAIT_MS } from './constants.js'
import { MultistreamError, PeerRefusedError } from './errors.js'
import { concatBytes, encodeMessages, readMessage } from './_messages.js'

/** Reason codes are short tokens: they travel in one multistream message. */
const REASON_PATTERN = /^[a-z0-9-]{1,64}$/

/**
 * Listener side: tells the dialer on `stream` that it is refused for
 * `reason` (a short code), then closes. Bounded by `timeoutMs` (a silent or
 * slow dialer is aborted); whatever the dialer does, it does not throw.
 */
export async function refuse (stream: ByteStream, reason: string, timeoutMs: number): Promise<void> {
  if (!REASON_PATTERN.test(reason)) throw new RangeError(`refusal reason must match ${REASON_PATTERN.source}`)
  const timer = setTimeout(() => { stream.abort(new MultistreamError(`refused dialer did not finish within ${timeoutMs} ms`)) }, timeoutMs)
  try {
    const reader = new ByteReader(stream)
    const header = await readMessage(reader)
    if (header !== PROTOCOL_ID) throw new MultistreamError('not a multistream dialer')
    let pending: Uint8Array[] = [encodeMessages(PROTOCOL_ID)]
    // A dialer that sent only its header waits for ours before proposing (as in handle()).
    if (reader.bufferedLength === 0) { await stream.write(pending[0] as Uint8Array); pending = [] }
    await readMessage(reader)
    await stream.write(concatBytes([...pending, encodeMessages(NOT_AVAILABLE, `${REFUSAL_PREFIX}${reason}`)]))
    // close() half-closes, then reads (and drops) until the dialer's FIN: nothing unread is
    // left in our receive buffer, so the kernel closes with a FIN, not a reset.
    await stream.close()
  } catch (err) {
    stream.abort(err as Error)
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Dialer side, after the listener answered `na` to our last proposal: the
 * listener's refusal, if it sent one (already buffered, or arriving within
 * `waitMs`); undefined for a plain `na`. The caller aborts the stream either way.
 */
export async function readRefusal (reader: ByteReader, waitMs: number = REFUSAL_REASON_WAIT_MS): Promise<PeerRefusedError | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const next = readMessage(reader)
  next.catch(() => {}) // it may lose the race; the caller aborts the stream, which ends it
  try {
    const message = await Promise.race([next, new Promise<undefined>(resolve => { timer = setTimeout(() => { resolve(undefined) }, waitMs) })])
    if (message?.startsWith(REFUSAL_PREFIX) !== true) return undefined
    const reason = message.slice(REFUSAL_PREFIX.length)
    return new PeerRefusedError(REASON_PATTERN.test(reason) ? reason : 'unspecified')
  } catch {
    return undefined // the stream ended or broke: a plain `na`
  } finally {
    clearTimeout(timer)
  }
}
