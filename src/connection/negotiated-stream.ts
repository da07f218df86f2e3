/**
 * A muxed stream after multistream-select: reads and writes go through the
 * negotiated byte stream (which may still owe the lazy confirmation, and
 * carries bytes read past the negotiation), identity and reset through the
 * muxer's stream.
 */
import type { ByteStream, Stream } from '../stream/types.js'
import type { StreamMeter } from '../resources/observer.js'

export class NegotiatedStream implements Stream {
  readonly #muxed: Stream
  readonly #negotiated: ByteStream

  constructor (muxed: Stream, negotiated: ByteStream, protocol: string) {
    this.#muxed = muxed
    this.#negotiated = negotiated
    muxed.protocol = protocol
  }

  get id (): string { return this.#muxed.id }
  get direction (): 'inbound' | 'outbound' { return this.#muxed.direction }
  get protocol (): string | undefined { return this.#muxed.protocol }
  set protocol (value: string | undefined) { this.#muxed.protocol = value }

  [Symbol.asyncIterator] (): AsyncIterator<Uint8Array> { return this.#negotiated[Symbol.asyncIterator]() }
  async write (chunk: Uint8Array): Promise<void> { await this.#negotiated.write(chunk) }
  async closeWrite (): Promise<void> { await this.#negotiated.closeWrite() }
  async close (): Promise<void> { await this.#negotiated.close() }
  abort (err: Error): void { this.#negotiated.abort(err) }
  reset (): void { this.#muxed.reset() }
}

/**
 * A negotiated stream whose payload bytes are counted (a metrics observer
 * asked for it when the stream was admitted). A separate class, so streams
 * nobody meters pay nothing per chunk.
 */
export class MeteredStream extends NegotiatedStream {
  readonly #meter: StreamMeter
  readonly #source: ByteStream

  constructor (muxed: Stream, negotiated: ByteStream, protocol: string, meter: StreamMeter) {
    super(muxed, negotiated, protocol)
    this.#meter = meter
    this.#source = negotiated
  }

  override [Symbol.asyncIterator] (): AsyncIterator<Uint8Array> {
    const inner = this.#source[Symbol.asyncIterator]()
    const meter = this.#meter
    return {
      next: async () => {
        const result = await inner.next()
        if (result.done !== true) meter.received(result.value.byteLength)
        return result
      },
      return: async () => await inner.return?.() ?? { done: true, value: undefined }
    }
  }

  override async write (chunk: Uint8Array): Promise<void> {
    await super.write(chunk)
    this.#meter.sent(chunk.byteLength)
  }
}
