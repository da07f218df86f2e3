// The data channel framing (webrtc README.md "Multiplexing") and the signaling
// messages (webrtc.md "Signaling Protocol"): hand-computed vectors, the 16 KiB
// limit, frames split across and packed into channel messages, and hostile input.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { webrtc } from '../../dist/index.js'

const { Flag, FrameDecoder, encodeFrame, decodeFrameBody, encodeSignalingMessage, decodeSignalingMessage, SignalingType, MAX_MESSAGE_SIZE, MAX_MESSAGE_PAYLOAD } = webrtc
const test = suite('webrtc framing')
const hex = b => Array.from(b, x => x.toString(16).padStart(2, '0')).join('')
const fromHex = h => Uint8Array.from(h.match(/../g), x => parseInt(x, 16))

test('named constants: 16 KiB per message, flags as the spec numbers them', () => {
  assert.is(MAX_MESSAGE_SIZE, 16384)
  assert.equal({ ...Flag }, { FIN: 0, STOP_SENDING: 1, RESET_STREAM: 2, FIN_ACK: 3 })
  assert.equal({ ...SignalingType }, { SDP_OFFER: 0, SDP_ANSWER: 1, ICE_CANDIDATE: 2 })
})

test('frame vectors: varint length, then the protobuf', () => {
  assert.is(hex(encodeFrame({ flag: Flag.FIN })), '020800')
  assert.is(hex(encodeFrame({ flag: Flag.FIN_ACK })), '020803')
  assert.is(hex(encodeFrame({ message: Uint8Array.of(1, 2, 3) })), '0512' + '03010203')
  assert.is(hex(encodeFrame({ flag: Flag.RESET_STREAM, message: Uint8Array.of(9) })), '05080212' + '0109')
})

test('a full payload makes a frame of at most MAX_MESSAGE_SIZE; one byte more is refused', () => {
  const frame = encodeFrame({ flag: Flag.FIN, message: new Uint8Array(MAX_MESSAGE_PAYLOAD) })
  assert.ok(frame.length <= MAX_MESSAGE_SIZE, `${frame.length}`)
  assert.throws(() => encodeFrame({ message: new Uint8Array(MAX_MESSAGE_SIZE) }), RangeError)
})

test('the decoder reassembles frames split across messages and splits packed ones', () => {
  const frames = [encodeFrame({ message: Uint8Array.of(1, 2) }), encodeFrame({ flag: Flag.FIN }), encodeFrame({ message: new Uint8Array(5000).fill(7) })]
  const all = new Uint8Array(frames.reduce((n, f) => n + f.length, 0))
  let o = 0
  for (const f of frames) { all.set(f, o); o += f.length }
  for (const cut of [1, 2, 3, 5, 7, 4000, all.length]) {
    const d = new FrameDecoder()
    const out = []
    for (let i = 0; i < all.length; i += cut) out.push(...d.push(all.subarray(i, i + cut)))
    assert.is(out.length, 3, `cut ${cut}`)
    assert.equal([...out[0].message], [1, 2])
    assert.is(out[1].flag, Flag.FIN)
    assert.is(out[2].message.length, 5000)
  }
})

test('hostile frames: too long, a 3-byte length prefix, bad protobuf, an unknown flag — WebRTCFramingError', () => {
  const cases = {
    'length over the limit': Uint8Array.of(0xff, 0x7f),
    'three-byte prefix': Uint8Array.of(0x80, 0x80, 0x01),
    'truncated field': Uint8Array.of(0x02, 0x12, 0x05),
    'unknown flag': Uint8Array.of(0x02, 0x08, 0x04)
  }
  for (const [what, bytes] of Object.entries(cases)) {
    try {
      new FrameDecoder().push(bytes)
      assert.unreachable(what)
    } catch (err) {
      assert.is(err.name, 'WebRTCFramingError', what)
    }
  }
})

test('unknown fields are skipped (proto2 forward compatibility)', () => {
  assert.equal(decodeFrameBody(Uint8Array.of(0x18, 0x05, 0x08, 0x01)), { flag: Flag.STOP_SENDING })
})

test('signaling message vectors and hostile input', () => {
  assert.is(hex(encodeSignalingMessage({ type: SignalingType.SDP_ANSWER, data: 'v=0' })), '0801' + '1203763d30')
  assert.equal(decodeSignalingMessage(fromHex('08021202' + '7b7d')), { type: 2, data: '{}' })
  try {
    decodeSignalingMessage(Uint8Array.of(0x12, 0x02, 0xff, 0xfe))
    assert.unreachable()
  } catch (err) {
    assert.is(err.name, 'MalformedSignalingMessageError')
  }
})

test.run()
