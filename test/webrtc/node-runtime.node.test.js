// In Node there is no RTCPeerConnection and wasp2p has no native WebRTC
// dependency: `webRTC()` refuses with UnsupportedTransportError, and nothing
// in package.json's runtime dependencies is a WebRTC implementation. Also:
// our framing and signaling messages are byte-identical to js-libp2p's own
// protobuf codecs (@libp2p/webrtc 6), both ways.
import { readFile } from 'node:fs/promises'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createNode, webRTC, webRTCSupported, webrtc } from '../../dist/index.js'
import { Message as JsFrame } from '../../node_modules/@libp2p/webrtc/dist/src/private-to-public/pb/message.js'
import { Message as JsSignaling } from '../../node_modules/@libp2p/webrtc/dist/src/private-to-private/pb/message.js'

const test = suite('webrtc in Node')
// js-libp2p's protons codecs speak enum names; the wire numbers are the spec's.
const JS_FLAGS = ['FIN', 'STOP_SENDING', 'RESET', 'FIN_ACK']
const JS_TYPES = ['SDP_OFFER', 'SDP_ANSWER', 'ICE_CANDIDATE']
const jsFrame = m => m.flag === undefined ? { message: m.message } : { ...m, flag: JS_FLAGS[m.flag] }

test('Node has no RTCPeerConnection: webRTC() throws UnsupportedTransportError', async () => {
  assert.is(typeof globalThis.RTCPeerConnection, 'undefined')
  assert.is(webRTCSupported(), false)
  try {
    await createNode({ services: { webrtc: webRTC() } })
    assert.unreachable()
  } catch (err) {
    assert.is(err.name, 'UnsupportedTransportError')
  }
})

test('no native WebRTC module among the runtime dependencies', async () => {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'))
  for (const name of Object.keys(pkg.dependencies)) assert.not.ok(/webrtc|datachannel|wrtc/i.test(name), name)
})

test('frames: ours decode with js-libp2p\'s codec and theirs with ours', () => {
  const cases = [{ flag: 0 }, { flag: 3 }, { message: Uint8Array.of(1, 2, 3) }, { flag: 2, message: new Uint8Array(1000).fill(5) }]
  for (const m of cases) {
    const ours = webrtc.encodeFrame(m)
    const frames = new webrtc.FrameDecoder().push(ours)
    assert.is(frames.length, 1)
    const js = JsFrame.encode(jsFrame(m))
    const body = ours.subarray(ours.length - js.length)
    assert.equal([...body], [...js], JSON.stringify(m))
    const theirs = JsFrame.decode(body)
    assert.is(theirs.flag, m.flag === undefined ? undefined : JS_FLAGS[m.flag])
    if (m.message !== undefined) assert.equal([...theirs.message], [...m.message])
  }
})

test('signaling messages: byte-identical to js-libp2p\'s', () => {
  for (const m of [{ type: 0, data: 'v=0\r\n' }, { type: 1, data: 'x'.repeat(300) }, { type: 2, data: '{"candidate":"c","sdpMid":"0"}' }]) {
    const ours = webrtc.encodeSignalingMessage(m)
    const js = JsSignaling.encode({ ...m, type: JS_TYPES[m.type] })
    assert.equal([...ours], [...js])
    assert.equal(webrtc.decodeSignalingMessage(js), m)
    assert.is(JsSignaling.decode(ours).type, JS_TYPES[m.type])
  }
})

test.run()
