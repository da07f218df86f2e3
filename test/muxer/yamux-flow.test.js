// Yamux-specific behaviour beyond the generic compliance suite: exact window
// accounting, credit only for bytes read, window auto-tuning, the ACK backlog,
// keep-alive, Go Away from the remote, limits.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { duplexPair } from '../../dist/stream/duplex-pair.js'
import {
  yamux, FrameType, Flag, GoAwayCode, encodeHeader, INITIAL_STREAM_WINDOW, MAX_STREAM_WINDOW, MAX_ACK_BACKLOG,
  GoAwayError, TooManyStreamsError, MuxerClosedError, StreamResetError, MAX_EARLY_STREAMS, EARLY_STREAMS_HOLD_TIMEOUT_MS
} from '../../dist/muxer/yamux/index.js'
import { connect, within, sleep, readAll, randomBytes, echo, shutdown, concat } from './compliance.js'

const factory = yamux({ keepAliveInterval: 0 })

/** Resolves to 'pending' if `promise` has not settled after `ms`. */
const stateAfter = (promise, ms) => Promise.race([promise.then(() => 'resolved', () => 'rejected'), sleep(ms).then(() => 'pending')])

test('pings interleaved with a bulk transfer keep the framing intact', async () => {
  const { client } = connect(factory, { onServerStream: echo })
  const stream = await client.newStream()
  const data = randomBytes(2 * 1024 * 1024)
  const reading = readAll(stream)
  const pinging = (async () => { let n = 0; for (let i = 0; i < 40; i++) { await client.ping(); n++ } return n })()
  for (let i = 0; i < data.length; i += 50_000) await stream.write(data.subarray(i, i + 50_000))
  await stream.closeWrite()
  assert.equal(await within(10000, reading), data)
  assert.is(await within(5000, pinging), 40)
  assert.ok(client.rtt > 0)
  await shutdown(client)
})

test('the send window: exactly 256 KiB go out before the remote reads', async () => {
  const { client, serverInbox } = connect(factory)
  const stream = await client.newStream()
  await within(2000, stream.write(new Uint8Array(INITIAL_STREAM_WINDOW)), 'one full window')
  assert.is(stream.sendWindow, 0)
  const next = stream.write(new Uint8Array([1]))
  assert.is(await stateAfter(next, 100), 'pending', 'one more byte waits for a window update')
  const inbound = await serverInbox.next()
  assert.is(inbound.bufferedBytes, INITIAL_STREAM_WINDOW)
  assert.ok(inbound.bufferedBytes <= inbound.receiveWindow, 'buffered ≤ window')
  assert.is(inbound.receiveRemaining, 0)
  // Reading less than half the window returns no credit: still stalled.
  const it = inbound[Symbol.asyncIterator]()
  let read = 0
  while (read < INITIAL_STREAM_WINDOW / 4) read += (await it.next()).value.length
  assert.is(await stateAfter(next, 50), 'pending', 'no window update after a quarter')
  while (read < INITIAL_STREAM_WINDOW / 2 + 1) read += (await it.next()).value.length
  assert.is(await within(2000, next.then(() => 'resolved')), 'resolved', 'credit after half the window was read')
  await shutdown(client)
})

test('a reader that never reads bounds the buffer to one window', async () => {
  const { client, serverInbox } = connect(factory)
  const stream = await client.newStream()
  const writing = stream.write(new Uint8Array(3 * INITIAL_STREAM_WINDOW)).catch(() => {})
  const inbound = await serverInbox.next()
  await sleep(100)
  assert.is(inbound.bufferedBytes, INITIAL_STREAM_WINDOW)
  assert.is(inbound.receiveWindow, INITIAL_STREAM_WINDOW, 'no auto-tuning without reads')
  await shutdown(client)
  await writing
})

/** A pipe whose every write arrives `ms` later (order kept), to give the session a real RTT. */
function latencyPair (ms) {
  const [a, b] = duplexPair({ highWaterMark: 64 * 1024 * 1024 })
  const delayed = end => ({
    // A copy, as a real connection makes: the writer may reuse its buffer once write resolves.
    write: async chunk => { const copy = chunk.slice(); setTimeout(() => { end.write(copy).catch(() => {}) }, ms) },
    closeWrite: async () => { setTimeout(() => { end.closeWrite().catch(() => {}) }, ms) },
    close: async () => { await sleep(ms); await end.close() },
    abort: err => end.abort(err),
    [Symbol.asyncIterator]: () => end[Symbol.asyncIterator]()
  })
  return [delayed(a), delayed(b)]
}

async function transferOverLatency (options, bytes) {
  const [a, b] = latencyPair(5)
  let inbound
  const accepted = new Promise(resolve => { inbound = resolve })
  const f = yamux({ keepAliveInterval: 0, ...options })
  const client = f.create(a, { direction: 'outbound', onIncomingStream: () => {} })
  const server = f.create(b, { direction: 'inbound', onIncomingStream: s => inbound(s) })
  await within(2000, client.ping())
  await within(2000, server.ping())
  const stream = await client.newStream()
  const chunk = randomBytes(256 * 1024)
  const writing = (async () => { for (let s = 0; s < bytes; s += chunk.length) await stream.write(chunk); await stream.closeWrite() })()
  const s = await accepted
  let received = 0
  let maxWindow = 0
  for await (const c of s) { received += c.length; maxWindow = Math.max(maxWindow, s.receiveWindow) }
  await within(10000, writing)
  client.abort(new Error('done'))
  server.abort(new Error('done'))
  return { received, maxWindow }
}

test('auto-tuning: a fast reader over a 10 ms RTT grows the window, never past the maximum', async () => {
  const { received, maxWindow } = await within(20000, transferOverLatency({}, 24 * 1024 * 1024), 'transfer')
  assert.is(received, 24 * 1024 * 1024)
  assert.ok(maxWindow > INITIAL_STREAM_WINDOW, `window grew to ${maxWindow}`)
  assert.ok(maxWindow <= MAX_STREAM_WINDOW)
})

test('auto-tuning capped by maxStreamWindow', async () => {
  const { received, maxWindow } = await within(20000, transferOverLatency({ maxStreamWindow: 512 * 1024 }, 8 * 1024 * 1024), 'transfer')
  assert.is(received, 8 * 1024 * 1024)
  assert.ok(maxWindow <= 512 * 1024, `window ${maxWindow}`)
})

/** A muxer whose remote is the test, speaking raw frames. */
function rawRemote (options = {}, direction = 'outbound') {
  const [local, remote] = duplexPair()
  let onClose
  const closed = new Promise(resolve => { onClose = resolve })
  const muxer = yamux({ keepAliveInterval: 0, ...options }).create(local, { direction, onIncomingStream: () => {}, onClose: err => onClose(err) })
  const frames = []
  ;(async () => {
    const buffered = []
    try {
      for await (const chunk of remote) {
        buffered.push(chunk.slice())
        const all = concat(buffered.splice(0))
        let pos = 0
        const view = new DataView(all.buffer)
        while (all.length - pos >= 12) {
          const type = all[pos + 1]
          const length = view.getUint32(pos + 8)
          if (type === FrameType.Data && all.length - pos < 12 + length) break
          frames.push({ type, flags: view.getUint16(pos + 2), id: view.getUint32(pos + 4), length })
          pos += 12 + (type === FrameType.Data ? length : 0)
        }
        if (pos < all.length) buffered.push(all.subarray(pos))
      }
    } catch {}
  })()
  return { muxer, closed, frames, send: bytes => remote.write(bytes).catch(() => {}), remote }
}

test('ACK backlog: the 257th unacknowledged stream waits for an ACK', async () => {
  // The early-stream hold (its own test below) is off: this is about the ACK backlog alone.
  const peer = rawRemote({ maxEarlyStreams: 0 })
  const streams = []
  for (let i = 0; i < MAX_ACK_BACKLOG; i++) streams.push(await within(1000, peer.muxer.newStream()))
  const blocked = peer.muxer.newStream()
  assert.is(await stateAfter(blocked, 50), 'pending')
  await peer.send(encodeHeader(FrameType.WindowUpdate, Flag.ACK, streams[0].streamId, 0))
  const opened = await within(2000, blocked)
  assert.is(opened.streamId, 2 * MAX_ACK_BACKLOG + 1, 'odd ids for the dialer')
  // A reset of an unacknowledged stream frees a slot too.
  const blocked2 = peer.muxer.newStream()
  assert.is(await stateAfter(blocked2, 20), 'pending')
  streams[1].reset()
  await within(2000, blocked2)
  peer.muxer.abort(new Error('done'))
})

test('early streams: the 9th waits until the remote opens a stream or answers on one of ours', async () => {
  assert.is(MAX_EARLY_STREAMS, 8)
  // Released by a SYN from the remote (its connection, listening, opened a stream).
  let peer = rawRemote()
  const first = []
  for (let i = 0; i < MAX_EARLY_STREAMS; i++) first.push(await within(1000, peer.muxer.newStream()))
  let blocked = peer.muxer.newStream()
  assert.is(await stateAfter(blocked, 100), 'pending')
  // An ACK alone does not end the hold: js-libp2p ACKs the streams it holds back too.
  await peer.send(encodeHeader(FrameType.WindowUpdate, Flag.ACK, first[0].streamId, 0))
  assert.is(await stateAfter(blocked, 100), 'pending')
  await peer.send(encodeHeader(FrameType.WindowUpdate, Flag.SYN, 2, 0))
  await within(1000, blocked, 'released by the remote opening a stream')
  // Later streams open at once.
  for (let i = 0; i < 20; i++) await within(1000, peer.muxer.newStream())
  peer.muxer.abort(new Error('done'))

  // Released by data on one of our streams (the remote's multistream answer).
  peer = rawRemote()
  const streams = []
  for (let i = 0; i < MAX_EARLY_STREAMS; i++) streams.push(await peer.muxer.newStream())
  blocked = peer.muxer.newStream()
  assert.is(await stateAfter(blocked, 50), 'pending')
  await peer.send(concat([encodeHeader(FrameType.Data, Flag.ACK, streams[3].streamId, 3), new Uint8Array([1, 2, 3])]))
  await within(1000, blocked, 'released by data')
  peer.muxer.abort(new Error('done'))
})

test('early streams: the hold ends by itself after EARLY_STREAMS_HOLD_TIMEOUT_MS, and a waiter can give up', async () => {
  assert.is(EARLY_STREAMS_HOLD_TIMEOUT_MS, 2000)
  const peer = rawRemote()
  const started = Date.now()
  for (let i = 0; i < MAX_EARLY_STREAMS; i++) await peer.muxer.newStream()
  const controller = new AbortController()
  const givingUp = peer.muxer.newStream({ signal: controller.signal })
  const waiting = peer.muxer.newStream()
  controller.abort(new Error('caller gave up'))
  assert.match(String(await within(1000, givingUp.then(() => 'opened', err => err.message))), /caller gave up/)
  const opened = await within(EARLY_STREAMS_HOLD_TIMEOUT_MS + 5000, waiting, 'released by the hold timeout')
  assert.ok(Date.now() - started >= EARLY_STREAMS_HOLD_TIMEOUT_MS - 100, 'not before the timeout')
  assert.is(opened.streamId, 2 * MAX_EARLY_STREAMS + 1)
  peer.muxer.abort(new Error('done'))
})

test('early streams: a closing session rejects the streams waiting in the hold', async () => {
  const peer = rawRemote()
  for (let i = 0; i < MAX_EARLY_STREAMS; i++) await peer.muxer.newStream()
  const waiting = peer.muxer.newStream()
  peer.muxer.abort(new Error('gone'))
  const outcome = await within(1000, waiting.then(() => 'opened', err => err), 'the waiting newStream')
  assert.instance(outcome, Error)
})

test('keep-alive: an unanswered ping closes the session', async () => {
  const peer = rawRemote({ keepAliveInterval: 30 })
  const err = await within(2000, peer.closed, 'keep-alive timeout')
  assert.instance(err, MuxerClosedError)
  assert.match(err.message, /keep-alive/)
  assert.ok(peer.frames.filter(f => f.type === FrameType.Ping && f.flags === Flag.SYN).length >= 2, 'pings were sent')
})

test('keep-alive: answered pings keep the session open', async () => {
  const f = yamux({ keepAliveInterval: 20 })
  const { client, server } = connect(f)
  await sleep(150)
  assert.is(client.closed, false)
  assert.is(server.closed, false)
  assert.ok(client.rtt > 0 && server.rtt > 0)
  await shutdown(client)
})

test('remote Go Away: newStream rejects with GoAwayError and the code', async () => {
  const peer = rawRemote()
  await peer.send(encodeHeader(FrameType.GoAway, 0, 0, GoAwayCode.InternalError))
  await sleep(20)
  let err
  try { await peer.muxer.newStream() } catch (e) { err = e }
  assert.instance(err, GoAwayError)
  assert.is(err.code, GoAwayCode.InternalError)
  peer.muxer.abort(new Error('done'))
})

test('maxStreams: opening one more stream fails with TooManyStreamsError', async () => {
  const { client } = connect(yamux({ keepAliveInterval: 0, maxStreams: 3 }))
  for (let i = 0; i < 3; i++) await client.newStream()
  let err
  try { await client.newStream() } catch (e) { err = e }
  assert.instance(err, TooManyStreamsError)
  client.abort(new Error('done'))
})

test('stream close(): resets after streamCloseTimeout when the remote never finishes', async () => {
  const { client, serverInbox } = connect(yamux({ keepAliveInterval: 0, streamCloseTimeout: 50 }))
  const stream = await client.newStream()
  await stream.write(new Uint8Array([1]))
  const inbound = await serverInbox.next()
  const reading = readAll(inbound).then(() => 'ended', e => e)
  await within(2000, stream.close(), 'close with timeout')
  const result = await within(2000, reading)
  // The server saw our FIN (end) — its own write side was then reset by our timeout.
  assert.is(result, 'ended')
  let err
  try { await inbound.write(new Uint8Array([2])); await sleep(20); await inbound.write(new Uint8Array([3])) } catch (e) { err = e }
  assert.instance(err, StreamResetError)
  client.abort(new Error('done'))
})

test('close() without reading: unread data is discarded and credited, so the remote can finish', async () => {
  const { client, serverInbox } = connect(factory)
  const stream = await client.newStream()
  await stream.write(new Uint8Array([1]))
  const inbound = await serverInbox.next()
  const serverWriting = (async () => { await inbound.write(new Uint8Array(4 * INITIAL_STREAM_WINDOW)); await inbound.closeWrite() })()
  await sleep(20)
  assert.is(stream.bufferedBytes, INITIAL_STREAM_WINDOW, 'a window is buffered, nobody reads')
  await within(2000, stream.close(), 'close')
  await within(2000, serverWriting, 'the remote finished writing')
  assert.is(stream.bufferedBytes, 0)
  await shutdown(client)
})

test('a throwing onIncomingStream resets that stream only', async () => {
  const { client } = connect(factory, { onServerStream: () => { throw new Error('handler bug') } })
  const stream = await client.newStream()
  await stream.write(new Uint8Array([1]))
  const result = await within(2000, readAll(stream).then(() => 'ended', e => e))
  assert.instance(result, StreamResetError)
  assert.is(client.closed, false)
  const second = await client.newStream()
  assert.ok(second.streamId > stream.streamId)
  client.abort(new Error('done'))
})

test.run()
