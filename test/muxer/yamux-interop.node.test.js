// Interop: our yamux against @chainsafe/libp2p-yamux v8 (js-libp2p's muxer),
// over real TCP on 127.0.0.1, no encryption, in both roles. The js-yamux side
// runs in its own process (test/muxer/fixtures/js-yamux-peer.js): it echoes
// our streams and opens streams of its own that we echo.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import net from 'node:net'
import { fileURLToPath } from 'node:url'
import { yamux } from '../../dist/muxer/yamux/index.js'
import { socketByteStream } from './fixtures/socket-byte-stream.js'
import { within, readAll, randomBytes, concat, echo, sleep } from './compliance.js'

const FIXTURE = fileURLToPath(new URL('./fixtures/js-yamux-peer.js', import.meta.url))

/** Starts the js-yamux peer; its stdout JSON lines become awaitable messages. */
function startPeer (args) {
  const child = spawn(process.execPath, [FIXTURE, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
  const messages = []
  const listeners = new Set()
  createInterface({ input: child.stdout }).on('line', line => {
    let m
    try { m = JSON.parse(line) } catch { return }
    messages.push(m)
    for (const l of [...listeners]) l(m)
  })
  return {
    messages,
    next (predicate, ms, what) {
      const found = messages.find(predicate)
      if (found) return Promise.resolve(found)
      return within(ms, new Promise(resolve => {
        const listener = m => { if (predicate(m)) { listeners.delete(listener); resolve(m) } }
        listeners.add(listener)
      }), what)
    },
    command (cmd) { child.stdin.write(JSON.stringify({ cmd }) + '\n') },
    stop () { child.stdin.end(); child.kill() }
  }
}

function ourMuxer (socket, direction) {
  socket.setNoDelay(true)
  const inbound = []
  let muxer
  const closed = new Promise(resolve => {
    muxer = yamux({ keepAliveInterval: 0 }).create(socketByteStream(socket), {
      direction,
      onIncomingStream: stream => { inbound.push(stream); echo(stream) },
      onClose: err => resolve({ err })
    })
  })
  return { muxer, closed, inbound }
}

// ——— js-yamux listens, we dial (we are the yamux client) ———
let peer
let dialer

test.before(async () => {
  peer = startPeer(['listen'])
  const { port } = await peer.next(m => m.port !== undefined, 15000, 'js-yamux peer start')
  const socket = net.connect(port, '127.0.0.1')
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
  dialer = ourMuxer(socket, 'outbound')
})

test.after(() => { peer?.stop() })

test('dialer: js-yamux opens streams to us (even ids), all echoed correctly', async () => {
  const m = await peer.next(m => m.jsOpened !== undefined, 10000, 'js-yamux streams')
  assert.is(m.jsOpened, 5)
  assert.is(dialer.inbound.length, 5)
  assert.ok(dialer.inbound.every(s => s.streamId % 2 === 0), 'the listener uses even ids')
})

test('dialer: we open a stream (odd id), js-yamux echoes it', async () => {
  const stream = await dialer.muxer.newStream()
  assert.is(stream.streamId % 2, 1)
  const reading = readAll(stream)
  await stream.write(new TextEncoder().encode('hello '))
  await stream.write(new TextEncoder().encode('js-yamux'))
  await stream.closeWrite()
  assert.is(new TextDecoder().decode(await within(5000, reading)), 'hello js-yamux')
  await peer.next(m => m.echoed === stream.streamId, 5000, 'js-yamux saw the stream end')
})

test('dialer: 4 MiB through one stream, windows and window updates agree both ways', async () => {
  const stream = await dialer.muxer.newStream()
  const data = randomBytes(4 * 1024 * 1024)
  const reading = readAll(stream)
  for (let i = 0; i < data.length; i += 100_000) await within(10000, stream.write(data.subarray(i, i + 100_000)))
  await stream.closeWrite()
  const back = await within(20000, reading, '4 MiB echo')
  assert.is(back.length, data.length)
  assert.equal(back, data)
})

test('dialer: 100 concurrent streams', async () => {
  const results = await within(20000, Promise.all(Array.from({ length: 100 }, async (_, i) => {
    const stream = await dialer.muxer.newStream()
    const payload = concat([new TextEncoder().encode(`stream ${i} `), randomBytes(1000 + i)])
    const reading = readAll(stream)
    await stream.write(payload)
    await stream.closeWrite()
    const back = await reading
    return back.length === payload.length && back.every((b, j) => b === payload[j])
  })), '100 streams')
  assert.is(results.filter(Boolean).length, 100)
})

test('dialer: our reset reaches js-yamux without hurting the session', async () => {
  const stream = await dialer.muxer.newStream()
  await stream.write(new Uint8Array([1, 2, 3]))
  stream.reset()
  await sleep(50)
  const again = await dialer.muxer.newStream()
  const reading = readAll(again)
  await again.write(new Uint8Array([4]))
  await again.closeWrite()
  assert.equal(await within(5000, reading), new Uint8Array([4]))
})

test('dialer: ping, js-yamux answers, we get an RTT', async () => {
  const rtt = await within(5000, dialer.muxer.ping(), 'ping')
  assert.ok(rtt > 0 && rtt < 5000, `rtt ${rtt} ms`)
  assert.ok(dialer.muxer.rtt > 0)
})

test('dialer: close() sends Go Away (normal) and js-yamux closes too', async () => {
  // The one failed echo on the js side is the stream we reset (it fails on read or on the echo write).
  const errors = peer.messages.filter(m => m.echoError !== undefined || m.openError !== undefined)
  assert.is(errors.length, 1)
  assert.match(String(errors[0].echoError), /reset|closed/i, JSON.stringify(errors))
  await within(10000, dialer.muxer.close(), 'close')
  const { err } = await within(5000, dialer.closed, 'onClose')
  assert.is(err, undefined)
  const closed = await peer.next(m => m.closed === true, 5000, 'js-yamux close')
  assert.is(closed.remoteGoAway, 0, 'js-yamux received our Go Away (normal)')
  assert.is(closed.status, 'closed')
})

// ——— we listen, js-yamux dials (we are the yamux server) ———

test('listener: js-yamux dials us; streams both ways; its close ends our session cleanly', async () => {
  const server = net.createServer()
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  const accepted = new Promise(resolve => server.once('connection', resolve))
  const jsDialer = startPeer(['dial', String(server.address().port)])
  try {
    const ours = ourMuxer(await within(15000, accepted, 'js-yamux dial'), 'inbound')
    const m = await jsDialer.next(m => m.jsOpened !== undefined, 10000, 'js-yamux streams')
    assert.is(m.jsOpened, 5)
    assert.ok(ours.inbound.every(s => s.streamId % 2 === 1), 'the dialer uses odd ids')
    const stream = await ours.muxer.newStream()
    assert.is(stream.streamId % 2, 0)
    const reading = readAll(stream)
    const payload = randomBytes(600 * 1024)
    await stream.write(payload)
    await stream.closeWrite()
    assert.equal(await within(10000, reading), payload)
    jsDialer.command('close')
    await jsDialer.next(m => m.jsClosed === true, 5000, 'js-yamux close')
    const { err } = await within(5000, ours.closed, 'our onClose after the remote closed')
    assert.is(err, undefined)
    let refused
    try { await ours.muxer.newStream() } catch (e) { refused = e }
    assert.ok(refused instanceof Error)
    assert.equal(jsDialer.messages.filter(m => m.echoError !== undefined || m.openError !== undefined), [])
  } finally {
    jsDialer.stop()
    server.close()
  }
})

test.run()
