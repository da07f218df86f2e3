/**
 * Yamux wire constants and the 12-byte frame header (libp2p yamux spec,
 * "Framing": /work/shared/specs/libp2p/yamux/README.md).
 *
 *   version u8 | type u8 | flags u16 | stream id u32 | length u32   (big endian)
 *
 * Only Data frames carry `length` bytes of payload; for Window Update the
 * length is a window delta, for Ping an opaque value echoed back, for Go Away
 * an error code.
 */

export const YAMUX_PROTOCOL = '/yamux/1.0.0'

/** Every frame header is 12 bytes. */
export const HEADER_LENGTH = 12
/** The only version the spec defines. */
export const YAMUX_VERSION = 0

export const FrameType = {
  Data: 0,
  WindowUpdate: 1,
  Ping: 2,
  GoAway: 3
} as const
export type FrameType = typeof FrameType[keyof typeof FrameType]

export const Flag = {
  /** Opens a stream; on a Ping: a request. */
  SYN: 0x1,
  /** Accepts a stream; on a Ping: the reply. */
  ACK: 0x2,
  /** Half-close: the sender writes no more. */
  FIN: 0x4,
  /** Hard close of a stream. */
  RST: 0x8
} as const

/** Go Away codes (spec, "Session termination"). */
export const GoAwayCode = {
  Normal: 0,
  ProtocolError: 1,
  InternalError: 2
} as const
export type GoAwayCode = typeof GoAwayCode[keyof typeof GoAwayCode]

/** Writes a header into `out` at `offset` (`out` must have 12 bytes free there). */
export function writeHeader (out: Uint8Array, offset: number, type: number, flags: number, id: number, length: number): void {
  out[offset] = YAMUX_VERSION
  out[offset + 1] = type
  out[offset + 2] = flags >>> 8
  out[offset + 3] = flags & 0xff
  out[offset + 4] = id >>> 24
  out[offset + 5] = (id >>> 16) & 0xff
  out[offset + 6] = (id >>> 8) & 0xff
  out[offset + 7] = id & 0xff
  out[offset + 8] = length >>> 24
  out[offset + 9] = (length >>> 16) & 0xff
  out[offset + 10] = (length >>> 8) & 0xff
  out[offset + 11] = length & 0xff
}

/** A fresh 12-byte header. */
export function encodeHeader (type: number, flags: number, id: number, length: number): Uint8Array {
  const out = new Uint8Array(HEADER_LENGTH)
  writeHeader(out, 0, type, flags, id, length)
  return out
}
