// DataChannelStream (webrtc README.md "Multiplexing", "Closing an
// RTCDataChannel") over a pair of in-memory channels: data and half-close
// with FIN / FIN_ACK, STOP_SENDING, RESET_STREAM, the per-message size
// limit on what we send, and hostile input from the remote (oversized or
// malformed frames, text messages, a reader flooded past its buffer) ending
// in a named error, a RESET_STREAM and a closed channel.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { webrtc } from '../../dist/index.js'
import { channelPair } from './fake-channel.js'

const { DataChannelStream, Flag, FrameDecoder, ReceiveBudget, encodeFrame, MAX_MESSAGE_SIZE, STREAM_RECEIVE_BUFFER } = webrtc
const test = suite('webrtc data channel stream')

function streamPair (options = {}) {
  const [ca, cb] = channelPair()
  const a = new DataChannelStream(ca, { id: 'a', direction: 'outbound', ...options })
  const b = new DataChannelStream(cb, { id: 'b', direction: 'inbound', ...options })
  return { a, b, ca, cb }
}

async function readAll (stream) {
  const chunks = []
  for await (const c of stream) chunks.push(c.slice())
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let o = 0
  for (const c of chunks) { out.set(c, o); o += c.length }
  return out
}

/** The flags in what a channel sent. */
function flagsSent (channel) {
  const d = new FrameDecoder()
  return channel.sent.flatMap(m => d.push(m)).filter(f => f.flag !== undefined).map(f => f.flag)
}

async function expectError (promise, name) {
  try {
    await promise
    assert.unreachable(`expected ${name}`)
  } catch (err) {
    assert.is(err.name, name, err.message)
  }
}

const until = async (check, what) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise(resolve => setTimeout(resolve, 10))
  assert.ok(check(), what)
}

test('bytes and a half-close: FIN is answered with FIN_ACK, both halves done closes the channel', async () => {
  const { a, b, ca, cb } = streamPair({ finAckTimeoutMs: 60_000 })
  const data = Uint8Array.from({ length: 100_000 }, (_, i) => i & 0xff)
  const got = readAll(b)
  await a.write(data)
  await a.closeWrite() // would wait the 60 s timeout without the FIN_ACK
  assert.equal(await got, data)
  assert.equal(flagsSent(ca), [Flag.FIN])
  assert.equal(flagsSent(cb), [Flag.FIN_ACK])
  // every message we sent respects the spec's 16 KiB limit
  assert.ok(ca.sent.every(m => m.length <= MAX_MESSAGE_SIZE))
  assert.ok(ca.sent.length >= Math.ceil(data.length / MAX_MESSAGE_SIZE))
  assert.is(ca.readyState, 'open', 'A still reads: the channel stays open')
  const back = readAll(a)
  await b.write(Uint8Array.of(42))
  await b.closeWrite()
  assert.equal([...await back], [42])
  await until(() => ca.readyState === 'closed' && cb.readyState === 'closed', 'both channels closed')
})

test('close() with the remote still sending sends STOP_SENDING; the remote then cannot write', async () => {
  const { a, b, ca } = streamPair()
  const reading = readAll(a)
  await b.write(Uint8Array.of(1))
  await a.close()
  assert.ok(flagsSent(ca).includes(Flag.STOP_SENDING), JSON.stringify(flagsSent(ca)))
  let refused
  for (let i = 0; i < 100 && refused === undefined; i++) {
    await b.write(Uint8Array.of(2)).catch(err => { refused = err })
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  assert.is(refused?.name, 'WebRTCStreamClosedError', 'B stops writing once it has the STOP_SENDING')
  await reading
})

test('reset() sends RESET_STREAM: the remote\'s reads and writes fail with WebRTCStreamResetError', async () => {
  const { a, b, ca } = streamPair()
  const reading = readAll(b)
  await a.write(Uint8Array.of(1, 2))
  a.reset()
  assert.ok(flagsSent(ca).includes(Flag.RESET_STREAM))
  await expectError(reading, 'WebRTCStreamResetError')
  await expectError(b.write(Uint8Array.of(1)), 'WebRTCStreamResetError')
})

for (const [what, bytes, name] of [
  ['a frame over 16 KiB', encodeFrameUnchecked(new Uint8Array(MAX_MESSAGE_SIZE)), 'WebRTCFramingError'],
  ['a frame with an unknown flag', Uint8Array.of(0x02, 0x08, 0x07), 'WebRTCFramingError'],
  ['garbage protobuf', Uint8Array.of(0x03, 0x12, 0x09, 0x00), 'WebRTCFramingError']
]) {
  test(`hostile: ${what} resets the stream (${name})`, async () => {
    const { a, ca, cb } = streamPair()
    const reading = readAll(a)
    cb.send(bytes)
    await expectError(reading, name)
    assert.ok(flagsSent(ca).includes(Flag.RESET_STREAM))
    await until(() => ca.readyState === 'closed', 'channel closed')
  })
}

test('hostile: a text message resets the stream', async () => {
  const { a, ca } = streamPair()
  const reading = readAll(a)
  const event = new Event('message')
  Object.defineProperty(event, 'data', { value: 'hello' })
  ca.dispatchEvent(event)
  await expectError(reading, 'WebRTCFramingError')
})

test('hostile: a remote that sends past STREAM_RECEIVE_BUFFER to a reader that does not read is reset', async () => {
  const { a, b, ca } = streamPair()
  const chunk = new Uint8Array(64 * 1024)
  let failed
  for (let sent = 0; sent <= STREAM_RECEIVE_BUFFER + chunk.length && failed === undefined; sent += chunk.length) {
    await b.write(chunk).catch(err => { failed = err })
  }
  await until(() => flagsSent(ca).includes(Flag.RESET_STREAM), 'A reset the stream')
  await expectError(readAll(a), 'StreamReceiveOverflowError')
})

test('hostile: streams of one connection share a receive budget; what readers take (or drop) is returned to it', async () => {
  const budget = new ReceiveBudget(100_000)
  const one = streamPair({ budget })
  const two = streamPair({ budget })
  await one.b.write(new Uint8Array(60_000))
  await until(() => budget.used === 60_000, 'stream one holds 60 kB')
  // Nobody reads stream two: its 60 kB do not fit beside stream one's.
  await two.b.write(new Uint8Array(60_000))
  await until(() => flagsSent(two.ca).includes(Flag.RESET_STREAM), 'stream two reset')
  await expectError(readAll(two.a), 'StreamReceiveOverflowError')
  // Stream one is unharmed: its reader takes the 60 kB, and the budget is free again.
  await one.b.closeWrite()
  assert.is((await readAll(one.a)).length, 60_000)
  assert.is(budget.used, 0)
  // A stream closed without reading gives its bytes back too.
  const three = streamPair({ budget })
  await three.b.write(new Uint8Array(30_000))
  await until(() => budget.used === 30_000, 'stream three holds 30 kB')
  await three.a.close()
  assert.is(budget.used, 0)
})

test('a FIN_ACK that never comes: closeWrite ends after its timeout', async () => {
  const [ca] = channelPair()
  ca.peer = undefined // nothing answers
  const a = new DataChannelStream(ca, { id: 'a', direction: 'outbound', finAckTimeoutMs: 50 })
  await a.closeWrite()
  assert.equal(flagsSent(ca), [Flag.FIN])
  await expectError(a.write(Uint8Array.of(1)), 'WebRTCStreamClosedError')
})

test('the remote closing the channel mid-stream fails the reader (no silent truncation)', async () => {
  const { a, cb } = streamPair()
  const reading = readAll(a)
  cb.send(encodeFrame({ message: Uint8Array.of(1) }))
  await new Promise(resolve => setTimeout(resolve, 10))
  cb.close()
  await expectError(reading, 'WebRTCStreamResetError')
})

/** A frame with a payload too big for encodeFrame (which refuses it), built by hand. */
function encodeFrameUnchecked (payload) {
  const len = payload.length
  const body = [0x12, (len & 0x7f) | 0x80, len >>> 7, ...payload]
  return Uint8Array.from([(body.length & 0x7f) | 0x80, body.length >>> 7, ...body])
}

test.run()
