/**
 * The transport phase (noise-libp2p spec, "Wire Format", "Encryption and
 * I/O"): every write becomes one or more frames `u16be length ‖ ciphertext ‖
 * tag` of at most 65535 bytes, so at most MAX_PLAINTEXT_LENGTH bytes of
 * plaintext each; every frame read is authenticated and decrypted in order.
 *
 * Writes encrypt synchronously when called, so frames hit the wire in nonce
 * order even if a caller does not await each write; the returned promise is
 * the underlying write's, which carries backpressure up. Each frame is sealed
 * straight from the caller's bytes into the output buffer, behind its length
 * prefix: one copy in and one copy out of the cipher. The output array is
 * reused once its write resolved (the connection no longer needs it), so
 * bulk transfer allocates nothing per write; a bulk-sized spare is dropped at
 * the next small write (at the latest the muxer's keep-alive ping), so an idle
 * connection holds none.
 *
 * Reading is pulled by the consumer, one frame at a time. The receive side is
 * a frame assembler: chunks are kept as they arrived and a frame that spans
 * several of them is handed to the cipher as pieces, so it is never
 * concatenated first, and is decrypted in place: the chunks a connection
 * yields belong to their reader (every transport hands out fresh buffers), so
 * the plaintext is written over the ciphertext and passed on as views of the
 * received chunks — no array is allocated per frame. A frame that fails
 * authentication, a truncated frame and nonce exhaustion abort the
 * connection with a named error.
 */
import type { ByteStream } from '../../stream/types.js'
import type { CipherState } from './cipher-state.js'
import { MAX_PLAINTEXT_LENGTH, TAG_LENGTH } from './constants.js'
import { TruncatedFrameError } from './errors.js'

const FRAME_OVERHEAD = 2 + TAG_LENGTH
/** A spare output array more than this many times larger than a write's need is dropped rather than kept. */
const SPARE_SLACK = 4
// Tried (2026-12-03): keeping a bulk-sized spare through the small writes of a transfer
// (Window Updates), dropped only after 1 s without a bulk write: the relay's Noise
// output allocations fell from 53 to 7 MiB per 64 MiB forwarded, but bench/relay.js
// throughput did not move beyond noise and the basic browser bundle (141 B minified)
// would have passed its 0.5× ceiling. The yamux frame writer's arenas keep that rule.

export class NoiseSecuredStream implements ByteStream {
  readonly #connection: ByteStream
  readonly #source: AsyncIterator<Uint8Array>
  /** Received chunks not yet consumed; the first starts #head bytes in. */
  #chunks: Uint8Array[] = []
  #head = 0
  #buffered = 0
  #ended = false
  readonly #send: CipherState
  readonly #receive: CipherState
  #reading = false
  /** An output array whose write has resolved, for the next write. */
  #spare: Uint8Array | undefined

  /** `source` must be the connection's bytes after the handshake (the handshake reader's `rest()`). */
  constructor (connection: ByteStream, source: AsyncIterable<Uint8Array>, send: CipherState, receive: CipherState) {
    this.#connection = connection
    this.#source = source[Symbol.asyncIterator]()
    this.#send = send
    this.#receive = receive
  }

  async write (chunk: Uint8Array): Promise<void> {
    if (chunk.length === 0) return
    const frameCount = Math.ceil(chunk.length / MAX_PLAINTEXT_LENGTH)
    const size = chunk.length + frameCount * FRAME_OVERHEAD
    const out = this.#output(size)
    try {
      this.#encrypt(chunk, out)
    } catch (err) {
      this.#connection.abort(err as Error)
      throw err
    }
    await this.#connection.write(out.length === size ? out : out.subarray(0, size))
    this.#spare ??= out
  }

  /** All frames of one write, sealed into `out`: one underlying write per call. */
  #encrypt (chunk: Uint8Array, out: Uint8Array): void {
    let offset = 0
    for (let start = 0; start < chunk.length; start += MAX_PLAINTEXT_LENGTH) {
      const plaintext = start === 0 && chunk.length <= MAX_PLAINTEXT_LENGTH ? chunk : chunk.subarray(start, start + MAX_PLAINTEXT_LENGTH)
      const length = plaintext.length + TAG_LENGTH
      out[offset] = length >>> 8
      out[offset + 1] = length & 0xff
      offset += 2 + this.#send.encryptInto(plaintext, out, offset + 2)
    }
  }

  /** An array of at least `size` bytes: the spare when it fits without much waste. */
  #output (size: number): Uint8Array {
    const spare = this.#spare
    this.#spare = undefined
    if (spare === undefined || spare.length < size || spare.length > SPARE_SLACK * size) return new Uint8Array(size)
    return spare
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
        const parts = await this.#readFrame()
        if (parts === undefined) return
        try {
          this.#receive.decryptInPlace(parts)
        } catch (err) {
          this.#connection.abort(err as Error)
          throw err
        }
        // The plaintext now fills the parts up to the tag: hand it on as views, no copy.
        let plaintext = 0
        for (const part of parts) plaintext += part.length
        plaintext -= TAG_LENGTH
        for (const part of parts) {
          if (plaintext <= 0) break
          const piece = part.length <= plaintext ? part : part.subarray(0, plaintext)
          plaintext -= piece.length
          yield piece
        }
      }
    } finally {
      this.#reading = false
    }
  }

  /** The next ciphertext as pieces, or `undefined` when the connection ended cleanly between frames. */
  async #readFrame (): Promise<Uint8Array[] | undefined> {
    if (this.#buffered < 2 && !await this.#fill(2)) {
      if (this.#buffered === 0) return undefined
      throw this.#truncated()
    }
    const length = (this.#byteAt(0) << 8) | this.#byteAt(1)
    if (this.#buffered < 2 + length && !await this.#fill(2 + length)) throw this.#truncated()
    this.#skip(2)
    return this.#takeParts(length)
  }

  /** Pulls chunks until `n` bytes are buffered; false if the source ended first. */
  async #fill (n: number): Promise<boolean> {
    while (this.#buffered < n) {
      if (this.#ended) return false
      const { done, value } = await this.#source.next()
      if (done === true) { this.#ended = true; continue }
      if (value.length === 0) continue
      this.#chunks.push(value)
      this.#buffered += value.length
    }
    return true
  }

  #byteAt (i: number): number {
    let at = this.#head + i
    for (const chunk of this.#chunks) {
      if (at < chunk.length) return chunk[at] as number
      at -= chunk.length
    }
    return 0
  }

  #skip (n: number): void {
    this.#buffered -= n
    while (n > 0) {
      const first = this.#chunks[0] as Uint8Array
      const left = first.length - this.#head
      if (n < left) { this.#head += n; return }
      n -= left
      this.#chunks.shift()
      this.#head = 0
    }
  }

  /** The next `n` buffered bytes as views of the chunks they arrived in. */
  #takeParts (n: number): Uint8Array[] {
    const parts: Uint8Array[] = []
    this.#buffered -= n
    while (n > 0) {
      const first = this.#chunks[0] as Uint8Array
      const left = first.length - this.#head
      if (n < left) {
        parts.push(first.subarray(this.#head, this.#head + n))
        this.#head += n
        return parts
      }
      parts.push(this.#head === 0 ? first : first.subarray(this.#head))
      n -= left
      this.#chunks.shift()
      this.#head = 0
    }
    return parts
  }

  #truncated (): Error {
    const truncated = new TruncatedFrameError('the connection ended inside a Noise frame')
    this.#connection.abort(truncated)
    return truncated
  }

  async closeWrite (): Promise<void> { await this.#connection.closeWrite() }
  async close (): Promise<void> { await this.#connection.close() }
  abort (err: Error): void { this.#connection.abort(err) }
}
