// Circuit relay v2 interop with js-libp2p (@libp2p/circuit-relay-v2 in child
// processes): each role in turn. js relay + wasp2p peers, wasp2p relay + js
// peers, js ↔ wasp2p through either relay in both directions, over TCP, and
// the relay reached over WebSocket. Each case echoes 1 MiB end to end
// (Noise + yamux over the circuit) and checks the connection is limited.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { echoHandler, ECHO_PROTOCOL } from '../../dist/index.js'
import { circuitRelayServer, circuitRelayTransport } from '../../dist/relay/index.js'
import { startRelayNode } from './helpers/relay-node.js'
import { startJsRelayPeer } from './fixtures/js-relay-peer-process.js'
import { patternBytes, equalBytes, readAll, writeChunked, withTimeout } from '../helpers/bytes.js'

const MiB = 1024 * 1024
const T = 60_000
/** Relays in these tests carry 1 MiB each way; their defaults (128 KiB) would cut it. */
const DATA_LIMIT = 16 * MiB

async function echo (connection, bytes) {
  const stream = await connection.newStream(ECHO_PROTOCOL)
  const data = patternBytes(bytes, 3)
  const back = readAll(stream)
  back.catch(() => {})
  await writeChunked(stream, data, 16 * 1024)
  await stream.closeWrite()
  return equalBytes(await back, data)
}

const circuitVia = (addrs, relayId, ws = false) => addrs.map(String).find(a => a.includes(`/p2p/${relayId}/p2p-circuit`) && a.includes('/ws/') === ws)

const test = suite('circuit relay v2 interop with js-libp2p')
const n = {}

// uvu reports a failed hook only as 0 passed; the error is printed here.
test.before(async () => {
  try {
    n.wRelay = await startRelayNode({
      listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'],
      services: { relay: circuitRelayServer({ limit: { durationSeconds: 120, dataBytes: BigInt(DATA_LIMIT) } }) }
    })
    n.jRelay = await startJsRelayPeer({ relayServer: { dataBytes: DATA_LIMIT, durationMs: 120_000 } })
    const wRelayTcp = n.wRelay.getMultiaddrs().map(String).find(a => !a.includes('/ws'))
    n.wRelayWs = n.wRelay.getMultiaddrs().map(String).find(a => a.includes('/ws'))
    // wasp2p A: listens through both relays (over TCP).
    n.wA = await startRelayNode({
      listen: ['/ip4/127.0.0.1/tcp/0', `${n.jRelay.tcpAddr}/p2p-circuit`, `${wRelayTcp}/p2p-circuit`],
      services: { circuit: circuitRelayTransport() }
    })
    n.wA.handle(ECHO_PROTOCOL, echoHandler)
    // wasp2p A2: reserves on the wasp2p relay over WebSocket only.
    n.wA2 = await startRelayNode({ listen: [`${n.wRelayWs}/p2p-circuit`], services: { circuit: circuitRelayTransport() } })
    n.wA2.handle(ECHO_PROTOCOL, echoHandler)
    // js A listens through the wasp2p relay, js A' through the js relay (a js-libp2p
    // node configured with two relay listen addresses did not finish starting here).
    n.jA = await startJsRelayPeer({ listenRelay: [`${wRelayTcp}/p2p-circuit`] })
    n.jA2 = await startJsRelayPeer({ listenRelay: [`${n.jRelay.tcpAddr}/p2p-circuit`] })
    n.jB = await startJsRelayPeer({})
    n.wB = await startRelayNode({ services: { circuit: circuitRelayTransport() } })
    n.jAAddrs = (await n.jA.command({ cmd: 'addrs' })).addrs
    n.jA2Addrs = (await n.jA2.command({ cmd: 'addrs' })).addrs
  } catch (err) {
    console.error('before:', err)
    throw err
  }
})

test.after(async () => {
  await Promise.allSettled([n.wA?.stop(), n.wA2?.stop(), n.wB?.stop(), n.jA?.stop(), n.jA2?.stop(), n.jB?.stop()])
  await Promise.allSettled([n.wRelay?.stop(), n.jRelay?.stop()])
})

async function wasp2pDials (addr, target) {
  assert.ok(addr, 'a circuit address exists')
  const connection = await withTimeout(n.wB.dial(addr), T, `dial ${addr}`)
  assert.is(connection.remotePeer.toString(), target)
  assert.ok(connection.limited, 'marked limited')
  // Both relays cut circuits after 120 s; the js relay writes 120000 (its ms) in the seconds field.
  assert.is(connection.limits.durationSeconds, 120, 'the duration limit read as seconds')
  assert.ok(await withTimeout(echo(connection, MiB), T, 'echo'), '1 MiB byte-exact')
  await connection.close()
}

async function jsDials (addr, target) {
  assert.ok(addr, 'a circuit address exists')
  const answer = await n.jB.command({ cmd: 'echo', addr, bytes: MiB })
  assert.ok(answer.ok, answer.error)
  assert.is(answer.remotePeer, target)
  assert.ok(answer.limited, 'js marks it limited')
  assert.is(answer.bytes, MiB)
  assert.ok(answer.match, '1 MiB byte-exact')
}

test('js relay, wasp2p peers: wasp2p reserves on js, wasp2p dials wasp2p through js', async () => {
  const addr = circuitVia(n.wA.getMultiaddrs(), n.jRelay.peerId)
  await wasp2pDials(addr, n.wA.peerId.toString())
})

test('wasp2p relay, js peers: js reserves on wasp2p, js dials js through wasp2p', async () => {
  const addr = circuitVia(n.jAAddrs, n.wRelay.peerId.toString())
  await jsDials(addr, n.jA.peerId)
  assert.ok(n.wRelay.services.relay.reservations.size >= 2, 'the wasp2p relay holds js A\'s reservation')
})

test('through the wasp2p relay: js dials wasp2p', async () => {
  await jsDials(circuitVia(n.wA.getMultiaddrs(), n.wRelay.peerId.toString()), n.wA.peerId.toString())
})

test('through the wasp2p relay: wasp2p dials js', async () => {
  await wasp2pDials(circuitVia(n.jAAddrs, n.wRelay.peerId.toString()), n.jA.peerId)
})

test('through the js relay: js dials wasp2p', async () => {
  await jsDials(circuitVia(n.wA.getMultiaddrs(), n.jRelay.peerId), n.wA.peerId.toString())
})

test('through the js relay: wasp2p dials js', async () => {
  await wasp2pDials(circuitVia(n.jA2Addrs, n.jRelay.peerId), n.jA2.peerId)
})

test('wasp2p relay over WebSocket: wasp2p reserves over ws, js dials it through the ws address', async () => {
  const relayConnection = n.wA2.getConnections(n.wRelay.peerId)[0]
  assert.ok(relayConnection.remoteAddr.toString().includes('/ws'), 'the reservation was made over WebSocket')
  await jsDials(circuitVia(n.wA2.getMultiaddrs(), n.wRelay.peerId.toString(), true), n.wA2.peerId.toString())
})

test('js relay over WebSocket: a fresh wasp2p peer reaches js A\' through the js relay\'s ws address', async () => {
  const c = await startRelayNode({ services: { circuit: circuitRelayTransport() } })
  try {
    const addr = circuitVia(n.jA2Addrs, n.jRelay.peerId, true)
    assert.ok(addr, 'js A\' announces a ws circuit address')
    const connection = await withTimeout(c.dial(addr), T, 'dial over ws')
    assert.ok(c.getConnections(n.jRelay.peerId)[0].remoteAddr.toString().includes('/ws'), 'reached the relay over WebSocket')
    assert.ok(connection.limited)
    assert.ok(await withTimeout(echo(connection, MiB), T, 'echo'))
  } finally { await c.stop() }
})

test.run()
