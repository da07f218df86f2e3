// WebSocketConnection.closeWrite against a socket whose send buffer never drains (the remote
// stopped reading): it must give up after the close timeout and tear the socket down, not poll
// for ever; and the `ws` path, whose send calls back once the bytes left. A scripted
// WebSocketLike stands in for the socket; browser-safe.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '@multiformats/multiaddr'
import { WebSocketConnection } from '../../dist/transport/websockets/socket-connection.js'
import { WebSocketSendTimeoutError, WEBSOCKET_SEND_TIMEOUT_MS } from '../../dist/transport/index.js'

function stuckSocket () {
  return {
    binaryType: 'blob',
    readyState: 1,
    bufferedAmount: 1 << 20, // never drains
    sent: [],
    closedWith: undefined,
    terminated: false,
    send (data) { this.sent.push(data) },
    close (code) { this.closedWith = code; this.readyState = 3; this.onclose?.({ code, reason: '' }) },
    terminate () { this.terminated = true; this.readyState = 3; this.onclose?.({ code: 1006, reason: '' }) },
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null
  }
}

const addr = multiaddr('/ip4/127.0.0.1/tcp/1/ws')

test('closeWrite gives up on a send buffer that never drains and tears the socket down', async () => {
  const socket = stuckSocket()
  const conn = new WebSocketConnection(socket, addr, undefined, { closeTimeoutMs: 40 })
  const started = performance.now()
  const outcome = await Promise.race([
    conn.closeWrite().then(() => 'returned', () => 'returned'),
    new Promise(resolve => setTimeout(() => resolve('hung'), 2000))
  ])
  assert.is(outcome, 'returned')
  assert.ok(performance.now() - started >= 30)
  assert.ok(socket.readyState === 3, 'the socket is closed')
  assert.ok(socket.terminated || socket.closedWith !== undefined)
})

test('closeWrite on a drained socket closes normally at once', async () => {
  const socket = stuckSocket()
  socket.bufferedAmount = 0
  const conn = new WebSocketConnection(socket, addr, undefined, { closeTimeoutMs: 40 })
  await conn.closeWrite()
  assert.is(socket.closedWith, 1000)
  assert.not.ok(socket.terminated)
})

test('write gives up on a send buffer that does not drain at all, with WebSocketSendTimeoutError', async () => {
  assert.is(WEBSOCKET_SEND_TIMEOUT_MS, 30_000)
  const socket = stuckSocket()
  socket.bufferedAmount = 2 << 20 // over the high-water mark, and it stays there
  const conn = new WebSocketConnection(socket, addr, undefined, { sendTimeoutMs: 60 })
  const started = performance.now()
  const outcome = await Promise.race([
    conn.write(new Uint8Array(10)).then(() => 'written', err => err),
    new Promise(resolve => setTimeout(() => resolve('hung'), 2000))
  ])
  assert.instance(outcome, WebSocketSendTimeoutError)
  assert.ok(performance.now() - started >= 50)
  assert.ok(socket.readyState === 3 && socket.terminated, 'the socket was torn down')
})

test('write waits on a buffer that drains slowly, past the send timeout in total', async () => {
  const socket = stuckSocket()
  socket.bufferedAmount = 2 << 20
  // Drains a little every 20 ms: 80 steps take ~1.6 s in total, beyond the 400 ms stall timeout.
  const step = Math.ceil(((2 << 20) - (1 << 20)) / 80)
  const drainer = setInterval(() => { socket.bufferedAmount = Math.max(0, socket.bufferedAmount - step) }, 20)
  const conn = new WebSocketConnection(socket, addr, undefined, { sendTimeoutMs: 400 })
  try {
    const outcome = await Promise.race([
      conn.write(new Uint8Array(10)).then(() => 'written', err => err),
      new Promise(resolve => setTimeout(() => resolve('hung'), 5000))
    ])
    assert.is(outcome, 'written')
  } finally {
    clearInterval(drainer)
  }
})

// `ws` (Node) calls send's callback once the socket took the bytes: write resolves then, with no copy made.
function acknowledgingSocket () {
  const socket = stuckSocket()
  socket.bufferedAmount = 0
  socket.callbacks = []
  socket.send = function (data, callback) { this.sent.push(data); if (callback !== undefined) this.callbacks.push(callback) }
  return socket
}

test('with a send callback, write hands over the caller\'s bytes and resolves only once the socket took them', async () => {
  const socket = acknowledgingSocket()
  const conn = new WebSocketConnection(socket, addr, undefined, { sendTakesCallback: true })
  const chunk = new Uint8Array(1000).fill(7)
  let written = false
  const writing = conn.write(chunk).then(() => { written = true })
  await new Promise(resolve => setTimeout(resolve, 20))
  assert.is(socket.sent[0], chunk, 'the caller\'s bytes, not a copy')
  assert.not.ok(written, 'not resolved before the callback')
  socket.callbacks.shift()()
  await writing
  assert.ok(written)
})

test('with a send callback, a large write goes out as several messages and waits on the last', async () => {
  const socket = acknowledgingSocket()
  const conn = new WebSocketConnection(socket, addr, undefined, { sendTakesCallback: true })
  const chunk = new Uint8Array(600 * 1024)
  const writing = conn.write(chunk)
  await new Promise(resolve => setTimeout(resolve, 10))
  assert.is(socket.sent.length, 3)
  assert.is(socket.sent.reduce((n, m) => n + m.length, 0), chunk.length)
  assert.is(socket.callbacks.length, 1)
  socket.callbacks.shift()()
  await writing
})

test('with a send callback, a send buffer that never drains tears the socket down with WebSocketSendTimeoutError', async () => {
  const socket = acknowledgingSocket()
  socket.bufferedAmount = 2 << 20
  const conn = new WebSocketConnection(socket, addr, undefined, { sendTakesCallback: true, sendTimeoutMs: 60 })
  const started = performance.now()
  const outcome = await Promise.race([
    conn.write(new Uint8Array(10)).then(() => 'written', err => err),
    new Promise(resolve => setTimeout(() => resolve('hung'), 2000))
  ])
  assert.instance(outcome, WebSocketSendTimeoutError)
  assert.ok(performance.now() - started >= 50)
  assert.ok(socket.readyState === 3 && socket.terminated, 'the socket was torn down')
})

test('with a send callback, a failed send rejects the write', async () => {
  const socket = acknowledgingSocket()
  const conn = new WebSocketConnection(socket, addr, undefined, { sendTakesCallback: true })
  const writing = conn.write(new Uint8Array(10))
  socket.callbacks.shift()(new Error('socket gone'))
  await writing.then(() => assert.unreachable('resolved'), err => assert.instance(err, Error))
})

test.run()
