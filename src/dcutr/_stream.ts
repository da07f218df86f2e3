/** One HolePunch exchange on a /libp2p/dcutr stream, under a deadline (the stream is aborted past it). */
import { ByteReader } from '../stream/byte-reader.js'
import { writeLengthPrefixed } from '../stream/length-prefixed.js'
import type { Stream } from '../stream/types.js'
import { MAX_DCUTR_MESSAGE_SIZE } from './constants.js'
import { MalformedDcutrMessageError, UnexpectedDcutrMessageError } from './errors.js'
import { decodeHolePunch, encodeHolePunch, type HolePunch } from './message.js'

export class DcutrTimeoutError extends Error {
  override name = 'DcutrTimeoutError'
}

export class HolePunchStream {
  readonly #stream: Stream
  readonly #reader: ByteReader
  readonly #timer: ReturnType<typeof setTimeout>

  constructor (stream: Stream, timeoutMs: number) {
    this.#stream = stream
    this.#reader = new ByteReader(stream)
    this.#timer = setTimeout(() => { stream.abort(new DcutrTimeoutError(`DCUtR exchange took longer than ${timeoutMs} ms`)) }, timeoutMs)
  }

  async write (m: HolePunch): Promise<void> { await writeLengthPrefixed(this.#stream, encodeHolePunch(m)) }

  /** Reads one HolePunch and checks its type. */
  async read (type: number): Promise<HolePunch> {
    let bytes: Uint8Array
    try {
      bytes = await this.#reader.readLengthPrefixed(MAX_DCUTR_MESSAGE_SIZE)
    } catch (err) {
      if (err instanceof RangeError) throw new MalformedDcutrMessageError(err.message)
      throw err
    }
    const m = decodeHolePunch(bytes)
    if (m.type !== type) throw new UnexpectedDcutrMessageError(`HolePunch of type ${m.type} where ${type} was due`)
    return m
  }

  async close (): Promise<void> {
    clearTimeout(this.#timer)
    try { await this.#stream.close() } catch { this.#stream.reset() }
  }

  fail (err: Error): void {
    clearTimeout(this.#timer)
    this.#stream.abort(err)
  }
}
