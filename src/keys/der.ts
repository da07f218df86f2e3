/**
 * The sliver of ASN.1 DER (ITU-T X.690 §8, §10) that RSA and ECDSA key
 * encodings need: definite-length TLVs, read as a tree of views into the
 * input, and written from parts. Not a general ASN.1 library.
 */
import { concatBytes } from './_bytes.js'

/** Deepest nesting accepted; key structures need 4. */
export const MAX_DER_DEPTH = 8

export class DerError extends Error {
  override name = 'DerError'
}

export const DerTag = Object.freeze({
  INTEGER: 0x02, BIT_STRING: 0x03, OCTET_STRING: 0x04, NULL: 0x05, OID: 0x06, SEQUENCE: 0x30
})

export interface DerNode {
  tag: number
  /** Content octets (a view into the input). */
  value: Uint8Array
}

/** Reads exactly one TLV that spans all of `bytes`. */
export function readDer (bytes: Uint8Array): DerNode {
  const { node, end } = readTlv(bytes, 0)
  if (end !== bytes.length) throw new DerError('trailing bytes after DER value')
  return node
}

/** The TLVs inside a constructed value (SEQUENCE or context tag). */
export function derChildren (node: DerNode, depth = 1): DerNode[] {
  if (depth > MAX_DER_DEPTH) throw new DerError('DER nesting too deep')
  if ((node.tag & 0x20) === 0) throw new DerError(`tag 0x${node.tag.toString(16)} is not constructed`)
  const out: DerNode[] = []
  let offset = 0
  while (offset < node.value.length) {
    const { node: child, end } = readTlv(node.value, offset)
    out.push(child)
    offset = end
  }
  return out
}

/** The children of a SEQUENCE, checking the tag and the child count. */
export function derSequence (node: DerNode, minChildren: number, maxChildren = minChildren): DerNode[] {
  if (node.tag !== DerTag.SEQUENCE) throw new DerError('expected a SEQUENCE')
  const children = derChildren(node)
  if (children.length < minChildren || children.length > maxChildren) throw new DerError(`SEQUENCE has ${children.length} elements`)
  return children
}

export function expectTag (node: DerNode, tag: number): Uint8Array {
  if (node.tag !== tag) throw new DerError(`expected tag 0x${tag.toString(16)}, got 0x${node.tag.toString(16)}`)
  return node.value
}

/** An unsigned INTEGER's magnitude without the sign-padding zero. */
export function derUnsigned (node: DerNode): Uint8Array {
  const v = expectTag(node, DerTag.INTEGER)
  if (v.length === 0 || (v[0] & 0x80) !== 0) throw new DerError('expected a non-negative INTEGER')
  return v[0] === 0 && v.length > 1 ? v.subarray(1) : v
}

/** A BIT STRING's content, which must have no unused bits. */
export function derBitString (node: DerNode): Uint8Array {
  const v = expectTag(node, DerTag.BIT_STRING)
  if (v.length === 0 || v[0] !== 0) throw new DerError('BIT STRING with unused bits')
  return v.subarray(1)
}

function readTlv (buf: Uint8Array, offset: number): { node: DerNode, end: number } {
  if (buf.length - offset < 2) throw new DerError('truncated DER header')
  const tag = buf[offset]
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte DER tags are not supported')
  let length = buf[offset + 1]
  let pos = offset + 2
  if (length & 0x80) {
    const n = length & 0x7f
    if (n === 0 || n > 4) throw new DerError('unsupported DER length')
    if (buf.length - pos < n) throw new DerError('truncated DER length')
    length = 0
    for (let i = 0; i < n; i++) length = length * 256 + buf[pos + i]
    pos += n
    if (length < 0x80) throw new DerError('non-minimal DER length')
  }
  if (buf.length - pos < length) throw new DerError('truncated DER value')
  return { node: { tag, value: buf.subarray(pos, pos + length) }, end: pos + length }
}

function encodeLength (length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length)
  const bytes: number[] = []
  while (length > 0) { bytes.unshift(length & 0xff); length = Math.floor(length / 256) }
  return Uint8Array.of(0x80 | bytes.length, ...bytes)
}

export function derEncode (tag: number, ...content: Uint8Array[]): Uint8Array {
  const value = concatBytes(...content)
  return concatBytes(Uint8Array.of(tag), encodeLength(value.length), value)
}

/** INTEGER from an unsigned big-endian magnitude. */
export function derEncodeUnsigned (magnitude: Uint8Array): Uint8Array {
  let start = 0
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++
  const m = magnitude.subarray(start)
  return (m[0] & 0x80) !== 0 ? derEncode(DerTag.INTEGER, Uint8Array.of(0), m) : derEncode(DerTag.INTEGER, m)
}
