/**
 * A muxed stream after multistream-select: reads and writes go through the
 * negotiated byte stream (which may still owe the lazy confirmation, and
 * carries bytes read past the negotiation), identity and reset through the
 * muxer's stream.
 */
import type { ByteStream, Stream } from '../stream/types.js'

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
