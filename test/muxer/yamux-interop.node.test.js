// Interop: our yamux against @chainsafe/libp2p-yamux v8 (js-libp2p's muxer),
// over real TCP on 127.0.0.1, no encryption. The js-yamux side runs in its own
// process (test/muxer/fixtures/js-yamux-peer.js), which echoes our streams and
// opens streams of its own that we echo.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import net from 'node:net'
import { fileURLToPath } from 'node:url'
import { yamux } from '../../dist/muxer/yamux/index.js'
import { socketByteStream } from './fixtures/socket-byte-stream.js'
import { within, readAll, randomBytes, concat, echo } from './compliance.js'

const FIXTURE = fileURLToPath(new URL('./fixtures/js-yamux-peer.js', import.meta.url))

let child
const messages = []
const listeners = new Set()
let muxer
let closeEvent

function nextMessage (predicate, ms, what) {
  const found = messages.find(predicate)
  if (found) return Promise.resolve(found)
  return within(ms, new Promise(resolve => {
    const listener = m => { if (predicate(m)) { listeners.delete(listener); resolve(m) } }
    listeners.add(listener)
  }), what)
}

test.before(async () => {
  child = spawn(process.execPath, [FIXTURE], { stdio: ['pipe', 'pipe', 'inherit'] })
  createInterface({ input: child.stdout }).on('line', line => {
    let m
    try { m = JSON.parse(line) } catch { return }
    messages.push(m)
    for (const l of [...listeners]) l(m)
  })
  const { port } = await nextMessage(m => m.port !== undefined, 15000, 'js-yamux peer start')
  const socket = net.connect(port, '127.0.0.1')
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
  socket.setNoDelay(true)
  closeEvent = new Promise(resolve => {
    muxer = yamux({ keepAliveInterval: 0 }).create(socketByteStream(socket), {
      direction: 'outbound',
      onIncomingStream: stream => { echo(stream) },
      onClose: err => resolve({ err })
    })
  })
})

test.after(() => {
  child?.stdin.end()
  child?.kill()
})

test('js-yamux opens streams to us: all echoed correctly', async () => {
  const m = await nextMessage(m => m.jsOpened !== undefined, 10000, 'js-yamux streams')
  assert.is(m.jsOpened, 5)
})

test('we open a stream: js-yamux echoes it', async () => {
  const stream = await muxer.newStream()
  const reading = readAll(stream)
  await stream.write(new TextEncoder().encode('hello '))
  await stream.write(new TextEncoder().encode('js-yamux'))
  await stream.closeWrite()
  assert.is(new TextDecoder().decode(await within(5000, reading)), 'hello js-yamux')
})

test('4 MiB through one stream: windows and window updates agree both ways', async () => {
  const stream = await muxer.newStream()
  const data = randomBytes(4 * 1024 * 1024)
  const reading = readAll(stream)
  for (let i = 0; i < data.length; i += 100_000) await within(10000, stream.write(data.subarray(i, i + 100_000)))
  await stream.closeWrite()
  const back = await within(20000, reading, '4 MiB echo')
  assert.is(back.length, data.length)
  assert.equal(back, data)
})

test('100 concurrent streams', async () => {
  const results = await within(20000, Promise.all(Array.from({ length: 100 }, async (_, i) => {
    const stream = await muxer.newStream()
    const payload = concat([new TextEncoder().encode(`stream ${i} `), randomBytes(1000 + i)])
    const reading = readAll(stream)
    await stream.write(payload)
    await stream.closeWrite()
    const back = await reading
    return back.length === payload.length && back.every((b, j) => b === payload[j])
  })), '100 streams')
  assert.is(results.filter(Boolean).length, 100)
})

test('ping: js-yamux answers, we get an RTT', async () => {
  const rtt = await within(5000, muxer.ping(), 'ping')
  assert.ok(rtt > 0 && rtt < 5000, `rtt ${rtt} ms`)
  assert.ok(muxer.rtt > 0)
})

test('no echo failed on the js side', () => {
  assert.equal(messages.filter(m => m.echoError !== undefined || m.openError !== undefined), [])
})

test('close(): Go Away and the js-yamux muxer closes too', async () => {
  await within(10000, muxer.close(), 'close')
  const { err } = await within(5000, closeEvent, 'onClose')
  assert.is(err, undefined)
  const closed = await nextMessage(m => m.closed === true, 5000, 'js-yamux close')
  assert.is(closed.remoteGoAway, 0, 'js-yamux received our Go Away (normal)')
  assert.is(closed.status, 'closed')
})

test.run()
