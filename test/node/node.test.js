// The minimal node over the memory transport with its default security and
// muxer (Noise, yamux): dial, reuse, handlers, errors, stop.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createNode, echoHandler, ECHO_PROTOCOL, DuplicateHandlerError, DialSelfError } from '../../dist/node/index.js'
import { memory, UnsupportedTransportError } from '../../dist/transport/index.js'
import { UnsupportedProtocolError } from '../../dist/multistream/index.js'
import { UpgradeError } from '../../dist/connection/index.js'
import { readAll, withTimeout, utf8, text } from '../helpers/bytes.js'
import { waitFor } from '../helpers/wait.js'

const T = 10_000

async function twoNodes (options = {}) {
  const a = await createNode({ transports: [memory()], listen: ['/memory/0'], ...options })
  const b = await createNode({ transports: [memory()], listen: ['/memory/0'], ...options })
  b.handle(ECHO_PROTOCOL, echoHandler)
  return { a, b, stop: async () => { await a.stop(); await b.stop() } }
}


test('a started node has a PeerId and /p2p/ addresses', async () => {
  const node = await createNode({ transports: [memory()], listen: ['/memory/0'] })
  assert.ok(node.isStarted)
  assert.match(node.peerId.toString(), /^12D3KooW/)
  const [addr] = node.getMultiaddrs()
  assert.match(addr.toString(), new RegExp(`^/memory/.+/p2p/${node.peerId.toString()}$`))
  await node.stop()
  assert.is(node.getMultiaddrs().length, 0)
})

test('dialProtocol echoes, and the stream carries its protocol', async () => {
  const { a, b, stop } = await twoNodes()
  const stream = await withTimeout(a.dialProtocol(b.getMultiaddrs()[0], ECHO_PROTOCOL), T, 'dialProtocol')
  assert.is(stream.protocol, ECHO_PROTOCOL)
  await stream.write(utf8('hello node'))
  await stream.closeWrite()
  assert.is(text(await withTimeout(readAll(stream), T, 'echo')), 'hello node')
  const [connection] = a.getConnections(b.peerId)
  assert.is(connection.encryption, '/noise')
  assert.is(connection.multiplexer, '/yamux/1.0.0')
  assert.ok(connection.remotePeer.equals(b.peerId))
  await stop()
})

test('dials to the same peer reuse one connection, also when concurrent', async () => {
  const { a, b, stop } = await twoNodes()
  const addr = b.getMultiaddrs()[0]
  const [c1, c2] = await withTimeout(Promise.all([a.dial(addr), a.dial(addr.toString())]), T, 'dial')
  assert.is(c1, c2)
  const c3 = await a.dial(addr)
  assert.is(c3, c1)
  assert.is(a.getConnections().length, 1)
  await waitFor(() => b.getConnections().length === 1, 'inbound connection')
  assert.ok(b.getConnections()[0].remotePeer.equals(a.peerId))
  await stop()
})

test('handler registry: duplicates refused, unhandled protocols refused on the wire', async () => {
  const { a, b, stop } = await twoNodes()
  assert.throws(() => b.handle(ECHO_PROTOCOL, echoHandler), err => err instanceof DuplicateHandlerError)
  b.unhandle(ECHO_PROTOCOL)
  assert.not.ok(b.getProtocols().includes(ECHO_PROTOCOL))
  const stream = await a.dialProtocol(b.getMultiaddrs()[0], ECHO_PROTOCOL)
  await stream.write(utf8('x'))
  try {
    await withTimeout(readAll(stream), T, 'read')
    assert.unreachable('read must fail')
  } catch (err) {
    assert.instance(err, UnsupportedProtocolError)
  }
  await stop()
})

test('dialing ourselves, an unknown transport or the wrong peer fails with named errors', async () => {
  const { a, b, stop } = await twoNodes()
  try { await a.dial(a.getMultiaddrs()[0]); assert.unreachable() } catch (err) { assert.instance(err, DialSelfError) }
  try { await a.dial('/ip4/127.0.0.1/tcp/1'); assert.unreachable() } catch (err) { assert.instance(err, UnsupportedTransportError) }
  const third = await createNode({ transports: [memory()], listen: [] })
  const misdirected = `${b.getMultiaddrs()[0].decapsulateCode(421).toString()}/p2p/${third.peerId.toString()}`
  try {
    await withTimeout(a.dial(misdirected), T, 'dial')
    assert.unreachable('dial must fail')
  } catch (err) {
    assert.instance(err, UpgradeError)
    assert.is(err.stage, 'security')
  }
  await third.stop()
  await stop()
})

test('stop closes connections on both sides', async () => {
  const { a, b, stop } = await twoNodes()
  await a.dial(b.getMultiaddrs()[0])
  await waitFor(() => b.getConnections().length === 1, 'inbound connection')
  await withTimeout(a.stop(), T, 'stop')
  assert.is(a.getConnections().length, 0)
  await waitFor(() => b.getConnections().length === 0, 'remote sees the close')
  await stop()
})

test('stop during a dial leaves no connection behind', async () => {
  const { a, b, stop } = await twoNodes()
  const dialing = a.dial(b.getMultiaddrs()[0]).catch(err => err)
  await a.stop()
  const result = await withTimeout(dialing, T, 'dial')
  assert.instance(result, Error)
  assert.is(result.name, 'NodeNotStartedError')
  assert.is(a.getConnections().length, 0)
  await waitFor(() => b.getConnections().length === 0, 'remote sees no connection')
  await stop()
})

test.run()
