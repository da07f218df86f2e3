/**
 * Listener side of multistream-select 1.0: read the dialer's header and
 * proposals, echo the first one we speak, answer `na` to the others and
 * answer `ls` with our list (spec, "Protocol" and "Listing"). After
 * MAX_NEGOTIATION_ATTEMPTS unanswerable messages the stream is aborted.
 */
import { ByteReader } from '../stream/byte-reader.js'
import type { ByteStream } from '../stream/types.js'
import { LIST, MAX_NEGOTIATION_ATTEMPTS, NOT_AVAILABLE, PROTOCOL_ID } from './constants.js'
import { MultistreamError, UnsupportedProtocolError } from './errors.js'
import { concatBytes, encodeMessages, frame, readMessage, remainder, underSignal } from './_messages.js'
import type { Selected } from './select.js'

export interface HandleOptions {
  /** Aborts the negotiation and the stream. */
  signal?: AbortSignal
  /** Proposals answered before giving up; default MAX_NEGOTIATION_ATTEMPTS. */
  maxAttempts?: number
  /**
   * Deadline for the dialer's header (its first message); none by default. On a raw
   * inbound connection it keeps silent sockets from holding upgrade slots.
   */
  headerTimeoutMs?: number
}

/** The `ls` answer: one message whose body is the framed protocol messages, then `\n`. */
function listResponse (protocols: readonly string[]): Uint8Array {
  const inner = concatBytes([...protocols.map(p => encodeMessages(p)), new Uint8Array([0x0a])])
  return frame(inner)
}

export async function handle (stream: ByteStream, protocols: readonly string[], options: HandleOptions = {}): Promise<Selected> {
  const maxAttempts = options.maxAttempts ?? MAX_NEGOTIATION_ATTEMPTS
  return await underSignal(stream, options.signal, async () => {
    const reader = new ByteReader(stream)
    const headerTimeoutMs = options.headerTimeoutMs
    const timer = headerTimeoutMs === undefined
      ? undefined
      : setTimeout(() => { stream.abort(new MultistreamError(`no multistream header within ${headerTimeoutMs} ms`)) }, headerTimeoutMs)
    let header: string
    try { header = await readMessage(reader) } finally { clearTimeout(timer) }
    if (header !== PROTOCOL_ID) throw new MultistreamError(`expected the ${PROTOCOL_ID} header, got "${header.slice(0, 64)}"`)
    let pending: Uint8Array[] = [encodeMessages(PROTOCOL_ID)]
    // If the dialer sent only its header, it may be waiting for ours before proposing.
    if (reader.bufferedLength === 0) { await stream.write(pending[0] as Uint8Array); pending = [] }
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      const message = await readMessage(reader)
      if (protocols.includes(message)) {
        await stream.write(concatBytes([...pending, encodeMessages(message)]))
        // Data sent with the proposal (lazy select) is already out of the stream below: say how much, so the
        // owner can charge it until the reader takes it.
        const selected: Selected = { protocol: message, buffered: reader.bufferedLength, stream: remainder(stream, reader, () => { selected.onBufferedTaken?.() }) }
        return selected
      }
      const answer = message === LIST ? listResponse(protocols) : encodeMessages(NOT_AVAILABLE)
      await stream.write(concatBytes([...pending, answer]))
      pending = []
    }
    throw new UnsupportedProtocolError(`no supported protocol after ${maxAttempts} proposals`)
  }).catch(err => {
    stream.abort(err as Error)
    throw err
  })
}

