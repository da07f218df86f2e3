// Malformed and hostile yamux input, fed raw to one muxer: every case must end
// in a named error, a Go Away with the protocol-error code and a closed
// connection — never a crash, a hang or unbounded buffering.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { duplexPair } from '../../dist/stream/duplex-pair.js'
import { PushQueue } from '../../dist/stream/push-queue.js'
import { yamux, YamuxProtocolError, StreamResetError, FrameType, Flag, GoAwayCode, encodeHeader, INITIAL_STREAM_WINDOW, MAX_STREAM_WINDOW, MAX_IDLE_FRAMES_PER_SECOND, MAX_PENDING_PING_REPLIES, MAX_ACK_BACKLOG, MAX_UNSENT_CONTROL_BYTES, STREAM_WRITE_TIMEOUT_MS, WriteTimeoutError } from '../../dist/muxer/yamux/index.js'
import { within, concat, sleep, connect } from './compliance.js'

const header = (type, flags, id, length, version = 0) => {
  const h = encodeHeader(type, flags, id, length)
  h[0] = version
  return h
}
const data = (flags, id, payload) => concat([header(FrameType.Data, flags, id, payload.length), payload])

/** Independent reading of the frames the muxer wrote (not the code under test). */
function parseFrames (bytes) {
  const frames = []
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let pos = 0
  while (bytes.length - pos >= 12) {
    const frame = { version: bytes[pos], type: bytes[pos + 1], flags: view.getUint16(pos + 2), id: view.getUint32(pos + 4), length: view.getUint32(pos + 8) }
    pos += 12
    if (frame.type === FrameType.Data) pos += frame.length
    frames.push(frame)
  }
  return frames
}

/** One muxer (the listener unless told otherwise) whose remote is the test, speaking raw bytes. */
function rawPeer ({ direction = 'inbound', options = {} } = {}) {
  const [local, remote] = duplexPair()
  let onClose
  const closed = new Promise(resolve => { onClose = resolve })
  const inbound = []
  const muxer = yamux({ keepAliveInterval: 0, ...options }).create(local, {
    direction,
    onIncomingStream: s => { inbound.push(s) },
    onClose: err => onClose(err)
  })
  const received = (async () => {
    const chunks = []
    try { for await (const chunk of remote) chunks.push(chunk.slice()) } catch { /* an abort counts as closed too */ }
    return parseFrames(concat(chunks))
  })()
  const send = async (...frames) => { try { await remote.write(concat(frames)) } catch { /* closed already */ } }
  return { muxer, closed, inbound, received, send, remote }
}

/** The muxer must report a YamuxProtocolError, send Go Away (1) and close the connection. */
async function expectProtocolError (peer, pattern) {
  const err = await within(3000, peer.closed, 'onClose')
  assert.instance(err, YamuxProtocolError)
  assert.is(err.name, 'YamuxProtocolError')
  if (pattern) assert.match(err.message, pattern)
  const frames = await within(3000, peer.received, 'connection close')
  const goAway = frames.find(f => f.type === FrameType.GoAway)
  assert.ok(goAway, 'a Go Away frame was sent')
  assert.is(goAway.length, GoAwayCode.ProtocolError)
  assert.ok(peer.muxer.closed)
  let refused
  try { await peer.muxer.newStream() } catch (e) { refused = e }
  assert.ok(refused instanceof Error, 'the session is unusable')
}

test('bad version byte', async () => {
  const peer = rawPeer()
  await peer.send(header(FrameType.Ping, Flag.SYN, 0, 1, 1))
  await expectProtocolError(peer, /version/)
})

test('unknown frame type', async () => {
  const peer = rawPeer()
  await peer.send(header(4, 0, 0, 0))
  await expectProtocolError(peer, /unknown frame type/)
})

test('data frame longer than the largest window is refused at the header', async () => {
  const peer = rawPeer()
  // Only the header: the muxer must not wait for 16 MiB of payload.
  await peer.send(header(FrameType.Data, Flag.SYN, 1, MAX_STREAM_WINDOW + 1))
  await expectProtocolError(peer, /longer than/)
})

test('window overflow: more data than the receive window', async () => {
  const peer = rawPeer()
  await peer.send(data(Flag.SYN, 1, new Uint8Array(INITIAL_STREAM_WINDOW - 10)))
  await peer.send(data(0, 1, new Uint8Array(11)))
  await expectProtocolError(peer, /exceed the receive window/)
  // Nothing was read on the stream, and nothing beyond the window was buffered.
  assert.is(peer.inbound.length, 1)
  assert.ok(peer.inbound[0].bufferedBytes <= INITIAL_STREAM_WINDOW)
})

test('stream-id reuse: a second SYN on a live stream', async () => {
  const peer = rawPeer()
  await peer.send(header(FrameType.WindowUpdate, Flag.SYN, 1, 0), header(FrameType.WindowUpdate, Flag.SYN, 1, 0))
  await expectProtocolError(peer, /reuses stream id 1/)
})

test('stream-id reuse: an id below one already used', async () => {
  const peer = rawPeer()
  await peer.send(header(FrameType.WindowUpdate, Flag.SYN, 7, 0), header(FrameType.WindowUpdate, Flag.SYN, 5, 0))
  await expectProtocolError(peer, /reuses stream id 5/)
})

test('stream-id reuse: a SYN for a stream that was closed', async () => {
  const peer = rawPeer()
  await peer.send(data(Flag.SYN | Flag.FIN, 1, new Uint8Array([1])))
  await sleep(10)
  await peer.inbound[0].closeWrite()
  await peer.send(header(FrameType.WindowUpdate, Flag.SYN, 1, 0))
  await expectProtocolError(peer, /reuses/)
})

test('SYN with the wrong parity (the listener receiving an even id)', async () => {
  const peer = rawPeer()
  await peer.send(header(FrameType.WindowUpdate, Flag.SYN, 2, 0))
  await expectProtocolError(peer, /parity/)
})

test('SYN with the wrong parity (the dialer receiving an odd id)', async () => {
  const peer = rawPeer({ direction: 'outbound' })
  await peer.send(header(FrameType.WindowUpdate, Flag.SYN, 1, 0))
  await expectProtocolError(peer, /parity/)
})

test('stream frame on the session id 0', async () => {
  const peer = rawPeer()
  await peer.send(data(0, 0, new Uint8Array([1])))
  await expectProtocolError(peer, /id 0/)
})

test('frame for a stream that was never opened', async () => {
  const peer = rawPeer()
  await peer.send(data(0, 9, new Uint8Array([1])))
  await expectProtocolError(peer, /never opened/)
})

test('data after the remote FIN', async () => {
  const peer = rawPeer()
  await peer.send(data(Flag.SYN | Flag.FIN, 1, new Uint8Array([1])), data(0, 1, new Uint8Array([2])))
  await expectProtocolError(peer, /after its FIN/)
})

test('window update overflowing 2^32 − 1', async () => {
  const peer = rawPeer()
  await peer.send(header(FrameType.WindowUpdate, Flag.SYN, 1, 0xffffffff))
  await expectProtocolError(peer, /overflows/)
})

test('ping flood', async () => {
  const peer = rawPeer()
  const pings = []
  for (let i = 0; i < MAX_IDLE_FRAMES_PER_SECOND + 10; i++) pings.push(header(FrameType.Ping, Flag.SYN, 0, i))
  await peer.send(...pings)
  await expectProtocolError(peer, /flood/)
  // Fewer replies went out than pings came in: the flood was cut off.
  const replies = (await peer.received).filter(f => f.type === FrameType.Ping && f.flags === Flag.ACK)
  assert.ok(replies.length <= MAX_IDLE_FRAMES_PER_SECOND, `${replies.length} ping replies`)
})

test('pings sent faster than replies can leave: at most MAX_PENDING_PING_REPLIES queued', async () => {
  const peer = rawPeer()
  const pings = []
  for (let i = 0; i < 100; i++) pings.push(header(FrameType.Ping, Flag.SYN, 0, 1000 + i))
  await peer.send(...pings)
  await sleep(20)
  assert.is(peer.muxer.closed, false, '100 pings are not a flood')
  await peer.remote.closeWrite()
  await within(3000, peer.closed)
  const replies = (await peer.received).filter(f => f.type === FrameType.Ping && f.flags === Flag.ACK)
  assert.is(replies.length, MAX_PENDING_PING_REPLIES)
  assert.equal(replies.map(f => f.length), Array.from({ length: MAX_PENDING_PING_REPLIES }, (_, i) => 1000 + i), 'the first ones, in order')
})

test('window-update flood without data', async () => {
  const peer = rawPeer()
  const frames = [header(FrameType.WindowUpdate, Flag.SYN, 1, 0)]
  for (let i = 0; i < MAX_IDLE_FRAMES_PER_SECOND + 10; i++) frames.push(header(FrameType.WindowUpdate, 0, 1, 0))
  await peer.send(...frames)
  await expectProtocolError(peer, /flood/)
})

test('empty data frame flood', async () => {
  const peer = rawPeer()
  const frames = [header(FrameType.WindowUpdate, Flag.SYN, 1, 0)]
  for (let i = 0; i < MAX_IDLE_FRAMES_PER_SECOND + 10; i++) frames.push(header(FrameType.Data, 0, 1, 0))
  await peer.send(...frames)
  await expectProtocolError(peer, /flood/)
})

test('a Go Away flood', async () => {
  const peer = rawPeer()
  const frames = []
  for (let i = 0; i < MAX_IDLE_FRAMES_PER_SECOND + 10; i++) frames.push(header(FrameType.GoAway, 0, 0, 0))
  await peer.send(...frames)
  await expectProtocolError(peer, /flood/)
})

test('a SYN storm past maxStreams is a flood', async () => {
  const peer = rawPeer({ options: { maxStreams: 2 } })
  const frames = []
  for (let i = 0; i < MAX_IDLE_FRAMES_PER_SECOND + 10; i++) frames.push(header(FrameType.WindowUpdate, Flag.SYN, 2 * i + 1, 0))
  await peer.send(...frames)
  await expectProtocolError(peer, /flood/)
  assert.is(peer.inbound.length, 2)
})

test('a remote that never ACKs: newStream past the backlog waits, and its signal ends the wait', async () => {
  // The early-stream hold is off: this is about the ACK backlog alone.
  const peer = rawPeer({ direction: 'outbound', options: { maxEarlyStreams: 0 } })
  for (let i = 0; i < MAX_ACK_BACKLOG; i++) await peer.muxer.newStream()
  const controller = new AbortController()
  const reason = new Error('caller gave up')
  const waiting = peer.muxer.newStream({ signal: controller.signal })
  let settled = false
  waiting.then(() => { settled = true }, () => { settled = true })
  await sleep(30)
  assert.not.ok(settled, 'the open waits for an ACK')
  controller.abort(reason)
  const outcome = await within(1000, waiting.then(() => 'opened', err => err), 'the aborted newStream')
  assert.is(outcome, reason)
  assert.is(peer.muxer.streams.length, MAX_ACK_BACKLOG, 'the aborted open made no stream')
  peer.muxer.abort(new Error('done'))
})

/** A connection whose remote sends nothing and never reads: every write stays pending. */
function deafMuxer (options) {
  const inbound = new PushQueue()
  const conn = {
    [Symbol.asyncIterator]: () => inbound[Symbol.asyncIterator](),
    write: () => new Promise(() => {}),
    closeWrite: async () => {},
    close: async () => {},
    abort: () => { inbound.end?.() }
  }
  return yamux({ keepAliveInterval: 0, ...options }).create(conn, { direction: 'outbound', onIncomingStream: () => {} })
}

test('stream.close() against a remote that never reads ends after streamCloseTimeout', async () => {
  const muxer = deafMuxer({ streamCloseTimeout: 100 })
  const stream = await muxer.newStream()
  const outcome = await within(2000, stream.close().then(() => 'closed', err => err), 'stream.close()')
  assert.is(outcome, 'closed')
  let err
  try { await stream.write(new Uint8Array(1)) } catch (e) { err = e }
  assert.ok(err instanceof Error, 'the stream was reset')
  muxer.abort(new Error('done'))
})

test('stream.closeWrite() against a remote that never reads rejects with StreamResetError after streamCloseTimeout', async () => {
  const muxer = deafMuxer({ streamCloseTimeout: 100 })
  const stream = await muxer.newStream()
  const outcome = await within(2000, stream.closeWrite().then(() => 'closed', err => err), 'stream.closeWrite()')
  assert.instance(outcome, StreamResetError)
  muxer.abort(new Error('done'))
})

test('write() to a remote that never returns window fails with WriteTimeoutError after streamWriteTimeout, and the stream is reset', async () => {
  assert.is(STREAM_WRITE_TIMEOUT_MS, 30_000)
  // The connection takes every byte (the remote's socket reads), but the remote's yamux never sends a Window Update.
  const written = []
  const inbound = new PushQueue()
  const conn = {
    [Symbol.asyncIterator]: () => inbound[Symbol.asyncIterator](),
    write: async chunk => { written.push(chunk.slice()) },
    closeWrite: async () => {},
    close: async () => {},
    abort: () => { inbound.end?.() }
  }
  const muxer = yamux({ keepAliveInterval: 0, streamWriteTimeout: 200 }).create(conn, { direction: 'outbound', onIncomingStream: () => {} })
  const stream = await muxer.newStream()
  const started = Date.now()
  const outcome = await within(5000, stream.write(new Uint8Array(INITIAL_STREAM_WINDOW + 1000)).then(() => 'written', err => err), 'write()')
  assert.instance(outcome, WriteTimeoutError)
  assert.is(outcome.name, 'WriteTimeoutError')
  assert.ok(Date.now() - started >= 150, 'not before the deadline')
  // Later writes fail at once with the same error; the remote was sent a RST.
  const again = await within(1000, stream.write(new Uint8Array(1)).then(() => 'written', err => err), 'second write()')
  assert.instance(again, WriteTimeoutError)
  await sleep(20)
  const frames = parseFrames(concat(written))
  assert.ok(frames.some(f => (f.flags & Flag.RST) !== 0 && f.id === stream.streamId), 'a RST for the stream was sent')
  assert.is(muxer.streams.length, 0, 'the stream was forgotten')
  muxer.abort(new Error('done'))
})

test('write() on a connection that never drains fails with WriteTimeoutError after streamWriteTimeout', async () => {
  const muxer = deafMuxer({ streamWriteTimeout: 200 })
  const stream = await muxer.newStream()
  const chunk = new Uint8Array(64 * 1024)
  const outcome = await within(5000, (async () => { for (let i = 0; i < 100; i++) await stream.write(chunk); return 'written' })().catch(err => err), 'writes')
  assert.instance(outcome, WriteTimeoutError)
  muxer.abort(new Error('done'))
})

test('a slow reader that keeps returning window never hits the write deadline', async () => {
  let accept
  const inboundStream = new Promise(resolve => { accept = resolve })
  const { client } = connect(yamux({ keepAliveInterval: 0, streamWriteTimeout: 1000 }), { onServerStream: s => accept(s) })
  const stream = await client.newStream()
  const total = 8 * INITIAL_STREAM_WINDOW
  const writing = stream.write(new Uint8Array(total)).then(() => stream.closeWrite())
  const remote = await within(3000, inboundStream, 'inbound stream')
  let read = 0
  // Slower in total than the deadline (about 3 s), but the writer never waits a whole deadline for window.
  for await (const c of remote) { read += c.length; await sleep(100) }
  await within(10_000, writing, 'the write')
  assert.is(read, total)
  client.abort(new Error('done'))
})

/** A deaf muxer as the listener, fed `bytes` in chunks, reporting how its session ended. */
async function floodDeafListener (options, chunks) {
  const inbound = new PushQueue()
  let onClose
  const closed = new Promise(resolve => { onClose = resolve })
  const conn = {
    [Symbol.asyncIterator]: () => inbound[Symbol.asyncIterator](),
    write: () => new Promise(() => {}),
    closeWrite: async () => {},
    close: async () => new Promise(() => {}),
    abort: () => {}
  }
  const muxer = yamux({ keepAliveInterval: 0, ...options }).create(conn, { direction: 'inbound', onIncomingStream: () => {}, onClose: err => onClose(err) })
  let pushed = 0
  for (const chunk of chunks()) {
    if (muxer.closed) break
    inbound.push(chunk)
    pushed++
    await sleep(1)
  }
  const err = await within(5000, closed, 'the session end')
  return { err, pushed, muxer }
}

test('SYN-then-RST churn from a remote that never reads is a flood, not unbounded queueing', async () => {
  const { err, pushed } = await floodDeafListener({}, function * () {
    let id = 1
    for (let batch = 0; batch < 200; batch++) {
      const frames = []
      for (let i = 0; i < 500; i++, id += 2) frames.push(header(FrameType.WindowUpdate, Flag.SYN, id, 0), header(FrameType.WindowUpdate, Flag.RST, id, 0))
      yield concat(frames)
    }
  })
  assert.instance(err, YamuxProtocolError)
  assert.ok(pushed < 200, `ended after ${pushed} of 200 batches`)
})

test('control frames owed to a remote that never reads are capped at maxUnsentControlBytes', async () => {
  assert.is(MAX_UNSENT_CONTROL_BYTES, 1024 * 1024)
  const cap = 12 * 100
  // Each stream opens with one data byte (not an idle frame) and stays open: one ACK owed per SYN.
  const { err, pushed } = await floodDeafListener({ maxUnsentControlBytes: cap }, function * () {
    let id = 1
    for (let batch = 0; batch < 50; batch++) {
      const frames = []
      for (let i = 0; i < 10; i++, id += 2) frames.push(data(Flag.SYN, id, new Uint8Array([7])))
      yield concat(frames)
    }
  })
  assert.instance(err, YamuxProtocolError)
  assert.match(err.message, /control frames unsent/)
  assert.ok(pushed <= 11, `ended after ${pushed} batches`)
})

test('connection ends in the middle of a frame: closed with an error, no hang', async () => {
  const peer = rawPeer()
  await peer.send(header(FrameType.Data, Flag.SYN, 1, 1000), new Uint8Array(10))
  await peer.remote.closeWrite()
  const err = await within(3000, peer.closed, 'onClose')
  assert.instance(err, Error)
  assert.is(err.name, 'MuxerClosedError')
  assert.match(err.message, /middle of a frame/)
})

test('too many streams: the excess is reset, the session lives', async () => {
  const peer = rawPeer({ options: { maxStreams: 4 } })
  const frames = []
  for (let id = 1; id <= 11; id += 2) frames.push(header(FrameType.WindowUpdate, Flag.SYN, id, 0))
  await peer.send(...frames)
  await sleep(20)
  assert.is(peer.inbound.length, 4)
  assert.is(peer.muxer.closed, false)
  // Pings still answered: the session works.
  await peer.send(header(FrameType.Ping, Flag.SYN, 0, 4242))
  await sleep(10)
  await peer.remote.closeWrite()
  await within(3000, peer.closed)
  const frames2 = await peer.received
  const resets = frames2.filter(f => (f.flags & Flag.RST) !== 0).map(f => f.id)
  assert.equal(resets, [9, 11])
  const acks = frames2.filter(f => (f.flags & Flag.ACK) !== 0 && f.type === FrameType.WindowUpdate).map(f => f.id)
  assert.equal(acks, [1, 3, 5, 7])
  assert.ok(frames2.some(f => f.type === FrameType.Ping && f.flags === Flag.ACK && f.length === 4242), 'ping answered')
})

test('valid frames split at every byte boundary still work', async () => {
  const peer = rawPeer()
  const bytes = concat([
    data(Flag.SYN, 1, new Uint8Array([1, 2, 3, 4, 5])),
    header(FrameType.Ping, Flag.SYN, 0, 77),
    data(Flag.FIN, 1, new Uint8Array([6, 7]))
  ])
  for (let i = 0; i < bytes.length; i++) await peer.send(bytes.subarray(i, i + 1))
  await sleep(10)
  assert.is(peer.inbound.length, 1)
  const chunks = []
  for await (const c of peer.inbound[0]) chunks.push(c.slice())
  assert.equal(concat(chunks), new Uint8Array([1, 2, 3, 4, 5, 6, 7]))
  await peer.inbound[0].closeWrite()
  await peer.remote.closeWrite()
  assert.is(await within(3000, peer.closed), undefined, 'clean close')
  const frames = await peer.received
  assert.ok(frames.some(f => f.type === FrameType.Ping && f.flags === Flag.ACK && f.length === 77), 'ping answered')
})

/** Deterministic PRNG (xorshift32) so a failing round reproduces. */
function rng (seed) {
  let x = seed >>> 0 || 1
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 0x100000000 }
}

/**
 * What a fuzzer would send: mostly well-formed frames (SYNs on fresh odd ids,
 * data within the window, window updates, pings, FIN/RST), mixed with random
 * fields and garbage at a low rate, so that some sessions survive and some die.
 */
function fuzzFrames (random, count, hostility) {
  const out = []
  const open = []
  let nextId = 1
  for (let i = 0; i < count; i++) {
    const r = random()
    if (random() < hostility) {
      if (r < 0.3) { out.push(Uint8Array.from({ length: 1 + Math.floor(random() * 30) }, () => random() * 256)); continue }
      const type = random() < 0.2 ? Math.floor(random() * 256) : Math.floor(random() * 4)
      const length = type === FrameType.Data ? Math.floor(random() ** 4 * 600_000) : Math.floor(random() * 0x100000000)
      out.push(header(type, Math.floor(random() * 16), Math.floor(random() * 20), length, random() < 0.1 ? 1 : 0))
      if (type === FrameType.Data) out.push(new Uint8Array(Math.min(length, 600_000)))
      continue
    }
    if (r < 0.25 || open.length === 0) {
      out.push(header(FrameType.WindowUpdate, Flag.SYN, nextId, Math.floor(random() * 1000)))
      open.push(nextId)
      nextId += 2
    } else if (r < 0.6) {
      const id = open[Math.floor(random() * open.length)]
      out.push(data(random() < 0.1 ? Flag.FIN : 0, id, new Uint8Array(Math.floor(random() * 3000))))
    } else if (r < 0.75) {
      out.push(header(FrameType.WindowUpdate, 0, open[Math.floor(random() * open.length)], Math.floor(random() * 100_000)))
    } else if (r < 0.9) {
      out.push(header(FrameType.Ping, Flag.SYN, 0, Math.floor(random() * 0x100000000)))
    } else {
      const id = open.splice(Math.floor(random() * open.length), 1)[0]
      out.push(header(FrameType.WindowUpdate, random() < 0.5 ? Flag.RST : Flag.FIN, id, 0))
    }
  }
  return out
}

test('fuzz: random frames end in a named error or a working session, never a crash or a hang', async () => {
  const random = rng(2024)
  const outcomes = new Map()
  for (let round = 0; round < 60; round++) {
    const peer = rawPeer({ options: { maxStreams: 8 } })
    const frames = fuzzFrames(random, 1 + Math.floor(random() * 60), round % 3 === 0 ? 0 : 0.04)
    for (const f of frames) await peer.send(f)
    await sleep(5)
    let outcome
    if (peer.muxer.closed) {
      const err = await within(3000, peer.closed, `round ${round}: onClose`)
      assert.ok(err instanceof Error, `round ${round}: closed with an error`)
      assert.ok(['YamuxProtocolError', 'MuxerClosedError'].includes(err.name), `round ${round}: ${err.name}: ${err.message}`)
      outcome = err.name
    } else {
      // Still open: it must still answer a ping, then close cleanly when the remote does.
      await peer.send(header(FrameType.Ping, Flag.SYN, 0, 0xabcdef))
      await peer.remote.closeWrite()
      const err = await within(3000, peer.closed, `round ${round}: onClose after remote end`)
      const frames = await within(3000, peer.received)
      if (err === undefined) assert.ok(frames.some(f => f.type === FrameType.Ping && f.flags === Flag.ACK && f.length === 0xabcdef), `round ${round}: ping answered`)
      outcome = err === undefined ? 'open' : err.name
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
    for (const s of peer.inbound) assert.ok(s.bufferedBytes <= s.receiveWindow, 'buffers bounded by the window')
  }
  assert.ok((outcomes.get('YamuxProtocolError') ?? 0) >= 5, `protocol errors: ${JSON.stringify([...outcomes])}`)
  assert.ok((outcomes.get('open') ?? 0) >= 5, `sessions that survived: ${JSON.stringify([...outcomes])}`)
})

test.run()
