/**
 * The data channel framing (../shared/specs/libp2p/webrtc/README.md
 * "Multiplexing"): each message is `varint(length) ‖ Message`, where
 *
 *   message Message { optional Flag flag = 1; optional bytes message = 2; }
 *   enum Flag { FIN = 0; STOP_SENDING = 1; RESET_STREAM = 2; FIN_ACK = 3; }
 *
 * and an encoded message with its prefix is at most MAX_MESSAGE_SIZE bytes.
 * The flags carry what data channels lack: half-close (FIN, acknowledged by
 * FIN_ACK), stop-reading (STOP_SENDING) and reset (RESET_STREAM), with QUIC's
 * meanings (RFC 9000).
 */
import { ProtoReader, ProtoWriter, ProtobufError, varintLength } from '../../protobuf/index.js'
import { MAX_MESSAGE_SIZE } from './constants.js'
import { WebRTCFramingError } from './errors.js'

export const Flag = Object.freeze({ FIN: 0, STOP_SENDING: 1, RESET_STREAM: 2, FIN_ACK: 3 })
export type FlagValue = typeof Flag[keyof typeof Flag]

export interface FrameMessage {
  flag?: FlagValue
  message?: Uint8Array
}

/** One length-prefixed frame, ready for `RTCDataChannel.send`. */
export function encodeFrame (m: FrameMessage): Uint8Array {
  const w = new ProtoWriter()
  if (m.flag !== undefined) w.uint32(1, m.flag)
  if (m.message !== undefined) w.bytes(2, m.message)
  const body = w.finish()
  const prefix = varintLength(body.length)
  if (prefix + body.length > MAX_MESSAGE_SIZE) throw new RangeError(`a frame of ${prefix + body.length} bytes exceeds ${MAX_MESSAGE_SIZE}`)
  const out = new Uint8Array(prefix + body.length)
  let n = body.length
  let i = 0
  while (n >= 0x80) { out[i++] = (n & 0x7f) | 0x80; n >>>= 7 }
  out[i++] = n
  out.set(body, i)
  return out
}

export function decodeFrameBody (body: Uint8Array): FrameMessage {
  const m: FrameMessage = {}
  try {
    const r = new ProtoReader(body, { maxSize: MAX_MESSAGE_SIZE })
    while (r.next()) {
      switch (r.field) {
        case 1: {
          const flag = r.uint32()
          if (flag > Flag.FIN_ACK) throw new WebRTCFramingError(`unknown flag ${flag}`)
          m.flag = flag as FlagValue
          break
        }
        case 2: m.message = r.bytes(); break
        default: r.skipField()
      }
    }
  } catch (err) {
    if (err instanceof ProtobufError) throw new WebRTCFramingError(`malformed frame: ${err.message}`)
    throw err
  }
  return m
}

/**
 * Splits received data channel messages into frames. A sender may put several
 * frames in one message or split one across messages (js-libp2p reads the
 * channel as a byte stream), so this buffers across messages; it never holds
 * more than one incomplete frame, which is at most MAX_MESSAGE_SIZE bytes.
 */
export class FrameDecoder {
  #pending: Uint8Array = new Uint8Array(0)

  /** The complete frames in `pending ‖ chunk`; WebRTCFramingError for a frame over MAX_MESSAGE_SIZE. */
  push (chunk: Uint8Array): FrameMessage[] {
    let buf = chunk
    if (this.#pending.length > 0) {
      buf = new Uint8Array(this.#pending.length + chunk.length)
      buf.set(this.#pending)
      buf.set(chunk, this.#pending.length)
    }
    const frames: FrameMessage[] = []
    let offset = 0
    while (offset < buf.length) {
      let length = 0
      let shift = 0
      let i = offset
      let complete = false
      // Two varint bytes reach 16383; a third means a frame larger than the limit.
      while (i < buf.length && i - offset < 3) {
        const b = buf[i++] as number
        length += (b & 0x7f) * 2 ** shift
        shift += 7
        if ((b & 0x80) === 0) { complete = true; break }
      }
      if (!complete) {
        if (i - offset >= 3) throw new WebRTCFramingError(`a frame length prefix longer than ${MAX_MESSAGE_SIZE} allows`)
        break
      }
      const prefix = i - offset
      if (prefix + length > MAX_MESSAGE_SIZE) throw new WebRTCFramingError(`a frame of ${prefix + length} bytes exceeds ${MAX_MESSAGE_SIZE}`)
      if (i + length > buf.length) break
      frames.push(decodeFrameBody(buf.subarray(i, i + length)))
      offset = i + length
    }
    this.#pending = offset === buf.length ? new Uint8Array(0) : buf.slice(offset)
    return frames
  }
}
