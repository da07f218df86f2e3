// WebSocketConnection.closeWrite against a socket whose send buffer never drains (the remote
// stopped reading): it must give up after the close timeout and tear the socket down, not poll
// for ever. A scripted WebSocketLike stands in for the socket; browser-safe.
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

test.run()
