/**
 * multistream-select framing: every message is an unsigned-varint length,
 * then UTF-8 text, then `\n`, with the newline counted in the length
 * (spec, "Protocol", notes 1 and 2).
 */
import { ByteReader, encodeVarint } from '../stream/byte-reader.js'
import type { ByteStream } from '../stream/types.js'
import { MAX_MESSAGE_LENGTH } from './constants.js'
import { MultistreamError } from './errors.js'

const NEWLINE = 0x0a
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export function concatBytes (parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) { out.set(p, offset); offset += p.length }
  return out
}

/** Frames raw message bytes (which must already end with `\n`). */
export function frame (body: Uint8Array): Uint8Array {
  return concatBytes([encodeVarint(body.length), body])
}

/** Encodes one or more text messages into a single buffer, so they go out in one packet. */
export function encodeMessages (...messages: string[]): Uint8Array {
  return concatBytes(messages.map(m => frame(encoder.encode(`${m}\n`))))
}

/** Reads one framed message and returns its body without the newline. */
export async function readMessageBytes (reader: ByteReader, maxLength: number = MAX_MESSAGE_LENGTH): Promise<Uint8Array> {
  let length: number
  let body: Uint8Array
  try {
    length = await reader.readVarint()
    if (length > maxLength) throw new MultistreamError(`message of ${length} bytes exceeds the limit of ${maxLength}`)
    body = await reader.readExactly(length)
  } catch (err) {
    if (err instanceof MultistreamError) throw err
    throw new MultistreamError(`negotiation failed: ${(err as Error).message}`, { cause: err })
  }
  if (length === 0 || body[length - 1] !== NEWLINE) throw new MultistreamError('message is not newline-terminated')
  return body.subarray(0, length - 1)
}

/** Reads one framed text message. */
export async function readMessage (reader: ByteReader): Promise<string> {
  const body = await readMessageBytes(reader)
  try {
    return decoder.decode(body)
  } catch (err) {
    throw new MultistreamError('message is not valid UTF-8', { cause: err })
  }
}

/** The stream after negotiation: any bytes the reader pulled past the last message come first. */
export function remainder (stream: ByteStream, reader: ByteReader, onBufferedTaken?: () => void): ByteStream {
  return new Remainder(stream, reader, onBufferedTaken)
}

/**
 * A class rather than an object literal of closures: every connection and every
 * stream keeps one for its life, and prototype methods cost nothing per instance
 * (the literal's five closures, their context and the runtime-built name of the
 * computed `[Symbol.asyncIterator]` key took about 0.5 KiB each; bench/e2e.js memory rows).
 */
class Remainder implements ByteStream {
  readonly #stream: ByteStream
  readonly #reader: ByteReader
  #onBufferedTaken: (() => void) | undefined

  constructor (stream: ByteStream, reader: ByteReader, onBufferedTaken: (() => void) | undefined) {
    this.#stream = stream
    this.#reader = reader
    this.#onBufferedTaken = onBufferedTaken
  }

  [Symbol.asyncIterator] (): AsyncIterator<Uint8Array> {
    // Handed on once: the callback's scope (the whole negotiation) is not kept for the stream's life.
    const onBufferedTaken = this.#onBufferedTaken
    this.#onBufferedTaken = undefined
    return this.#reader.rest(onBufferedTaken)
  }
  async write (chunk: Uint8Array): Promise<void> { await this.#stream.write(chunk) }
  async closeWrite (): Promise<void> { await this.#stream.closeWrite() }
  async close (): Promise<void> { await this.#stream.close() }
  abort (err: Error): void { this.#stream.abort(err) }
}

/**
 * Runs a negotiation step under an AbortSignal: on abort the stream is
 * aborted (which also unblocks a pending read) and the step rejects.
 */
export async function underSignal<T> (stream: ByteStream, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  if (signal === undefined) return await run()
  const aborted = (): Error => signal.reason instanceof Error ? signal.reason : new MultistreamError('negotiation aborted')
  if (signal.aborted) { const err = aborted(); stream.abort(err); throw err }
  let onAbort = (): void => {}
  const abortPromise = new Promise<never>((_resolve, reject) => {
    onAbort = () => { const err = aborted(); stream.abort(err); reject(err) }
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([run(), abortPromise])
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}
