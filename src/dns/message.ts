/**
 * The DNS message format (RFC 1035 §4), enough for mDNS peer discovery
 * (RFC 6762) and `_dnsaddr` TXT lookups: header, questions and resource
 * records, names with compression (§4.1.4) on decode, and typed data for A,
 * AAAA, PTR, TXT and SRV; other record types keep their raw bytes.
 *
 * The decoder reads untrusted datagrams: every length is checked against the
 * buffer, names are bounded (255 bytes, 63 per label), compression pointers
 * may only point backwards and are followed at most MAX_DNS_POINTER_JUMPS
 * times, record counts are capped, and every failure is a named
 * DnsMessageError. The encoder writes names uncompressed (always valid) and
 * refuses a message over MAX_DNS_MESSAGE_SIZE.
 */
import {
  DNS_CLASS_IN, DnsType, MAX_DNS_LABEL_LENGTH, MAX_DNS_MESSAGE_SIZE, MAX_DNS_NAME_LENGTH, MAX_DNS_POINTER_JUMPS,
  MAX_DNS_RECORDS, MAX_DNS_STRING_LENGTH, MDNS_CLASS_FLAG
} from './constants.js'
import { DnsCompressionError, DnsFormatError, DnsLimitError, DnsTruncatedError } from './errors.js'

export interface DnsQuestion {
  name: string
  type: number
  /** Default DNS_CLASS_IN. */
  class?: number
  /** mDNS QU bit: the asker would take a unicast answer. */
  unicastResponse?: boolean
}

export interface SrvData { priority: number, weight: number, port: number, target: string }

/** Record data by type: A/AAAA an address text, PTR a name, TXT its strings, SRV its fields, others raw. */
export type DnsRecordData = string | Uint8Array[] | SrvData | Uint8Array

export interface DnsRecord {
  name: string
  type: number
  /** Default DNS_CLASS_IN. */
  class?: number
  /** mDNS cache-flush bit. */
  cacheFlush?: boolean
  /** Seconds. */
  ttl: number
  data: DnsRecordData
}

export interface DnsMessage {
  /** Default 0 (mDNS uses 0). */
  id?: number
  /** QR: true for a response. */
  response: boolean
  /** AA. */
  authoritative?: boolean
  /** RD. */
  recursionDesired?: boolean
  /** RA. */
  recursionAvailable?: boolean
  /** TC. */
  truncated?: boolean
  /** RCODE, default 0. */
  rcode?: number
  /** OPCODE, default 0 (QUERY). */
  opcode?: number
  questions: DnsQuestion[]
  answers: DnsRecord[]
  authorities: DnsRecord[]
  additionals: DnsRecord[]
}

const HEADER_SIZE = 12
const encoder = new TextEncoder()
const decoder = new TextDecoder()

// ---------------------------------------------------------------- decoding

class Reader {
  offset = 0
  constructor (readonly bytes: Uint8Array, readonly view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)) {}

  need (n: number, what: string): void {
    if (this.offset + n > this.bytes.length) throw new DnsTruncatedError(`message ends inside ${what} (offset ${this.offset}, need ${n} of ${this.bytes.length - this.offset})`)
  }

  u8 (what: string): number { this.need(1, what); return this.bytes[this.offset++] as number }
  u16 (what: string): number { this.need(2, what); const v = this.view.getUint16(this.offset); this.offset += 2; return v }
  u32 (what: string): number { this.need(4, what); const v = this.view.getUint32(this.offset); this.offset += 4; return v }
  take (n: number, what: string): Uint8Array { this.need(n, what); const v = this.bytes.subarray(this.offset, this.offset + n); this.offset += n; return v }

  /** A name at the current offset (compression followed); leaves the offset after its in-place part. */
  name (): string {
    const labels: string[] = []
    let at = this.offset
    let resumeAt: number | undefined
    let wireLength = 1 // the final zero byte
    let jumps = 0
    // Each pointer must point before itself and before the previous pointer's target:
    // targets strictly decrease, so a loop cannot happen.
    let limit = Infinity
    for (;;) {
      if (at >= this.bytes.length) throw new DnsTruncatedError(`message ends inside a name (offset ${at})`)
      const length = this.bytes[at] as number
      const kind = length & 0xc0
      if (kind === 0xc0) {
        if (at + 1 >= this.bytes.length) throw new DnsTruncatedError('message ends inside a compression pointer')
        const target = ((length & 0x3f) << 8) | (this.bytes[at + 1] as number)
        if (++jumps > MAX_DNS_POINTER_JUMPS) throw new DnsCompressionError(`a name follows more than ${MAX_DNS_POINTER_JUMPS} compression pointers`)
        if (target >= Math.min(limit, at)) throw new DnsCompressionError(`compression pointer at ${at} points forward or into itself (to ${target})`)
        resumeAt ??= at + 2
        limit = target
        at = target
        continue
      }
      if (kind !== 0) throw new DnsFormatError(`reserved label type 0x${kind.toString(16)} at offset ${at}`)
      if (length === 0) { at += 1; break }
      if (length > MAX_DNS_LABEL_LENGTH) throw new DnsLimitError(`label of ${length} bytes exceeds ${MAX_DNS_LABEL_LENGTH}`)
      wireLength += length + 1
      if (wireLength > MAX_DNS_NAME_LENGTH) throw new DnsLimitError(`name exceeds ${MAX_DNS_NAME_LENGTH} bytes`)
      if (at + 1 + length > this.bytes.length) throw new DnsTruncatedError(`message ends inside a label (offset ${at})`)
      labels.push(decoder.decode(this.bytes.subarray(at + 1, at + 1 + length)))
      at += 1 + length
    }
    this.offset = resumeAt ?? at
    return labels.join('.')
  }
}

function decodeQuestion (r: Reader): DnsQuestion {
  const name = r.name()
  const type = r.u16('a question')
  const klass = r.u16('a question')
  return { name, type, class: klass & ~MDNS_CLASS_FLAG, unicastResponse: (klass & MDNS_CLASS_FLAG) !== 0 }
}

function decodeRecord (r: Reader): DnsRecord {
  const name = r.name()
  const type = r.u16('a record header')
  const klass = r.u16('a record header')
  const ttl = r.u32('a record header')
  const length = r.u16('a record header')
  r.need(length, `the data of a ${name} record`)
  const end = r.offset + length
  const data = decodeData(r, type, length, end)
  if (r.offset !== end) throw new DnsFormatError(`the data of a type ${type} record does not fill its ${length} bytes`)
  return { name, type, class: klass & ~MDNS_CLASS_FLAG, cacheFlush: (klass & MDNS_CLASS_FLAG) !== 0, ttl, data }
}

function decodeData (r: Reader, type: number, length: number, end: number): DnsRecordData {
  switch (type) {
    case DnsType.A: {
      if (length !== 4) throw new DnsFormatError(`A record of ${length} bytes, expected 4`)
      return [...r.take(4, 'an A record')].join('.')
    }
    case DnsType.AAAA: {
      if (length !== 16) throw new DnsFormatError(`AAAA record of ${length} bytes, expected 16`)
      const b = r.take(16, 'an AAAA record')
      const groups: string[] = []
      for (let i = 0; i < 16; i += 2) groups.push((((b[i] as number) << 8) | (b[i + 1] as number)).toString(16))
      return groups.join(':')
    }
    case DnsType.PTR: {
      // A name may be compressed and point anywhere earlier; it must still end inside the data.
      const name = r.name()
      if (r.offset > end) throw new DnsFormatError('PTR name runs past its record data')
      return name
    }
    case DnsType.TXT: {
      const strings: Uint8Array[] = []
      while (r.offset < end) {
        const n = r.u8('a TXT string')
        if (r.offset + n > end) throw new DnsFormatError('TXT string runs past its record data')
        strings.push(r.take(n, 'a TXT string').slice())
      }
      return strings
    }
    case DnsType.SRV: {
      if (length < 7) throw new DnsFormatError(`SRV record of ${length} bytes is too short`)
      const priority = r.u16('an SRV record')
      const weight = r.u16('an SRV record')
      const port = r.u16('an SRV record')
      const target = r.name()
      if (r.offset > end) throw new DnsFormatError('SRV target runs past its record data')
      return { priority, weight, port, target }
    }
    default:
      return r.take(length, 'record data').slice()
  }
}

/**
 * Decodes one DNS message; throws a DnsMessageError on anything malformed or over a limit.
 * `maxSize`: default MAX_DNS_MESSAGE_SIZE (a datagram); DNS over HTTPS or TCP may allow up to 65535.
 */
export function decodeDnsMessage (bytes: Uint8Array, { maxSize = MAX_DNS_MESSAGE_SIZE } = {}): DnsMessage {
  if (bytes.length > maxSize) throw new DnsLimitError(`message of ${bytes.length} bytes exceeds ${maxSize}`)
  if (bytes.length < HEADER_SIZE) throw new DnsTruncatedError(`message of ${bytes.length} bytes is shorter than the 12-byte header`)
  const r = new Reader(bytes)
  const id = r.u16('the header')
  const flags = r.u16('the header')
  const counts = [r.u16('the header'), r.u16('the header'), r.u16('the header'), r.u16('the header')] as const
  const total = counts[0] + counts[1] + counts[2] + counts[3]
  if (total > MAX_DNS_RECORDS) throw new DnsLimitError(`message claims ${total} records, more than ${MAX_DNS_RECORDS}`)
  const questions = Array.from({ length: counts[0] }, () => decodeQuestion(r))
  const answers = Array.from({ length: counts[1] }, () => decodeRecord(r))
  const authorities = Array.from({ length: counts[2] }, () => decodeRecord(r))
  const additionals = Array.from({ length: counts[3] }, () => decodeRecord(r))
  return {
    id,
    response: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    authoritative: (flags & 0x0400) !== 0,
    truncated: (flags & 0x0200) !== 0,
    recursionDesired: (flags & 0x0100) !== 0,
    recursionAvailable: (flags & 0x0080) !== 0,
    rcode: flags & 0xf,
    questions,
    answers,
    authorities,
    additionals
  }
}

// ---------------------------------------------------------------- encoding

class Writer {
  bytes = new Uint8Array(512)
  length = 0

  reserve (n: number): void {
    if (this.length + n > MAX_DNS_MESSAGE_SIZE) throw new DnsLimitError(`message would exceed ${MAX_DNS_MESSAGE_SIZE} bytes`)
    if (this.length + n <= this.bytes.length) return
    const grown = new Uint8Array(Math.min(MAX_DNS_MESSAGE_SIZE, Math.max(this.bytes.length * 2, this.length + n)))
    grown.set(this.bytes.subarray(0, this.length))
    this.bytes = grown
  }

  u8 (v: number): void { this.reserve(1); this.bytes[this.length++] = v }
  u16 (v: number): void { this.reserve(2); this.bytes[this.length++] = v >> 8; this.bytes[this.length++] = v & 0xff }
  u32 (v: number): void { this.u16((v >>> 16) & 0xffff); this.u16(v & 0xffff) }
  raw (b: Uint8Array): void { this.reserve(b.length); this.bytes.set(b, this.length); this.length += b.length }

  name (name: string): void {
    const labels = name.replace(/\.$/, '').split('.').filter(l => l.length > 0)
    let total = 1
    for (const label of labels) {
      const bytes = encoder.encode(label)
      if (bytes.length > MAX_DNS_LABEL_LENGTH) throw new DnsLimitError(`label "${label}" exceeds ${MAX_DNS_LABEL_LENGTH} bytes`)
      total += bytes.length + 1
      if (total > MAX_DNS_NAME_LENGTH) throw new DnsLimitError(`name ${name} exceeds ${MAX_DNS_NAME_LENGTH} bytes`)
      this.u8(bytes.length)
      this.raw(bytes)
    }
    this.u8(0)
  }
}

function ipv4Bytes (text: string): Uint8Array {
  const parts = text.split('.').map(p => /^\d{1,3}$/.test(p) ? Number(p) : NaN)
  if (parts.length !== 4 || parts.some(p => !(p >= 0 && p <= 255))) throw new DnsFormatError(`not an IPv4 address: ${text}`)
  return new Uint8Array(parts)
}

function ipv6Bytes (text: string): Uint8Array {
  const halves = text.split('::')
  if (halves.length > 2) throw new DnsFormatError(`not an IPv6 address: ${text}`)
  const parse = (s: string): number[] => s === '' ? [] : s.split(':').map(g => /^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)
  const head = parse(halves[0] as string)
  const tail = halves.length === 2 ? parse(halves[1] as string) : []
  const groups = halves.length === 2 ? [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail] : head
  if (groups.length !== 8 || groups.some(g => Number.isNaN(g))) throw new DnsFormatError(`not an IPv6 address: ${text}`)
  const out = new Uint8Array(16)
  groups.forEach((g, i) => { out[2 * i] = g >> 8; out[2 * i + 1] = g & 0xff })
  return out
}

function encodeData (w: Writer, record: DnsRecord): void {
  const { type, data } = record
  const start = w.length
  w.u16(0) // length, filled in below
  if (type === DnsType.A) w.raw(ipv4Bytes(data as string))
  else if (type === DnsType.AAAA) w.raw(ipv6Bytes(data as string))
  else if (type === DnsType.PTR) w.name(data as string)
  else if (type === DnsType.TXT) {
    for (const s of data as Uint8Array[]) {
      if (s.length > MAX_DNS_STRING_LENGTH) throw new DnsLimitError(`TXT string of ${s.length} bytes exceeds ${MAX_DNS_STRING_LENGTH}`)
      w.u8(s.length)
      w.raw(s)
    }
  } else if (type === DnsType.SRV) {
    const srv = data as SrvData
    w.u16(srv.priority); w.u16(srv.weight); w.u16(srv.port); w.name(srv.target)
  } else {
    if (!(data instanceof Uint8Array)) throw new DnsFormatError(`record type ${type} needs raw bytes as data`)
    w.raw(data)
  }
  const length = w.length - start - 2
  w.bytes[start] = length >> 8
  w.bytes[start + 1] = length & 0xff
}

function encodeRecord (w: Writer, record: DnsRecord): void {
  w.name(record.name)
  w.u16(record.type)
  w.u16((record.class ?? DNS_CLASS_IN) | (record.cacheFlush === true ? MDNS_CLASS_FLAG : 0))
  w.u32(record.ttl >>> 0)
  encodeData(w, record)
}

/** Encodes a DNS message; throws DnsLimitError past MAX_DNS_MESSAGE_SIZE or a limit of the format. */
export function encodeDnsMessage (message: DnsMessage): Uint8Array {
  const total = message.questions.length + message.answers.length + message.authorities.length + message.additionals.length
  if (total > MAX_DNS_RECORDS) throw new DnsLimitError(`message of ${total} records exceeds ${MAX_DNS_RECORDS}`)
  const w = new Writer()
  w.u16(message.id ?? 0)
  w.u16((message.response ? 0x8000 : 0) | (((message.opcode ?? 0) & 0xf) << 11) | (message.authoritative === true ? 0x0400 : 0) |
    (message.truncated === true ? 0x0200 : 0) | (message.recursionDesired === true ? 0x0100 : 0) |
    (message.recursionAvailable === true ? 0x0080 : 0) | ((message.rcode ?? 0) & 0xf))
  w.u16(message.questions.length); w.u16(message.answers.length); w.u16(message.authorities.length); w.u16(message.additionals.length)
  for (const q of message.questions) {
    w.name(q.name)
    w.u16(q.type)
    w.u16((q.class ?? DNS_CLASS_IN) | (q.unicastResponse === true ? MDNS_CLASS_FLAG : 0))
  }
  for (const section of [message.answers, message.authorities, message.additionals]) for (const record of section) encodeRecord(w, record)
  return w.bytes.slice(0, w.length)
}

/** The text of TXT strings (UTF-8, invalid bytes replaced). */
export function txtStrings (data: DnsRecordData): string[] {
  return Array.isArray(data) ? data.map(s => decoder.decode(s)) : []
}

/** TXT data from text strings. */
export function txtData (strings: string[]): Uint8Array[] {
  return strings.map(s => encoder.encode(s))
}
