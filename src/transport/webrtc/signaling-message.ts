/**
 * The signaling messages (webrtc.md "Signaling Protocol"), each sent with a
 * varint length prefix on the `/webrtc-signaling/0.0.1` stream:
 *
 *   message Message {
 *     enum Type { SDP_OFFER = 0; SDP_ANSWER = 1; ICE_CANDIDATE = 2; }
 *     optional Type type = 1;
 *     optional string data = 2;   // the SDP, or RTCIceCandidate.toJSON() as JSON
 *   }
 */
import { ProtoReader, ProtoWriter, ProtobufError } from '../../protobuf/index.js'
import { MAX_SIGNALING_MESSAGE_SIZE } from './constants.js'
import { MalformedSignalingMessageError } from './errors.js'

export const SignalingType = Object.freeze({ SDP_OFFER: 0, SDP_ANSWER: 1, ICE_CANDIDATE: 2 })

export interface SignalingMessage {
  type?: number
  data?: string
}

export function encodeSignalingMessage (m: SignalingMessage): Uint8Array {
  const w = new ProtoWriter()
  if (m.type !== undefined) w.uint32(1, m.type)
  if (m.data !== undefined) w.string(2, m.data)
  return w.finish()
}

export function decodeSignalingMessage (bytes: Uint8Array): SignalingMessage {
  const m: SignalingMessage = {}
  try {
    const r = new ProtoReader(bytes, { maxSize: MAX_SIGNALING_MESSAGE_SIZE })
    while (r.next()) {
      switch (r.field) {
        case 1: m.type = r.uint32(); break
        case 2: m.data = r.string(); break
        default: r.skipField()
      }
    }
  } catch (err) {
    if (err instanceof ProtobufError) throw new MalformedSignalingMessageError(`malformed signaling message: ${err.message}`)
    throw err
  }
  return m
}
