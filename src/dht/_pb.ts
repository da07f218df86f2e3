/**
 * The few protobuf wire operations the DHT codec needs (protobuf encoding guide: varint,
 * length-delimited). A stand-in with a deliberately small surface until the shared
 * src/protobuf/ reader/writer lands on main; message.ts uses only `PbWriter` and
 * `readFields`, so switching is local to this file.
 */

export class ProtobufError extends Error {
  override name = 'ProtobufError'
}

/** Wire types (protobuf encoding guide, "Message Structure"). */
export const WIRE_VARINT = 0
export const WIRE_I64 = 1
export const WIRE_LEN = 2
export const WIRE_I32 = 5

export interface Field {
  readonly number: number
  readonly wireType: number
  /** Varint fields: the value (inexact past 2^53, where no DHT field goes). */
  readonly varint: number
  /** Varint fields: the low 32 bits as a signed integer (int32 and enum fields). */
  readonly int32: number
  /** Length-delimited fields: a view of the payload. */
  readonly bytes: Uint8Array
}

const EMPTY = new Uint8Array(0)

function readVarint (buf: Uint8Array, at: number): [value: number, next: number, low32: number] {
  let value = 0
  let low = 0
  let scale = 1
  for (let i = 0; i < 10; i++) {
    if (at >= buf.length) throw new ProtobufError('truncated varint')
    const b = buf[at++]!
    value += (b & 0x7f) * scale
    if (i < 5) low |= (b & 0x7f) << (7 * i)
    if ((b & 0x80) === 0) return [value, at, low]
    scale *= 128
  }
  throw new ProtobufError('varint longer than 10 bytes')
}

/** Iterates the fields of one message; unknown wire types 1 and 5 are returned with empty payloads. */
export function * readFields (buf: Uint8Array): Generator<Field> {
  let at = 0
  while (at < buf.length) {
    const [tag, afterTag] = readVarint(buf, at)
    at = afterTag
    const number = Math.floor(tag / 8), wireType = tag % 8
    if (number === 0) throw new ProtobufError('field number 0')
    switch (wireType) {
      case WIRE_VARINT: {
        const [value, next, low] = readVarint(buf, at)
        at = next
        yield { number, wireType, varint: value, int32: low, bytes: EMPTY }
        break
      }
      case WIRE_LEN: {
        const [length, next] = readVarint(buf, at)
        if (length > buf.length - next) throw new ProtobufError(`length-delimited field ${number} runs past the end`)
        at = next + length
        yield { number, wireType, varint: 0, int32: 0, bytes: buf.subarray(next, at) }
        break
      }
      case WIRE_I64:
      case WIRE_I32: {
        const size = wireType === WIRE_I64 ? 8 : 4
        if (size > buf.length - at) throw new ProtobufError(`fixed field ${number} runs past the end`)
        at += size
        yield { number, wireType, varint: 0, int32: 0, bytes: EMPTY }
        break
      }
      default:
        throw new ProtobufError(`unsupported wire type ${wireType}`)
    }
  }
}

/** Appends fields into a growable buffer. */
export class PbWriter {
  #buf: Uint8Array
  #length = 0

  /** `sizeHint`: expected encoded size, to allocate once. */
  constructor (sizeHint = 64) {
    this.#buf = new Uint8Array(Math.max(16, sizeHint))
  }

  #reserve (n: number): void {
    if (this.#length + n <= this.#buf.length) return
    let size = this.#buf.length * 2
    while (size < this.#length + n) size *= 2
    const grown = new Uint8Array(size)
    grown.set(this.#buf.subarray(0, this.#length))
    this.#buf = grown
  }

  #varint (value: number): void {
    this.#reserve(10)
    // Negative int32 values take ten bytes, as two's complement over 64 bits.
    if (value < 0) {
      let lo = value >>> 0, hi = 0xffffffff
      for (let i = 0; i < 9; i++) {
        this.#buf[this.#length++] = (lo & 0x7f) | 0x80
        lo = ((lo >>> 7) | (hi << 25)) >>> 0
        hi >>>= 7
      }
      this.#buf[this.#length++] = 1
      return
    }
    while (value >= 0x80) {
      this.#buf[this.#length++] = (value % 128) | 0x80
      value = Math.floor(value / 128)
    }
    this.#buf[this.#length++] = value
  }

  uint (field: number, value: number): this {
    this.#varint(field * 8 + WIRE_VARINT)
    this.#varint(value)
    return this
  }

  bytes (field: number, value: Uint8Array): this {
    this.#varint(field * 8 + WIRE_LEN)
    this.#varint(value.length)
    this.#reserve(value.length)
    this.#buf.set(value, this.#length)
    this.#length += value.length
    return this
  }

  string (field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value))
  }

  finish (): Uint8Array {
    return this.#buf.slice(0, this.#length)
  }
}
