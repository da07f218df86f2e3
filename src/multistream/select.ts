/**
 * Dialer side of multistream-select 1.0: propose protocols in order until the
 * listener echoes one back (spec, "Protocol" and "Protocol Selection").
 *
 * With a single protocol the selection is lazy (optimistic): nothing is
 * waited for; header, proposal and the first application bytes leave in one
 * packet, and the listener's confirmation is read just before the first
 * application read. This saves a round trip per stream; if the listener
 * answers `na`, that first read fails with UnsupportedProtocolError.
 */
import { ByteReader } from '../stream/byte-reader.js'
import type { ByteStream } from '../stream/types.js'
import { LIST, MAX_LIST_RESPONSE_LENGTH, NOT_AVAILABLE, PROTOCOL_ID } from './constants.js'
import { MultistreamError, UnsupportedProtocolError } from './errors.js'
import { concatBytes, encodeMessages, readMessage, readMessageBytes, remainder, underSignal } from './_messages.js'
import { readRefusal } from './refusal.js'

export interface SelectOptions {
  /** Aborts the negotiation and the stream. */
  signal?: AbortSignal
  /** Lazy selection for a single protocol; default true. Ignored with several protocols. */
  lazy?: boolean
  /**
   * Lazy selection: the listener keeps a FIN that arrives before its answer
   * (a wasp2p peer says so in its Noise handshake), so `closeWrite` sends it
   * at once, with the proposal when nothing was written; default false.
   */
  earlyFin?: boolean
}

export interface Selected {
  protocol: string
  stream: ByteStream
  /** Listener side: bytes read past the negotiation, which `stream` yields first. */
  buffered?: number
  /** Listener side: set to be told when `stream`'s reader first takes those bytes. */
  onBufferedTaken?: () => void
}

async function expectHeader (reader: ByteReader): Promise<void> {
  const header = await readMessage(reader)
  if (header !== PROTOCOL_ID) throw new MultistreamError(`expected the ${PROTOCOL_ID} header, got "${header.slice(0, 64)}"`)
}

/** Reads the listener's answer to `protocol`: true if confirmed, false for `na`. */
async function readAnswer (reader: ByteReader, protocol: string): Promise<boolean> {
  const answer = await readMessage(reader)
  if (answer === protocol) return true
  if (answer === NOT_AVAILABLE) return false
  throw new MultistreamError(`listener answered "${answer.slice(0, 64)}" to a proposal of ${protocol}`)
}

export async function select (stream: ByteStream, protocols: string | readonly string[], options: SelectOptions = {}): Promise<Selected> {
  const list = typeof protocols === 'string' ? [protocols] : [...protocols]
  if (list.length === 0) throw new RangeError('select needs at least one protocol')
  if (list.length === 1 && options.lazy !== false) {
    const protocol = list[0] as string
    return { protocol, stream: new LazySelected(stream, protocol, options.earlyFin === true) }
  }
  return await underSignal(stream, options.signal, async () => {
    const reader = new ByteReader(stream)
    let pending: Uint8Array | undefined = encodeMessages(PROTOCOL_ID)
    let headerRead = false
    for (const protocol of list) {
      await stream.write(concatBytes([...(pending !== undefined ? [pending] : []), encodeMessages(protocol)]))
      pending = undefined
      if (!headerRead) { await expectHeader(reader); headerRead = true }
      if (await readAnswer(reader, protocol)) return { protocol, stream: remainder(stream, reader) }
    }
    // A wasp2p listener that refuses the whole connection says why after its `na`.
    throw await readRefusal(reader) ?? new UnsupportedProtocolError(`the remote supports none of ${list.join(', ')}`)
  }).catch(err => {
    stream.abort(err as Error)
    throw err
  })
}

/** A stream whose single-protocol negotiation completes on first use. */
class LazySelected implements ByteStream {
  readonly #stream: ByteStream
  readonly #protocol: string
  readonly #reader: ByteReader
  readonly #earlyFin: boolean
  #proposed = false
  #confirmed: Promise<void> | undefined

  constructor (stream: ByteStream, protocol: string, earlyFin: boolean) {
    this.#stream = stream
    this.#protocol = protocol
    this.#earlyFin = earlyFin
    this.#reader = new ByteReader(stream)
  }

  /** Sends header and proposal, with `data` in the same packet, the first time only. */
  async #propose (data?: Uint8Array): Promise<void> {
    if (this.#proposed) {
      if (data !== undefined) await this.#stream.write(data)
      return
    }
    this.#proposed = true
    const negotiation = encodeMessages(PROTOCOL_ID, this.#protocol)
    await this.#stream.write(data === undefined ? negotiation : concatBytes([negotiation, data]))
  }

  /** Reads the listener's header and confirmation, once, however many times the stream is iterated. */
  async #confirm (): Promise<void> {
    try {
      await this.#propose()
      await expectHeader(this.#reader)
      if (!await readAnswer(this.#reader, this.#protocol)) {
        throw await readRefusal(this.#reader) ?? new UnsupportedProtocolError(`the remote does not support ${this.#protocol}`)
      }
    } catch (err) {
      this.#stream.abort(err as Error)
      throw err
    }
  }

  async * #read (): AsyncGenerator<Uint8Array> {
    this.#confirmed ??= this.#confirm()
    await this.#confirmed
    yield * this.#reader.rest()
  }

  [Symbol.asyncIterator] (): AsyncIterator<Uint8Array> { return this.#read() }

  async write (chunk: Uint8Array): Promise<void> { await this.#propose(chunk) }

  async closeWrite (): Promise<void> {
    await this.#propose()
    // js-libp2p 3 loses a FIN that reaches it before it has answered our
    // optimistic proposal: its side of the stream then never ends. So the
    // half-close waits for the listener's confirmation (read once, shared
    // with the reader), unless the listener said it keeps an early FIN. The
    // wait costs a round trip per request/response stream: bench/e2e.js
    // "new stream + 1-byte echo, sequential", wasp2p↔wasp2p, 992–1154 → 1649–1949
    // streams/s without it (2026-12-03, same runs, js-libp2p 328–387).
    if (!this.#earlyFin) {
      this.#confirmed ??= this.#confirm()
      await this.#confirmed
    }
    await this.#stream.closeWrite()
  }

  async close (): Promise<void> {
    // Never used: there is nothing to negotiate, just close.
    await this.#stream.close()
  }

  abort (err: Error): void { this.#stream.abort(err) }
}

/**
 * Asks the listener for its protocols with `ls` (optional in the spec; a
 * listener that does not support it answers `na`, reported as
 * UnsupportedProtocolError). The stream is not usable afterwards except for
 * a further `select`, so callers normally close it.
 */
export async function listProtocols (stream: ByteStream, options: { signal?: AbortSignal } = {}): Promise<string[]> {
  return await underSignal(stream, options.signal, async () => {
    const reader = new ByteReader(stream)
    await stream.write(encodeMessages(PROTOCOL_ID, LIST))
    await expectHeader(reader)
    const body = await readMessageBytes(reader, MAX_LIST_RESPONSE_LENGTH)
    if (body.length === 2 && body[0] === 0x6e && body[1] === 0x61) throw new UnsupportedProtocolError('the remote does not support ls')
    // The body is a sequence of framed protocol messages (the outer newline already stripped).
    const inner = new ByteReader((async function * () { yield body })())
    const protocols: string[] = []
    while (inner.bufferedLength > 0 || protocols.length === 0) {
      if (body.length === 0) break
      protocols.push(await readMessage(inner))
      if (inner.bufferedLength === 0) break
    }
    return protocols
  })
}
