// The resource manager (src/resources) on real nodes over the memory
// transport (Node and Chromium): each limit refuses with its named error
// (ResourceLimitError with the scope and limit, StreamLimitError for the
// per-connection protocol limits), the refusal reaches observers, and every
// count returns to zero once everything has closed.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  createNode, ResourceLimitError, StreamLimitError, generateKeyPair, withoutPeerId, metrics, valueOf,
  MAX_CONNECTIONS_PER_PEER, MAX_NODE_STREAMS, MAX_STREAMS_PER_PEER, MAX_STREAMS_PER_PROTOCOL, MAX_MEMORY_PER_CONNECTION, MAX_MEMORY_PER_PEER, MAX_MEMORY
} from '../../dist/index.js'
import { ResourceManager } from '../../dist/resources/index.js'
import { memory } from '../../dist/transport/index.js'
import { waitFor as waitForBounded } from '../helpers/wait.js'
import { withTimeout } from '../helpers/bytes.js'

const HOLD = '/test/hold/1.0.0'
const OTHER = '/test/other/1.0.0'
const SINK = '/test/sink/1.0.0'
const T = 10_000

const mem = options => createNode({ transports: [memory()], listen: ['/memory/0'], services: false, ...options })

/** Keeps the stream open until the remote closes it, reading everything. */
const hold = async stream => { for await (const _ of stream) { /* drain */ } await stream.close() }

/** Bounded polling with this file's longer default (a loaded machine). */
const waitFor = (predicate, what, ms = 5000) => waitForBounded(predicate, what, ms)

async function rejects (promise, check, what) {
  try {
    await withTimeout(promise, T, what)
  } catch (err) {
    check(err)
    return err
  }
  assert.unreachable(`${what} should have been refused`)
}

/** Every scope of a node is empty: no connections, streams or unread bytes left anywhere. */
function assertEmpty (node, who) {
  const u = node.resources()
  assert.equal(u.node, { connections: { inbound: 0, outbound: 0 }, streams: { inbound: 0, outbound: 0 }, memory: 0 }, `${who}: node scope`)
  assert.equal(Object.keys(u.peers), [], `${who}: peer scopes`)
  assert.equal(Object.keys(u.protocols), [], `${who}: protocol scopes`)
  assert.equal(Object.keys(u.connections), [], `${who}: connection scopes`)
}

/** Reads one chunk or the error that ends the stream (a reset). */
async function firstRead (stream) {
  try {
    const it = stream[Symbol.asyncIterator]()
    const r = await it.next()
    return r.done === true ? 'end' : 'data'
  } catch (err) {
    return err
  }
}

test('the defaults are the named constants', () => {
  const { limits } = new ResourceManager()
  assert.is(limits.maxConnectionsPerPeer, MAX_CONNECTIONS_PER_PEER)
  assert.is(limits.maxStreams, MAX_NODE_STREAMS)
  assert.is(limits.maxStreamsPerPeer, MAX_STREAMS_PER_PEER)
  assert.is(limits.maxStreamsPerProtocol, MAX_STREAMS_PER_PROTOCOL)
  assert.is(limits.maxMemoryPerConnection, MAX_MEMORY_PER_CONNECTION)
  assert.is(limits.maxMemoryPerPeer, MAX_MEMORY_PER_PEER)
  assert.is(limits.maxMemory, MAX_MEMORY)
  assert.throws(() => new ResourceManager({ maxStreams: -1 }), err => err instanceof RangeError)
})

test('scopes on their own: a refusal leaves no trace, closing a connection scope returns everything still charged', () => {
  const refused = []
  const rm = new ResourceManager({ maxStreamsPerPeer: 2, maxMemoryPerConnection: 100 }, new Set([{ refused: err => refused.push(err) }]))
  const c = rm.openConnection('c1', 'peer-a', 'inbound')
  const s1 = c.openStream('/p', 'inbound')
  c.openStream('/p', 'outbound')
  assert.throws(() => c.openStream('/q', 'inbound'), err => err instanceof ResourceLimitError && err.scope === 'peer')
  assert.is(refused.length, 1)
  assert.is(c.reserveMemory(60), undefined)
  const over = c.reserveMemory(41)
  assert.instance(over, ResourceLimitError)
  assert.is(over.limit, 'memory')
  assert.is(rm.usage().node.memory, 60, 'the refused reservation counted nothing')
  assert.is(s1.hold(40), undefined)
  assert.is(rm.usage().connections.c1.memory, 100)
  s1.close(); s1.close()
  assert.is(rm.usage().node.memory, 60, 'a stream\'s held bytes go with it, once')
  assert.equal(rm.usage().node.streams, { inbound: 0, outbound: 1 })
  assert.throws(() => c.openStream('/p', 'inbound', 0), err => err instanceof StreamLimitError && err.value === 0)
  c.close(); c.close()
  const u = rm.usage()
  assert.equal(u.node, { connections: { inbound: 0, outbound: 0 }, streams: { inbound: 0, outbound: 0 }, memory: 0 })
  assert.equal(u.peers, {})
  assert.equal(u.protocols, {})
  c.releaseMemory(10) // after close: ignored, never negative
  assert.is(rm.usage().node.memory, 0)
})

test('connections per peer: the one past the limit is refused with ResourceLimitError (peer, connections), then released', async () => {
  // Two nodes with one identity are one peer to us; dialing both by bare address makes two connections.
  const privateKey = await generateKeyPair('Ed25519')
  const b1 = await mem({ privateKey })
  const b2 = await mem({ privateKey })
  const a = await mem({ resources: { maxConnectionsPerPeer: 1 }, services: { metrics: metrics() } })
  try {
    await a.dial(withoutPeerId(b1.getMultiaddrs()[0]))
    const err = await rejects(a.dial(withoutPeerId(b2.getMultiaddrs()[0])), err => {
      assert.instance(err, ResourceLimitError)
      assert.is(err.name, 'ResourceLimitError')
      assert.is(err.scope, 'peer')
      assert.is(err.limit, 'connections')
      assert.is(err.value, 1)
    }, 'second connection')
    assert.ok(err.message.includes(b1.peerId.toString()))
    assert.is(a.getConnections().length, 1)
    assert.is(a.resources().node.connections.outbound, 1)
    // node.resources() also carries the connection manager's node-wide limits, which it enforces.
    assert.is(a.resources().connectionLimits.maxConnections, a.connectionManager.options.maxConnections)
    assert.is(a.resources().pendingInbound, 0)
    assert.is(valueOf(a.metrics(), 'wasp2p_resource_refusals_total', { scope: 'peer', limit: 'connections' }), 1)
    assert.is(valueOf(a.metrics(), 'wasp2p_dials_total', { outcome: 'failure', error: 'ResourceLimitError' }), 1)
    // b2 saw its half-made connection die; once a hangs up on b1, a second peer slot is free again.
    await a.hangUp(b1.peerId)
    await waitFor(() => a.getConnections().length === 0, 'hang-up')
    await a.dial(withoutPeerId(b2.getMultiaddrs()[0]))
    assert.is(a.resources().peers[b1.peerId.toString()].connections.outbound, 1)
  } finally {
    await a.stop(); await b1.stop(); await b2.stop()
  }
  assertEmpty(a, 'a')
  assertEmpty(b1, 'b1')
  assertEmpty(b2, 'b2')
})

test('streams per peer: outbound past the limit throws ResourceLimitError; inbound past it is reset', async () => {
  const server = await mem({ resources: { maxStreamsPerPeer: 3 } })
  const client = await mem({ resources: { maxStreamsPerPeer: 4 } })
  server.handle(HOLD, hold)
  try {
    const connection = await client.dial(server.getMultiaddrs()[0])
    const streams = []
    for (let i = 0; i < 4; i++) streams.push(await connection.newStream(HOLD))
    // The client's own limit: a fifth outbound stream is refused before it is used.
    await rejects(connection.newStream(HOLD), err => {
      assert.instance(err, ResourceLimitError)
      assert.is(err.scope, 'peer')
      assert.is(err.limit, 'streams')
    }, 'fifth stream')
    // The server's limit is 3: of the four it was offered, the last negotiated is reset.
    for (const s of streams) await s.write(new Uint8Array([1]))
    await waitFor(() => server.resources().node.streams.inbound === 3, 'three inbound streams at the server')
    const outcomes = await Promise.all(streams.map(s => withTimeout(Promise.race([firstRead(s), new Promise(resolve => setTimeout(() => resolve('open'), 500))]), T, 'read')))
    const reset = outcomes.filter(o => o instanceof Error)
    assert.is(reset.length, 1, `one stream reset: ${outcomes.map(String)}`)
    assert.is(reset[0].name, 'StreamResetError')
    assert.is(server.resources().peers[client.peerId.toString()].streams.inbound, 3)
    assert.is(server.resources().protocols[HOLD].streams.inbound, 3)
    for (const s of streams) await s.close()
    await waitFor(() => server.resources().node.streams.inbound === 0 && client.resources().node.streams.outbound === 0, 'streams released')
  } finally {
    await client.stop(); await server.stop()
  }
  assertEmpty(server, 'server')
  assertEmpty(client, 'client')
})

test('streams per protocol (node-wide, configured per protocol) and in total: ResourceLimitError (protocol | node, streams)', async () => {
  const node = await mem({ resources: { maxStreams: 5, protocols: { [HOLD]: { maxStreams: 2 } } } })
  const p1 = await mem()
  const p2 = await mem()
  p1.handle(HOLD, hold); p1.handle(OTHER, hold)
  p2.handle(HOLD, hold); p2.handle(OTHER, hold)
  try {
    const c1 = await node.dial(p1.getMultiaddrs()[0])
    const c2 = await node.dial(p2.getMultiaddrs()[0])
    const open = [await c1.newStream(HOLD), await c2.newStream(HOLD)]
    // Two peers, one protocol: its node-wide limit of 2 counts across connections.
    await rejects(c1.newStream(HOLD), err => {
      assert.instance(err, ResourceLimitError)
      assert.is(err.scope, 'protocol')
      assert.is(err.limit, 'streams')
      assert.is(err.value, 2)
    }, 'third HOLD stream')
    open.push(await c1.newStream(OTHER), await c2.newStream(OTHER), await c2.newStream(OTHER))
    await rejects(c1.newStream(OTHER), err => {
      assert.is(err.scope, 'node')
      assert.is(err.limit, 'streams')
      assert.is(err.value, 5)
    }, 'sixth stream')
    assert.equal(node.resources().node.streams, { inbound: 0, outbound: 5 })
    assert.equal(node.resources().protocols[HOLD].streams, { inbound: 0, outbound: 2 })
    // Closing one frees its slot at once for the same protocol.
    await open[0].close()
    await waitFor(() => node.resources().protocols[HOLD].streams.outbound === 1, 'release')
    open.push(await c1.newStream(HOLD))
    for (const s of open) await s.close()
    await waitFor(() => node.resources().node.streams.outbound === 0, 'all released')
    assert.equal(Object.keys(node.resources().protocols), [])
  } finally {
    await node.stop(); await p1.stop(); await p2.stop()
  }
  assertEmpty(node, 'node')
})

test('per-connection protocol limits (handle options) are the connection scope\'s: StreamLimitError is a ResourceLimitError', async () => {
  const a = await mem()
  const b = await mem()
  b.handle(HOLD, hold, { maxInboundStreams: 1 })
  a.handle(HOLD, hold, { maxOutboundStreams: 2 })
  try {
    const c = await a.dial(b.getMultiaddrs()[0])
    const s1 = await c.newStream(HOLD)
    const s2 = await c.newStream(HOLD)
    await rejects(c.newStream(HOLD), err => {
      assert.instance(err, StreamLimitError)
      assert.instance(err, ResourceLimitError)
      assert.is(err.scope, 'connection')
      assert.is(err.limit, 'streams')
      assert.is(err.value, 2)
    }, 'third outbound')
    await s1.write(new Uint8Array([1])); await s2.write(new Uint8Array([1]))
    const outcomes = await Promise.all([s1, s2].map(s => Promise.race([firstRead(s), new Promise(resolve => setTimeout(() => resolve('open'), 500))])))
    assert.is(outcomes.filter(o => o instanceof Error).length, 1, 'b reset the one past its inbound limit of 1')
    await s1.close(); await s2.close()
  } finally {
    await a.stop(); await b.stop()
  }
  assertEmpty(a, 'a')
  assertEmpty(b, 'b')
})

test('the receive budget: unread bytes past maxMemoryPerConnection reset the stream that overflows, never the session', async () => {
  const BUDGET = 1024 * 1024
  const CHUNK = 200 * 1024 // within the initial 256 KiB window: the remote may send it without waiting
  const STREAMS = 10 // 2,000 KiB offered against a 1,024 KiB budget
  const server = await mem({ resources: { maxMemoryPerConnection: BUDGET }, services: { metrics: metrics() } })
  const client = await mem()
  const parked = []
  // A handler that never reads: everything sent stays buffered in the muxer.
  server.handle(SINK, stream => { parked.push(stream) }, { maxInboundStreams: 64 })
  let peak = 0
  const sample = setInterval(() => { peak = Math.max(peak, server.resources().node.memory) }, 1)
  try {
    const c = await client.dial(server.getMultiaddrs()[0])
    const streams = []
    for (let i = 0; i < STREAMS; i++) {
      const s = await c.newStream(SINK)
      await s.write(new Uint8Array(CHUNK).fill(i))
      streams.push(s)
    }
    const refusals = () => valueOf(server.metrics(), 'wasp2p_resource_refusals_total', { scope: 'connection', limit: 'memory' })
    await waitFor(() => refusals() >= STREAMS - Math.floor(BUDGET / CHUNK) && server.resources().node.memory === Math.floor(BUDGET / CHUNK) * CHUNK, 'memory refusals')
    const used = server.resources().node.memory
    peak = Math.max(peak, used)
    assert.ok(used <= BUDGET, `${used} bytes buffered, budget ${BUDGET}`)
    assert.ok(peak <= BUDGET, `peak ${peak}`)
    // Offered: 2,000 KiB. The budget filled up to less than one stream's share short of its limit, the rest was refused.
    // Data sent with the proposal counts too (the negotiation read it ahead of the handler): 5 × 200 KiB fit, exactly.
    assert.is(used, Math.floor(BUDGET / CHUNK) * CHUNK, `${used} bytes buffered`)
    const conn = Object.values(server.resources().connections)[0]
    assert.is(conn.memory, used)
    assert.is(server.getConnections().length, 1, 'the session survived')
    // Reading frees the budget.
    const reader = parked[0]
    let got = 0
    for await (const chunk of reader) { got += chunk.length; if (got >= CHUNK) break }
    assert.is(got, CHUNK, 'the first stream, within the budget, kept all its data')
    await waitFor(() => server.resources().node.memory === used - CHUNK, 'budget freed by reading')
    for (const s of streams) s.abort(new Error('done'))
  } finally {
    clearInterval(sample)
    await client.stop(); await server.stop()
  }
  assertEmpty(server, 'server')
})

for (const [option, scope] of [['maxMemoryPerConnection', 'connection'], ['maxMemoryPerPeer', 'peer'], ['maxMemory', 'node']]) {
  test(`${option}: unread bytes past it are refused with ResourceLimitError (${scope}, memory), and released on close`, async () => {
    const LIMIT = 512 * 1024
    const server = await mem({ resources: { [option]: LIMIT }, services: { metrics: metrics() } })
    const client = await mem()
    const parked = []
    server.handle(SINK, stream => { parked.push(stream) }, { maxInboundStreams: 16 })
    try {
      const c = await client.dial(server.getMultiaddrs()[0])
      const streams = []
      for (let i = 0; i < 4; i++) {
        const s = await c.newStream(SINK)
        await s.write(new Uint8Array(200 * 1024))
        streams.push(s)
      }
      const snap = () => server.metrics()
      // Two of the four fit; the third and the fourth are each refused once their data passes the
      // limit. Until the fourth is refused, what of it has arrived is charged: so wait for both refusals.
      await waitFor(() => valueOf(snap(), 'wasp2p_resource_refusals_total', { scope, limit: 'memory' }) >= 2, `two ${scope} refusals`)
      assert.is(valueOf(snap(), 'wasp2p_resource_refusals_total', { limit: 'memory' }), valueOf(snap(), 'wasp2p_resource_refusals_total', { scope, limit: 'memory' }), 'no other scope refused')
      assert.ok(server.resources().node.memory <= LIMIT)
      await waitFor(() => server.resources().node.memory === 2 * 200 * 1024, 'two streams fit, the refused ones released')
      // The handler lets go of its streams without reading: their buffers and charges go.
      for (const s of parked) s.abort(new Error('not reading this'))
      await waitFor(() => server.resources().node.memory === 0, 'released as the handler aborts')
      for (const s of streams) s.abort(new Error('done'))
    } finally {
      await client.stop(); await server.stop()
    }
    assertEmpty(server, 'server')
  })
}

test.run()
