/**
 * The transport phase (noise-libp2p spec, "Wire Format", "Encryption and
 * I/O"): every write becomes one or more frames `u16be length ‖ ciphertext ‖
 * tag` of at most 65535 bytes, so at most MAX_PLAINTEXT_LENGTH bytes of
 * plaintext each; every frame read is authenticated and decrypted in order.
 *
 * Writes encrypt synchronously when called, so frames hit the wire in nonce
 * order even if a caller does not await each write; the returned promise is
 * the underlying write's, which carries backpressure up. Reading is pulled by
 * the consumer, one frame at a time. A frame that fails authentication, a
 * truncated frame and nonce exhaustion abort the connection with a named error.
 */
import { ByteReader, UnexpectedEndError } from '../../stream/byte-reader.js'
import type { ByteStream } from '../../stream/types.js'
import type { CipherState } from './cipher-state.js'
import { MAX_PLAINTEXT_LENGTH, TAG_LENGTH } from './constants.js'
import { TruncatedFrameError } from './errors.js'

const FRAME_OVERHEAD = 2 + TAG_LENGTH

export class NoiseSecuredStream implements ByteStream {
  readonly #connection: ByteStream
  readonly #reader: ByteReader
  readonly #send: CipherState
  readonly #receive: CipherState
  #reading = false

  /** `source` must be the connection's bytes after the handshake (the handshake reader's `rest()`). */
  constructor (connection: ByteStream, source: AsyncIterable<Uint8Array>, send: CipherState, receive: CipherState) {
    this.#connection = connection
    this.#reader = new ByteReader(source)
    this.#send = send
    this.#receive = receive
  }

  async write (chunk: Uint8Array): Promise<void> {
    if (chunk.length === 0) return
    let frames: Uint8Array
    try {
      frames = this.#encrypt(chunk)
    } catch (err) {
      this.#connection.abort(err as Error)
      throw err
    }
    await this.#connection.write(frames)
  }

  /** All frames of one write in one buffer: one underlying write per call. */
  #encrypt (chunk: Uint8Array): Uint8Array {
    const frameCount = Math.ceil(chunk.length / MAX_PLAINTEXT_LENGTH)
    const out = new Uint8Array(chunk.length + frameCount * FRAME_OVERHEAD)
    let offset = 0
    for (let start = 0; start < chunk.length; start += MAX_PLAINTEXT_LENGTH) {
      const ciphertext = this.#send.encrypt(chunk.subarray(start, start + MAX_PLAINTEXT_LENGTH))
      out[offset] = ciphertext.length >>> 8
      out[offset + 1] = ciphertext.length & 0xff
      out.set(ciphertext, offset + 2)
      offset += 2 + ciphertext.length
    }
    return out
  }

  /**
   * Iterating again after an earlier loop ended (e.g. `break`) resumes where
   * it stopped; two loops at the same time would split frames between them, so that throws.
   */
  async * [Symbol.asyncIterator] (): AsyncGenerator<Uint8Array> {
    if (this.#reading) throw new Error('a NoiseSecuredStream can be read by one loop at a time')
    this.#reading = true
    try {
      while (true) {
        const frame = await this.#readFrame()
        if (frame === undefined) return
        let plaintext: Uint8Array
        try {
          plaintext = this.#receive.decrypt(frame)
        } catch (err) {
          this.#connection.abort(err as Error)
          throw err
        }
        if (plaintext.length > 0) yield plaintext
      }
    } finally {
      this.#reading = false
    }
  }

  /** The next ciphertext, or `undefined` when the connection ended cleanly between frames. */
  async #readFrame (): Promise<Uint8Array | undefined> {
    let header: Uint8Array
    try {
      header = await this.#reader.readExactly(2)
    } catch (err) {
      if (err instanceof UnexpectedEndError && this.#reader.bufferedLength === 0) return undefined
      throw this.#truncated(err)
    }
    try {
      return await this.#reader.readExactly(((header[0] as number) << 8) | (header[1] as number))
    } catch (err) {
      throw this.#truncated(err)
    }
  }

  #truncated (err: unknown): unknown {
    if (!(err instanceof UnexpectedEndError)) return err
    const truncated = new TruncatedFrameError('the connection ended inside a Noise frame', { cause: err })
    this.#connection.abort(truncated)
    return truncated
  }

  async closeWrite (): Promise<void> { await this.#connection.closeWrite() }
  async close (): Promise<void> { await this.#connection.close() }
  abort (err: Error): void { this.#connection.abort(err) }
}
