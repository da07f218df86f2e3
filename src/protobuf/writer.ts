/**
 * Protobuf writer: fields are appended in call order, so callers write them in
 * field-number order (what deterministic encodings like the libp2p key
 * protobufs require, peer-ids spec "Keys"). Every call writes its field;
 * proto3 default-omission is the caller's decision. Varints are minimal.
 *
 *   const w = new ProtoWriter()
 *   w.uint32(1, 1).bytes(2, keyBytes)
 *   const encoded = w.finish()
 *
 * Nested messages: `w.bytes(n, inner.finish())`; repeated fields: call again.
 */
import { varintLength, varintLengthBig } from './varint.js'

const INITIAL_CAPACITY = 64
const WIRE_VARINT = 0
const WIRE_FIXED64 = 1
const WIRE_LENGTH_DELIMITED = 2
/** Largest field number protobuf allows (2^29 − 1). */
export const MAX_FIELD_NUMBER = 0x1fffffff

const encoder = /* @__PURE__ */ new TextEncoder()

export class ProtoWriter {
  private buffer = new Uint8Array(INITIAL_CAPACITY)
  private length = 0

  /** A varint field holding an unsigned 32-bit value (also enums and non-negative int32). */
  uint32 (field: number, value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`field ${field}: uint32 out of range: ${value}`)
    this.tag(field, WIRE_VARINT)
    this.varint(value)
    return this
  }

  /** A varint field holding an int32; negative values take 10 bytes, as protobuf specifies. */
  int32 (field: number, value: number): this {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw new RangeError(`field ${field}: int32 out of range: ${value}`)
    if (value >= 0) return this.uint32(field, value)
    return this.uint64(field, BigInt.asUintN(64, BigInt(value)))
  }

  /** A varint field holding an unsigned 64-bit value. */
  uint64 (field: number, value: bigint | number): this {
    const v = BigInt(value)
    if (v < 0n || v > 0xffffffffffffffffn) throw new RangeError(`field ${field}: uint64 out of range: ${v}`)
    this.tag(field, WIRE_VARINT)
    this.reserve(varintLengthBig(v))
    let rest = v
    while (rest >= 0x80n) {
      this.buffer[this.length++] = Number(rest & 0x7fn) | 0x80
      rest >>= 7n
    }
    this.buffer[this.length++] = Number(rest)
    return this
  }

  /** A fixed64 field: 8 bytes, little-endian. */
  fixed64 (field: number, value: bigint): this {
    if (typeof value !== 'bigint' || value < 0n || value > 0xffffffffffffffffn) throw new RangeError(`field ${field}: fixed64 out of range: ${String(value)}`)
    this.tag(field, WIRE_FIXED64)
    this.reserve(8)
    let rest = value
    for (let i = 0; i < 8; i++) {
      this.buffer[this.length++] = Number(rest & 0xffn)
      rest >>= 8n
    }
    return this
  }

  bool (field: number, value: boolean): this {
    this.tag(field, WIRE_VARINT)
    this.varint(value ? 1 : 0)
    return this
  }

  /** A length-delimited field: bytes, or an encoded nested message. */
  bytes (field: number, value: Uint8Array): this {
    if (!(value instanceof Uint8Array)) throw new TypeError(`field ${field}: bytes must be a Uint8Array`)
    this.tag(field, WIRE_LENGTH_DELIMITED)
    this.varint(value.length)
    this.reserve(value.length)
    this.buffer.set(value, this.length)
    this.length += value.length
    return this
  }

  /**
   * A length-delimited field holding UTF-8 text. Protocol ids, agent versions
   * and topics are ASCII: those are copied straight into the buffer, which
   * measured about 2× faster for identify than a TextEncoder.encode() (and its
   * new array) per string; anything else still goes through the encoder.
   */
  string (field: number, value: string): this {
    if (typeof value !== 'string') throw new TypeError(`field ${field}: string must be a string`)
    const n = value.length
    for (let i = 0; i < n; i++) if (value.charCodeAt(i) >= 0x80) return this.bytes(field, encoder.encode(value))
    this.tag(field, WIRE_LENGTH_DELIMITED)
    this.varint(n)
    this.reserve(n)
    const buffer = this.buffer
    let at = this.length
    for (let i = 0; i < n; i++) buffer[at++] = value.charCodeAt(i)
    this.length = at
    return this
  }

  /** The encoded message (a copy: the writer may be reused after `reset()`). */
  finish (): Uint8Array {
    return this.buffer.slice(0, this.length)
  }

  reset (): this {
    this.length = 0
    return this
  }

  private tag (field: number, wireType: number): void {
    if (!Number.isInteger(field) || field < 1 || field > MAX_FIELD_NUMBER) throw new RangeError(`invalid field number ${field}`)
    this.varint(field * 8 + wireType)
  }

  private varint (value: number): void {
    this.reserve(varintLength(value))
    while (value >= 0x80) {
      this.buffer[this.length++] = (value & 0x7f) | 0x80
      value = Math.floor(value / 128)
    }
    this.buffer[this.length++] = value
  }

  private reserve (n: number): void {
    const needed = this.length + n
    if (needed <= this.buffer.length) return
    let capacity = this.buffer.length * 2
    while (capacity < needed) capacity *= 2
    const next = new Uint8Array(capacity)
    next.set(this.buffer.subarray(0, this.length))
    this.buffer = next
  }
}
