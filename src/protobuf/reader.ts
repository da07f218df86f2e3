/**
 * Protobuf reader: a cursor over one encoded message (protobuf encoding guide,
 * "Message Structure"). `next()` reads a field tag; the caller then reads the
 * value with the accessor for the type it expects (which checks the wire
 * type) or `skipField()`s it, so unknown fields are skipped by the default branch:
 *
 *   const r = new ProtoReader(bytes)
 *   while (r.next()) {
 *     switch (r.field) {
 *       case 1: type = r.uint32(); break
 *       case 2: data = r.bytes(); break
 *       default: r.skipField()
 *     }
 *   }
 *
 * Nested messages: `new ProtoReader(r.bytes())`. `bytes()` returns a view into
 * the input, not a copy: slice what you keep beyond the input's life.
 * Every malformation is a ProtobufError; nothing is allocated in proportion to
 * a length the input claims, only to what it actually contains.
 */
import { ProtobufError } from './errors.js'
import { MAX_VARINT_BYTES } from './varint.js'

/**
 * Default cap on one encoded message: 4 MiB. Larger than any libp2p message
 * we decode (keys, envelopes, identify, DHT records) and equal to the largest
 * message js-libp2p's DHT accepts; callers with smaller protocols pass less.
 */
export const DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024

/**
 * Default cap on the number of fields in one message: 65536. Repeated fields
 * (addresses, peers, protocols) become arrays in the caller; this bounds them
 * independently of the byte size (an empty field costs 2 bytes on the wire).
 */
export const DEFAULT_MAX_FIELDS = 65536

export interface ProtoReaderOptions {
  /** Largest accepted message in bytes (default DEFAULT_MAX_MESSAGE_SIZE). */
  maxSize?: number
  /** Most fields accepted in the message (default DEFAULT_MAX_FIELDS). */
  maxFields?: number
}

export const WireType = Object.freeze({ VARINT: 0, FIXED64: 1, LENGTH_DELIMITED: 2, FIXED32: 5 })

const decoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true })

export class ProtoReader {
  /** Field number of the current field (valid after `next()` returned true). */
  field = 0
  /** Wire type of the current field. */
  wireType = 0
  private pos = 0
  private fields = 0
  private valueRead = true
  private readonly maxFields: number

  constructor (private readonly buf: Uint8Array, options: ProtoReaderOptions = {}) {
    if (!(buf instanceof Uint8Array)) throw new TypeError('protobuf input must be a Uint8Array')
    const maxSize = options.maxSize ?? DEFAULT_MAX_MESSAGE_SIZE
    this.maxFields = options.maxFields ?? DEFAULT_MAX_FIELDS
    if (buf.length > maxSize) throw new ProtobufError(`message of ${buf.length} bytes exceeds the limit of ${maxSize}`)
  }

  /** Advances to the next field; false at the end of the message. */
  next (): boolean {
    if (!this.valueRead) this.skipField()
    if (this.pos >= this.buf.length) return false
    if (++this.fields > this.maxFields) throw new ProtobufError(`more than ${this.maxFields} fields`)
    const tag = this.readVarint32('tag')
    this.field = Math.floor(tag / 8)
    this.wireType = tag & 7
    if (this.field === 0) throw new ProtobufError('field number 0')
    if (this.wireType !== 0 && this.wireType !== 1 && this.wireType !== 2 && this.wireType !== 5) {
      throw new ProtobufError(`field ${this.field}: unsupported wire type ${this.wireType}`)
    }
    this.valueRead = false
    return true
  }

  /** A varint that must fit 32 unsigned bits (uint32, enums, non-negative int32). */
  uint32 (): number {
    this.expect(WireType.VARINT)
    return this.readVarint32(`field ${this.field}`)
  }

  /** An int32: negative values arrive as 10-byte varints. */
  int32 (): number {
    this.expect(WireType.VARINT)
    const v = this.readVarint64()
    return Number(BigInt.asIntN(32, v))
  }

  uint64 (): bigint {
    this.expect(WireType.VARINT)
    return this.readVarint64()
  }

  bool (): boolean {
    this.expect(WireType.VARINT)
    return this.readVarint64() !== 0n
  }

  /** A fixed64 (8 bytes, little-endian): nonces, as autonat v2 sends them. */
  fixed64 (): bigint {
    this.expect(WireType.FIXED64)
    if (this.buf.length - this.pos < 8) throw new ProtobufError(`field ${this.field}: truncated fixed64`)
    let v = 0n
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(this.buf[this.pos + i] as number)
    this.pos += 8
    return v
  }

  /** A length-delimited field as a view into the input. */
  bytes (): Uint8Array {
    this.expect(WireType.LENGTH_DELIMITED)
    return this.readLengthDelimited()
  }

  /** A length-delimited field as UTF-8 text; invalid UTF-8 is a ProtobufError. */
  string (): string {
    const b = this.bytes()
    try {
      return decoder.decode(b)
    } catch {
      throw new ProtobufError(`field ${this.field}: invalid UTF-8`)
    }
  }

  /** Skips the current field's value (whatever its wire type). */
  skipField (): void {
    if (this.valueRead) return
    this.valueRead = true
    switch (this.wireType) {
      case WireType.VARINT: this.readVarint64(); break
      case WireType.FIXED64: this.advance(8); break
      case WireType.LENGTH_DELIMITED: this.readLengthDelimited(); break
      case WireType.FIXED32: this.advance(4); break
    }
  }

  private expect (wireType: number): void {
    if (this.valueRead) throw new ProtobufError('field value read twice or before next()')
    if (this.wireType !== wireType) throw new ProtobufError(`field ${this.field}: wire type ${this.wireType}, expected ${wireType}`)
    this.valueRead = true
  }

  private advance (n: number): void {
    if (this.buf.length - this.pos < n) throw new ProtobufError(`field ${this.field}: truncated`)
    this.pos += n
  }

  private readLengthDelimited (): Uint8Array {
    const length = this.readVarint32(`field ${this.field} length`)
    if (this.buf.length - this.pos < length) throw new ProtobufError(`field ${this.field}: length ${length} exceeds the remaining ${this.buf.length - this.pos} bytes`)
    const start = this.pos
    this.pos += length
    return this.buf.subarray(start, this.pos)
  }

  private readVarint32 (what: string): number {
    let result = 0
    let scale = 1
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.buf.length) throw new ProtobufError(`${what}: truncated varint`)
      const b = this.buf[this.pos++]
      result += (b & 0x7f) * scale
      if (b < 0x80) {
        if (result > 0xffffffff) throw new ProtobufError(`${what}: varint exceeds 32 bits`)
        return result
      }
      scale *= 128
    }
    throw new ProtobufError(`${what}: varint exceeds 32 bits`)
  }

  private readVarint64 (): bigint {
    let result = 0n
    let shift = 0n
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (this.pos >= this.buf.length) throw new ProtobufError(`field ${this.field}: truncated varint`)
      const b = this.buf[this.pos++]
      result |= BigInt(b & 0x7f) << shift
      if (b < 0x80) {
        if (i === MAX_VARINT_BYTES - 1 && b > 1) throw new ProtobufError(`field ${this.field}: varint exceeds 64 bits`)
        return result
      }
      shift += 7n
    }
    throw new ProtobufError(`field ${this.field}: varint exceeds 64 bits`)
  }
}
