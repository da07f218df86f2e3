// Interop with js-libp2p 3 (a separate process: fixtures/js-peer.mjs): Noise,
// yamux and multistream-select on the wire, over TCP and WebSockets, both
// dial directions, with and without early muxer negotiation. Each case moves
// 10 concurrent streams × 1 MiB through /echo/1.0.0 and checks them byte-exact.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createNode, echoHandler, ECHO_PROTOCOL } from '../../dist/index.js'
import { startJsPeer } from './fixtures/js-peer-process.js'
import { patternBytes, equalBytes, readAll, writeChunked, withTimeout } from '../helpers/bytes.js'

const STREAMS = 10
const BYTES = 1024 * 1024
const CASE_TIMEOUT_MS = 60_000
/** Streams opened together on a new connection: more than js-libp2p's maxEarlyStreams (10). */
const EARLY_BURST = 20

async function echoStreams (connection) {
  return await Promise.all(Array.from({ length: STREAMS }, async (_, i) => {
    const stream = await connection.newStream(ECHO_PROTOCOL)
    const data = patternBytes(BYTES, 100 + i)
    const back = readAll(stream)
    await writeChunked(stream, data, 64 * 1024)
    await stream.closeWrite()
    const received = await back
    return { length: received.length, match: equalBytes(received, data), protocol: stream.protocol }
  }))
}

for (const earlyMuxer of [true, false]) {
  const test = suite(`js-libp2p interop, ${earlyMuxer ? 'with' : 'without'} early muxer negotiation`)
  const expectedNegotiation = earlyMuxer ? 'handshake' : 'multistream'
  let js
  let node

  test.before(async () => {
    js = await startJsPeer({ earlyMuxer })
    node = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'], earlyMuxerNegotiation: earlyMuxer })
    node.handle(ECHO_PROTOCOL, echoHandler)
  })

  test.after(async () => {
    await node?.stop()
    await js?.stop()
  })

  for (const transport of ['tcp', 'ws']) {
    test(`wasp2p dials js over ${transport}: Noise, yamux, ${STREAMS} × 1 MiB echo`, async () => {
      await Promise.all(node.getConnections().map(c => c.close()))
      const addr = transport === 'tcp' ? js.tcpAddr : js.wsAddr
      // The echo streams start the moment the connection is up, next to identify's: js-libp2p
      // aborts a connection that receives more than 10 streams before it listens, and our muxer
      // holds the streams past MAX_EARLY_STREAMS back until js shows it listens.
      const connection = await withTimeout(node.dial(addr), CASE_TIMEOUT_MS, 'dial')
      assert.is(connection.remotePeer.toString(), js.peerId)
      assert.is(connection.encryption, '/noise')
      assert.is(connection.multiplexer, '/yamux/1.0.0')
      assert.is(connection.muxerNegotiation, expectedNegotiation)
      assert.is(connection.remoteAddr.toString().includes('/ws'), transport === 'ws')
      const results = await withTimeout(echoStreams(connection), CASE_TIMEOUT_MS, 'echo')
      for (const r of results) {
        assert.is(r.length, BYTES)
        assert.ok(r.match, 'byte-exact')
        assert.is(r.protocol, ECHO_PROTOCOL)
      }
    })

    test(`wasp2p dials js over ${transport}: ${EARLY_BURST} streams opened at once on a fresh connection all echo`, async () => {
      await Promise.all(node.getConnections().map(c => c.close()))
      const addr = transport === 'tcp' ? js.tcpAddr : js.wsAddr
      const connection = await withTimeout(node.dial(addr), CASE_TIMEOUT_MS, 'dial')
      const results = await withTimeout(Promise.all(Array.from({ length: EARLY_BURST }, async (_, i) => {
        const stream = await connection.newStream(ECHO_PROTOCOL)
        const data = patternBytes(1000, 500 + i)
        await stream.write(data)
        await stream.closeWrite()
        return equalBytes(await readAll(stream), data)
      })), CASE_TIMEOUT_MS, 'burst echo')
      assert.is(results.filter(Boolean).length, EARLY_BURST)
      assert.is(connection.status, 'open', 'js-libp2p did not abort the connection')
    })

    test(`wasp2p dials js over ${transport}: small echo half-closed at once after the lazy proposal`, async () => {
      // A FIN sent before js-libp2p has answered our optimistic proposal used to be lost on its side.
      const addr = transport === 'tcp' ? js.tcpAddr : js.wsAddr
      const stream = await withTimeout(node.dialProtocol(addr, ECHO_PROTOCOL), CASE_TIMEOUT_MS, 'dialProtocol')
      const data = patternBytes(1000, 7)
      await stream.write(data)
      await stream.closeWrite()
      const received = await withTimeout(readAll(stream), 10_000, 'echo of 1000 bytes')
      assert.ok(equalBytes(received, data), 'byte-exact')
    })

    test(`js dials wasp2p over ${transport}: Noise, yamux, ${STREAMS} × 1 MiB echo`, async () => {
      const addr = node.getMultiaddrs().map(a => a.toString()).find(a => a.includes('/ws') === (transport === 'ws'))
      assert.ok(addr, `wasp2p listens on ${transport}`)
      const answer = await js.command({ cmd: 'echo', addr, streams: STREAMS, bytes: BYTES })
      assert.ok(answer.ok, answer.error)
      assert.is(answer.encryption, '/noise')
      assert.is(answer.multiplexer, '/yamux/1.0.0')
      assert.is(answer.streams.length, STREAMS)
      for (const s of answer.streams) {
        assert.is(s.bytes, BYTES)
        assert.ok(s.match, 'byte-exact')
      }
      const inbound = node.getConnections().filter(c => c.direction === 'inbound' && c.remotePeer.toString() === js.peerId)
      assert.ok(inbound.some(c => c.muxerNegotiation === expectedNegotiation && c.remoteAddr.toString().includes('/ws') === (transport === 'ws')))
    })
  }

  test.run()
}
