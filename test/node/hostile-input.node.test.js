// A node listening on TCP must close connections that send garbage, oversized
// negotiation messages, or nothing at all, and keep serving honest peers.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import net from 'node:net'
import { createNode, echoHandler, ECHO_PROTOCOL } from '../../dist/node/index.js'
import { tcp } from '../../dist/transport/index.js'
import { encodeMessages } from '../../dist/multistream/_messages.js'
import { encodeVarint } from '../../dist/stream/byte-reader.js'
import { concat, readAll, withTimeout, utf8, text } from '../helpers/bytes.js'

const UPGRADE_TIMEOUT_MS = 300
const T = 5000

/** Connects, writes `bytes`, and resolves with everything received once the node closes the socket. */
function probe (port, bytes) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port })
    const received = []
    socket.on('connect', () => { if (bytes.length > 0) socket.write(bytes) })
    socket.on('data', d => received.push(new Uint8Array(d)))
    socket.on('error', () => {}) // a reset is one acceptable way to be closed
    socket.on('close', () => resolve(concat(received)))
    setTimeout(() => { socket.destroy(); reject(new Error('the node kept the socket open')) }, T)
  })
}

let node
let port

test.before(async () => {
  node = await createNode({ transports: [tcp()], listen: ['/ip4/127.0.0.1/tcp/0'], upgradeTimeoutMs: UPGRADE_TIMEOUT_MS })
  node.handle(ECHO_PROTOCOL, echoHandler)
  port = Number(node.getMultiaddrs()[0].getComponents()[1].value)
})

test.after(async () => { await node.stop() })

test('garbage is dropped', async () => {
  await probe(port, Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff))
})

test('an oversized negotiation message is dropped', async () => {
  await probe(port, concat([encodeMessages('/multistream/1.0.0'), encodeVarint(1 << 20), new Uint8Array(4096)]))
})

test('an unknown security protocol gets na, and the socket is closed after the attempt limit', async () => {
  const proposals = Array.from({ length: 40 }, (_, i) => `/insecure/${i}`)
  const answer = await probe(port, encodeMessages('/multistream/1.0.0', ...proposals))
  assert.ok(text(answer).startsWith(text(encodeMessages('/multistream/1.0.0', 'na'))), 'header then na')
})

test('a silent connection is closed after the upgrade timeout', async () => {
  const started = performance.now()
  await probe(port, new Uint8Array(0))
  assert.ok(performance.now() - started >= UPGRADE_TIMEOUT_MS - 50, 'not before the timeout')
})

test('honest peers are still served', async () => {
  const client = await createNode({ transports: [tcp()] })
  const stream = await withTimeout(client.dialProtocol(node.getMultiaddrs()[0], ECHO_PROTOCOL), T, 'dial')
  await stream.write(utf8('still fine'))
  await stream.closeWrite()
  assert.is(text(await withTimeout(readAll(stream), T, 'echo')), 'still fine')
  await client.stop()
  assert.is(node.getConnections().length <= 1, true)
})

test.run()
