// The metrics service (src/metrics) on real nodes over the memory transport (Node
// and Chromium): connections by direction and transport, streams by protocol, the
// exact payload bytes of echo traffic, dial outcomes by error name, DHT queries
// by operation and outcome, and resource-manager refusals; the Prometheus text
// parses back to exactly what snapshot() gives.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { createNode, metrics, valueOf, echoHandler, ECHO_PROTOCOL, kadDht, identifyService } from '../../dist/index.js'
import { Registry, escapeLabelValue } from '../../dist/metrics/index.js'
import { memory } from '../../dist/transport/index.js'
import { waitFor as waitForBounded } from '../helpers/wait.js'
import { parsePrometheus } from '../helpers/prometheus.js'
import { patternBytes, readAll, withTimeout } from '../helpers/bytes.js'

const T = 10_000
const mem = options => createNode({ transports: [memory()], listen: ['/memory/0'], ...options })

/** Bounded polling with this file's longer default (a loaded machine). */
const waitFor = (predicate, what, ms = 5000) => waitForBounded(predicate, what, ms)

async function echo (node, target, bytes) {
  const stream = await node.dialProtocol(target, ECHO_PROTOCOL)
  const reading = readAll(stream)
  for (let o = 0; o < bytes.length; o += 10_000) await stream.write(bytes.subarray(o, o + 10_000))
  await stream.closeWrite()
  return await withTimeout(reading, T, 'echo')
}

test('Prometheus text: HELP and TYPE per family, escaped label values and help, and it parses back to the snapshot', () => {
  const r = new Registry()
  const c = r.counter('t_total', 'a help with \\ and\na newline', ['path'])
  c.with('a "quoted" \\ back\nslash').inc(3)
  c.with('plain').inc()
  r.gauge('t_gauge', 'no labels').with().set(-2.5)
  const text = r.text()
  assert.ok(text.includes('# HELP t_total a help with \\\\ and\\na newline\n# TYPE t_total counter\n'))
  assert.ok(text.includes('t_total{path="a \\"quoted\\" \\\\ back\\nslash"} 3\n'))
  assert.ok(text.includes('# TYPE t_gauge gauge\nt_gauge -2.5\n'))
  assert.equal(parsePrometheus(text), r.snapshot())
  assert.is(escapeLabelValue('x'), 'x')
  assert.throws(() => r.counter('bad-name', 'x'), err => err instanceof RangeError)
  assert.throws(() => r.counter('ok_total', 'x', ['__reserved']), err => err instanceof RangeError)
  assert.throws(() => r.counter('t_total', 'again'), err => err instanceof RangeError)
})

test('property: any label value and help text survive the text format (escaping round trip)', () => {
  fc.assert(fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 8 }), fc.string({ unit: 'binary' }), fc.double(), (values, help, value) => {
    const r = new Registry()
    const f = r.gauge('p_gauge', help, ['v'])
    for (const v of new Set(values)) f.with(v).set(value)
    const parsed = parsePrometheus(r.text())
    const expected = r.snapshot()
    // -0 renders as 0; NaN compares unequal to itself.
    for (const s of expected.p_gauge.series) if (Object.is(s.value, -0)) s.value = 0
    if (Number.isNaN(value)) {
      assert.ok(parsed.p_gauge.series.every(s => Number.isNaN(s.value)))
      for (const s of [...parsed.p_gauge.series, ...expected.p_gauge.series]) s.value = 0
    }
    assert.equal(parsed, expected)
  }), { numRuns: 300 })
})

test('connections, streams and the exact bytes of echo traffic; dial outcomes; snapshot() equals the parsed scrape()', async () => {
  const a = await mem({ services: { metrics: metrics() } })
  const b = await mem()
  b.handle(ECHO_PROTOCOL, echoHandler)
  const SIZES = [1, 70_000, 250_001]
  try {
    assert.is(b.metrics(), undefined, 'a node without the service has no metrics')
    let sent = 0
    for (const [i, n] of SIZES.entries()) {
      const data = patternBytes(n, i + 1)
      const back = await echo(a, b.getMultiaddrs()[0], data)
      assert.is(back.length, n)
      sent += n
    }
    await waitFor(() => valueOf(a.metrics(), 'wasp2p_streams', { protocol: ECHO_PROTOCOL }) === 0, 'echo streams closed')
    const snap = a.metrics()
    // Payload bytes only (multistream-select is not counted): exactly what the application wrote and read.
    assert.is(valueOf(snap, 'wasp2p_stream_sent_bytes_total', { protocol: ECHO_PROTOCOL }), sent)
    assert.is(valueOf(snap, 'wasp2p_stream_received_bytes_total', { protocol: ECHO_PROTOCOL }), sent)
    assert.is(valueOf(snap, 'wasp2p_connections', { direction: 'outbound', transport: 'memory' }), 1)
    assert.is(valueOf(snap, 'wasp2p_connections_opened_total', { direction: 'outbound', transport: 'memory' }), 1)
    assert.is(valueOf(snap, 'wasp2p_dials_total', { outcome: 'success' }), 1, 'one dial; the other echoes reused its connection')
    assert.is(valueOf(snap, 'wasp2p_peers'), 1)
    assert.is(valueOf(snap, 'wasp2p_resource_buffered_bytes'), 0)
    assert.equal(parsePrometheus(a.services.metrics.scrape()), a.metrics())

    // A stream held open shows in the gauge by protocol and direction.
    const held = await a.dialProtocol(b.getMultiaddrs()[0], ECHO_PROTOCOL)
    await held.write(new Uint8Array([7]))
    assert.is(valueOf(a.metrics(), 'wasp2p_streams', { protocol: ECHO_PROTOCOL, direction: 'outbound' }), 1)
    await held.close()

    // A failed dial, by its error's name.
    let failure
    try { await a.dial('/memory/no-such-listener') } catch (err) { failure = err }
    assert.ok(failure !== undefined)
    assert.is(valueOf(a.metrics(), 'wasp2p_dials_total', { outcome: 'failure', error: failure.name }), 1)

    await a.hangUp(b.peerId)
    await waitFor(() => valueOf(a.metrics(), 'wasp2p_connections') === 0, 'connection gauge back to 0')
    assert.is(valueOf(a.metrics(), 'wasp2p_connections_closed_total', { direction: 'outbound', transport: 'memory' }), 1)
  } finally {
    await a.stop(); await b.stop()
  }
})

test('inbound side: connections and streams by direction, refusals by scope and limit', async () => {
  // No identify or ping: the echo streams are the only ones.
  const server = await mem({ services: { metrics: metrics(), identify: false, ping: false }, resources: { maxStreamsPerPeer: 1 } })
  const client = await mem({ services: false })
  server.handle(ECHO_PROTOCOL, echoHandler)
  try {
    const c = await client.dial(server.getMultiaddrs()[0])
    const s1 = await c.newStream(ECHO_PROTOCOL)
    await s1.write(new Uint8Array([1]))
    await waitFor(() => valueOf(server.metrics(), 'wasp2p_streams', { protocol: ECHO_PROTOCOL, direction: 'inbound' }) === 1, 'inbound stream')
    const s2 = await c.newStream(ECHO_PROTOCOL)
    await s2.write(new Uint8Array([2]))
    await waitFor(() => valueOf(server.metrics(), 'wasp2p_resource_refusals_total', { scope: 'peer', limit: 'streams' }) === 1, 'refusal counted')
    assert.is(valueOf(server.metrics(), 'wasp2p_connections', { direction: 'inbound', transport: 'memory' }), 1)
    await s1.close()
    await s2.close().catch(() => {})
  } finally {
    await client.stop(); await server.stop()
  }
  assert.is(valueOf(server.metrics(), 'wasp2p_streams'), 0)
  assert.is(valueOf(server.metrics(), 'wasp2p_connections'), 0, 'gauges end at zero after stop')
})

test('DHT queries by operation and outcome', async () => {
  const dhtNode = () => mem({ services: { identify: identifyService(), dht: kadDht({ mode: 'server', refreshIntervalMs: 0, validators: { test: () => {} }, selectors: { test: () => 0 } }), metrics: metrics() } })
  const a = await dhtNode()
  const b = await dhtNode()
  try {
    await a.dht.bootstrap([b.getMultiaddrs()[0].toString()])
    const key = new TextEncoder().encode('/test/metrics-key')
    await a.dht.put(key, new TextEncoder().encode('v'))
    try { await a.dht.get(new TextEncoder().encode('/test/missing')) } catch {}
    for await (const _ of a.dht.getClosestPeers(key)) { /* drain */ }
    await a.dht.findPeer(b.peerId)
    const snap = a.metrics()
    assert.is(valueOf(snap, 'wasp2p_dht_queries_total', { operation: 'get-closest-peers', outcome: 'success' }), 1)
    assert.is(valueOf(snap, 'wasp2p_dht_queries_total', { operation: 'find-peer', outcome: 'success' }), 1)
    assert.is(valueOf(snap, 'wasp2p_dht_queries_total', { operation: 'put', outcome: 'success' }), 1)
    assert.is(valueOf(snap, 'wasp2p_dht_queries_total', { operation: 'get', outcome: 'not-found' }), 1)
    assert.ok(valueOf(snap, 'wasp2p_streams') >= 0)
    assert.ok(valueOf(snap, 'wasp2p_stream_sent_bytes_total', { protocol: '/ipfs/kad/1.0.0' }) > 0, 'DHT bytes are counted too')
  } finally {
    await a.stop(); await b.stop()
  }
})

test.run()
