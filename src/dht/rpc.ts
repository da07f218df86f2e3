/**
 * DHT RPCs over a stream (kad-dht spec "RPC messages"): every message is sent with an
 * unsigned-varint length prefix. The requester opens a stream, writes one request,
 * reads one response (none for ADD_PROVIDER) and closes. The responder must serve
 * further requests on the same stream until the requester closes it. On any error the
 * stream is reset.
 */
import { ByteReader, encodeVarint, MAX_VARINT_BYTES, UnexpectedEndError } from '../stream/byte-reader.js'
import type { ByteStream } from '../stream/types.js'
import { type DhtServer, handleRequest } from './handler.js'
import { DhtRateLimitError } from './rate-limit.js'
import { DhtMessageError, type DhtMessage, decodeMessage, encodeMessage, MAX_MESSAGE_BYTES, MessageType } from './message.js'

/**
 * Requests served on one inbound stream: 32. The spec lets a requester reuse a stream;
 * the bound keeps one stream from holding a handler forever.
 */
export const MAX_REQUESTS_PER_STREAM = 32

/**
 * Time an inbound stream may take to deliver each whole request: 10 s (the spec's query
 * timeout). A peer that opens a stream and goes quiet, or trickles bytes, loses the
 * stream instead of holding a handler forever.
 */
export const INBOUND_REQUEST_TIMEOUT_MS = 10_000

export class DhtStreamTimeoutError extends Error {
  override name = 'DhtStreamTimeoutError'
}

/** One message with its varint length prefix. */
export function frameMessage (message: DhtMessage): Uint8Array {
  const payload = encodeMessage(message)
  const prefix = encodeVarint(payload.length)
  const out = new Uint8Array(prefix.length + payload.length)
  out.set(prefix)
  out.set(payload, prefix.length)
  return out
}

/**
 * Reads one length-prefixed message; undefined when the stream ends cleanly before its
 * first byte. DhtMessageError when it is oversized, malformed or cut short.
 */
export async function readMessage (reader: ByteReader): Promise<DhtMessage | undefined> {
  let length = 0
  let scale = 1
  for (let i = 0; ; i++) {
    if (i === MAX_VARINT_BYTES) throw new DhtMessageError('message length varint too long')
    let byte: number
    try {
      byte = (await reader.readExactly(1))[0]!
    } catch (err) {
      if (err instanceof UnexpectedEndError) {
        if (i === 0) return undefined
        throw new DhtMessageError('stream ended inside a message length', { cause: err })
      }
      throw err
    }
    length += (byte & 0x7f) * scale
    if ((byte & 0x80) === 0) break
    scale *= 128
  }
  if (length > MAX_MESSAGE_BYTES) throw new DhtMessageError(`message of ${length} bytes exceeds MAX_MESSAGE_BYTES (${MAX_MESSAGE_BYTES})`)
  let payload: Uint8Array
  try {
    payload = await reader.readExactly(length)
  } catch (err) {
    if (err instanceof UnexpectedEndError) throw new DhtMessageError('stream ended inside a message', { cause: err })
    throw err
  }
  return decodeMessage(payload)
}

/**
 * Sends one request on a fresh stream and reads the response (undefined for
 * ADD_PROVIDER, which has none). Aborts the stream on failure or when `signal` fires.
 */
export async function requestOverStream (stream: ByteStream, request: DhtMessage, signal?: AbortSignal): Promise<DhtMessage | undefined> {
  const onAbort = (): void => { stream.abort(signal?.reason instanceof Error ? signal.reason : new Error('request aborted')) }
  if (signal?.aborted === true) { onAbort(); throw signal.reason }
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    await stream.write(frameMessage(request))
    if (request.type === MessageType.ADD_PROVIDER) {
      await stream.close()
      return undefined
    }
    const response = await readMessage(new ByteReader(stream))
    if (response === undefined) throw new DhtMessageError('stream closed without a response')
    await stream.close()
    return response
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
}

/**
 * Serves the requests arriving on one inbound stream from the peer `from` (its PeerId
 * multihash) until the requester closes it. Resolves with the number of requests
 * answered; on a bad request, or one not complete within `timeoutMs`
 * (INBOUND_REQUEST_TIMEOUT_MS), the stream is aborted and the error rethrown. `admit`,
 * if given, sees each request first; false ends the stream with DhtRateLimitError.
 */
/** The promise's outcome, or DhtStreamTimeoutError after `ms` (the loser's rejection is absorbed). */
async function withTimeout<T> (promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => { reject(new DhtStreamTimeoutError(`no complete request within ${ms} ms`)) }, ms)
  })
  promise.catch(() => {}) // once the stream is aborted after a timeout, the read rejects unobserved
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export async function serveStream (stream: ByteStream, server: DhtServer, from: Uint8Array, timeoutMs = INBOUND_REQUEST_TIMEOUT_MS,
  admit?: (request: DhtMessage) => boolean): Promise<number> {
  const reader = new ByteReader(stream)
  let served = 0
  try {
    while (served < MAX_REQUESTS_PER_STREAM) {
      const request = await withTimeout(readMessage(reader), timeoutMs)
      if (request === undefined) break // the requester closed: done
      if (admit !== undefined && !admit(request)) throw new DhtRateLimitError('too many requests from this peer')
      const response = await handleRequest(server, request, from)
      if (response !== undefined) await stream.write(frameMessage(response))
      served++
    }
    await stream.close()
    return served
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
}
