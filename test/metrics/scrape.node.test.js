// `/metrics` over HTTP: a node with metrics on TCP loopback, echo traffic of known
// size from a second node, `/metrics` fetched over HTTP from the CLI's metrics
// server and parsed (strictly, test/helpers/prometheus.js): connections by direction
// and transport, the echo bytes exactly, and the same numbers as snapshot(). Then
// `wasp2p start --metrics-port 0` end to end: a ping from a client, then a scrape.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createNode, metrics, valueOf, echoHandler, ECHO_PROTOCOL, PROMETHEUS_CONTENT_TYPE } from '../../dist/index.js'
import { tcp } from '../../dist/transport/index.js'
import { startMetricsServer } from '../../dist/cli/metrics-server.js'
import { parsePrometheus } from '../helpers/prometheus.js'
import { startCli } from '../helpers/cli.js'
import { patternBytes, readAll, withTimeout } from '../helpers/bytes.js'

const T = 15_000

async function scrape (url) {
  const res = await withTimeout(fetch(url), T, 'scrape')
  assert.is(res.status, 200)
  assert.is(res.headers.get('content-type'), PROMETHEUS_CONTENT_TYPE)
  return parsePrometheus(await res.text())
}

test('a TCP node\'s /metrics, scraped over HTTP and parsed, counts the echo traffic exactly', async () => {
  const server = await createNode({ transports: [tcp()], listen: ['/ip4/127.0.0.1/tcp/0'], services: { metrics: metrics() } })
  const client = await createNode({ transports: [tcp()] })
  server.handle(ECHO_PROTOCOL, echoHandler)
  const http = await startMetricsServer({ host: '127.0.0.1', port: 0, scrape: () => server.services.metrics.scrape() })
  const SIZES = [3, 65_536, 1_000_000]
  try {
    let total = 0
    for (const [i, n] of SIZES.entries()) {
      const stream = await client.dialProtocol(server.getMultiaddrs()[0], ECHO_PROTOCOL)
      const reading = readAll(stream)
      await stream.write(patternBytes(n, i + 7))
      await stream.closeWrite()
      assert.is((await withTimeout(reading, T, 'echo')).length, n)
      total += n
    }
    const deadline = Date.now() + T
    let parsed = await scrape(http.url)
    while (valueOf(parsed, 'wasp2p_streams', { protocol: ECHO_PROTOCOL }) !== 0 && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 20))
      parsed = await scrape(http.url)
    }
    // The server read what the client wrote and wrote it back: payload bytes, exactly.
    assert.is(valueOf(parsed, 'wasp2p_stream_received_bytes_total', { protocol: ECHO_PROTOCOL }), total)
    assert.is(valueOf(parsed, 'wasp2p_stream_sent_bytes_total', { protocol: ECHO_PROTOCOL }), total)
    assert.is(valueOf(parsed, 'wasp2p_connections', { direction: 'inbound', transport: 'tcp' }), 1)
    assert.is(valueOf(parsed, 'wasp2p_connections_opened_total', { direction: 'inbound', transport: 'tcp' }), 1)
    assert.is(valueOf(parsed, 'wasp2p_streams', { protocol: ECHO_PROTOCOL }), 0)
    assert.equal(parsed.wasp2p_connections.type, 'gauge')
    assert.equal(parsed.wasp2p_stream_sent_bytes_total.type, 'counter')
    // The scrape is the snapshot, rendered (nothing moved in between).
    assert.equal(await scrape(http.url), server.metrics())
    const notFound = await fetch(http.url.replace('/metrics', '/other'))
    assert.is(notFound.status, 404)
    await notFound.text()
  } finally {
    await http.close()
    await client.stop()
    await server.stop()
  }
})

test('wasp2p start --metrics-port 0 serves /metrics that counts a client\'s connection', async () => {
  const cli = await startCli(['--no-demo', '--metrics-port', '0'])
  const client = await createNode({ transports: [tcp()] })
  try {
    const url = /^metrics: (\S+)$/m.exec(cli.output())?.[1]
    assert.ok(url?.startsWith('http://127.0.0.1:'), cli.output())
    const stream = await client.dialProtocol(cli.tcpAddr, ECHO_PROTOCOL)
    const reading = readAll(stream)
    await stream.write(patternBytes(12_345))
    await stream.closeWrite()
    assert.is((await withTimeout(reading, T, 'echo')).length, 12_345)
    const parsed = await scrape(url)
    assert.is(valueOf(parsed, 'wasp2p_connections', { direction: 'inbound', transport: 'tcp' }), 1)
    assert.is(valueOf(parsed, 'wasp2p_stream_received_bytes_total', { protocol: ECHO_PROTOCOL }), 12_345)
  } finally {
    await client.stop()
    await cli.stop('SIGINT')
  }
})

test.run()
