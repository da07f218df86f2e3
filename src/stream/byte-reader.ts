/**
 * Pulls exact byte counts out of a chunked source, for the length-prefixed
 * framings of multistream-select (varint), Noise (u16 big-endian) and the
 * protocols above. Bytes read past a frame are kept, so a layer can hand the
 * rest of the stream to the next layer without losing data (`rest()`).
 */
export class UnexpectedEndError extends Error {
  override name = 'UnexpectedEndError'
}

export class VarintError extends Error {
  override name = 'VarintError'
}

/** The longest varint we accept: 9 bytes carries 63 bits; lengths never need more. */
export const MAX_VARINT_BYTES = 9

export class ByteReader {
  readonly #source: AsyncIterator<Uint8Array>
  #buffered: Uint8Array[] = []
  #bufferedLength = 0
  #ended = false

  constructor (source: AsyncIterable<Uint8Array>) {
    this.#source = source[Symbol.asyncIterator]()
  }

  /** Bytes already pulled from the source and not yet consumed. */
  get bufferedLength (): number { return this.#bufferedLength }

  async #fill (atLeast: number): Promise<void> {
    while (this.#bufferedLength < atLeast) {
      if (this.#ended) throw new UnexpectedEndError(`stream ended ${atLeast - this.#bufferedLength} bytes short`)
      const { done, value } = await this.#source.next()
      if (done === true) { this.#ended = true; continue }
      if (value.length > 0) { this.#buffered.push(value); this.#bufferedLength += value.length }
    }
  }

  #take (n: number): Uint8Array {
    const first = this.#buffered[0]
    if (first !== undefined && first.length >= n) {
      this.#bufferedLength -= n
      if (first.length === n) this.#buffered.shift()
      else this.#buffered[0] = first.subarray(n)
      return first.subarray(0, n)
    }
    const out = new Uint8Array(n)
    let offset = 0
    while (offset < n) {
      const chunk = this.#buffered[0] as Uint8Array
      const take = Math.min(chunk.length, n - offset)
      out.set(chunk.subarray(0, take), offset)
      offset += take
      if (take === chunk.length) this.#buffered.shift()
      else this.#buffered[0] = chunk.subarray(take)
    }
    this.#bufferedLength -= n
    return out
  }

  /** Reads exactly `n` bytes; throws UnexpectedEndError if the source ends first. */
  async readExactly (n: number): Promise<Uint8Array> {
    if (n === 0) return new Uint8Array(0)
    await this.#fill(n)
    return this.#take(n)
  }

  /** Reads an unsigned LEB128 varint (multiformats unsigned-varint), at most `MAX_VARINT_BYTES`. */
  async readVarint (): Promise<number> {
    let value = 0
    let scale = 1
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const byte = (await this.readExactly(1))[0] as number
      value += (byte & 0x7f) * scale
      if ((byte & 0x80) === 0) {
        if (byte === 0 && i > 0) throw new VarintError('varint is not minimally encoded')
        if (!Number.isSafeInteger(value)) throw new VarintError('varint exceeds 2^53')
        return value
      }
      scale *= 128
    }
    throw new VarintError(`varint longer than ${MAX_VARINT_BYTES} bytes`)
  }

  /** Reads a varint length, checks it against `maxLength`, then reads that many bytes. */
  async readLengthPrefixed (maxLength: number): Promise<Uint8Array> {
    const length = await this.readVarint()
    if (length > maxLength) throw new RangeError(`length-prefixed message of ${length} bytes exceeds the limit of ${maxLength}`)
    return await this.readExactly(length)
  }

  /** Reads a 2-byte big-endian length, then that many bytes (Noise transport framing). */
  async readUint16Prefixed (): Promise<Uint8Array> {
    const header = await this.readExactly(2)
    return await this.readExactly(((header[0] as number) << 8) | (header[1] as number))
  }

  /**
   * Whatever is buffered, then the rest of the source: hand this to the next
   * layer. `onBufferedTaken` runs when the consumer first pulls, if anything was buffered.
   */
  rest (onBufferedTaken?: () => void): AsyncIterableIterator<Uint8Array> {
    return new Rest(this, this.#source, onBufferedTaken)
  }

  /** For Rest: what is buffered, now handed over, and whether the source already ended. */
  takeBuffered (): { chunks: Uint8Array[], ended: boolean } {
    const chunks = this.#buffered
    this.#buffered = []
    this.#bufferedLength = 0
    return { chunks, ended: this.#ended }
  }
}

/**
 * ByteReader#rest as a plain iterator rather than an async generator: every
 * connection reads through two of these (the multistream remainders under Noise
 * and under the muxer) for its whole life, and a suspended generator keeps its
 * frame, its pending request and the awaiting promise chain (about 1.7 KiB per
 * idle connection each, bench/e2e.js memory rows), besides one more turn per
 * chunk. Like the generator: the buffered bytes are taken at the first pull,
 * `return()` ends it without ending the source.
 */
class Rest implements AsyncIterableIterator<Uint8Array> {
  readonly #reader: ByteReader
  readonly #source: AsyncIterator<Uint8Array>
  #onBufferedTaken: (() => void) | undefined
  #buffered: Uint8Array[] | undefined
  #sourceEnded = false
  #done = false

  constructor (reader: ByteReader, source: AsyncIterator<Uint8Array>, onBufferedTaken: (() => void) | undefined) {
    this.#reader = reader
    this.#source = source
    this.#onBufferedTaken = onBufferedTaken
  }

  [Symbol.asyncIterator] (): AsyncIterableIterator<Uint8Array> { return this }

  // Not async: past the buffered chunks, the source's own promise is returned, so
  // nothing of this layer is suspended while a connection waits for bytes.
  next (): Promise<IteratorResult<Uint8Array>> {
    if (this.#buffered === undefined) {
      const { chunks, ended } = this.#reader.takeBuffered()
      this.#buffered = chunks
      this.#sourceEnded = ended
      const onBufferedTaken = this.#onBufferedTaken
      this.#onBufferedTaken = undefined
      if (chunks.length > 0) onBufferedTaken?.()
    }
    const chunk = this.#buffered.shift()
    if (chunk !== undefined) return Promise.resolve({ done: false, value: chunk })
    if (this.#done || this.#sourceEnded) return Promise.resolve({ done: true, value: undefined })
    return this.#source.next()
  }

  async return (): Promise<IteratorResult<Uint8Array>> {
    this.#done = true
    this.#buffered = []
    return { done: true, value: undefined }
  }
}

/** Unsigned LEB128 encoding of a non-negative safe integer. */
export function encodeVarint (value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`cannot encode ${value} as an unsigned varint`)
  const out: number[] = []
  while (value >= 0x80) { out.push((value % 128) | 0x80); value = Math.floor(value / 128) }
  out.push(value)
  return Uint8Array.from(out)
}
