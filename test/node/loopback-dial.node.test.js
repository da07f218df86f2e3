// The per-host inbound limits on loopback, across two processes: a server on
// createNode() defaults in a child process, the dialer here. Loopback is
// exempt by default, so a reconnect loop (200 sequential dial/close cycles)
// always gets in; with the exemption switched off (loopback treated as a
// public host) the rate limit refuses, and the dialer is told so by name
// (PeerRefusedError, reason 'rate-limit') before any Noise byte, instead of a
// connection reset.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fileURLToPath } from 'node:url'
import { createNode, PeerRefusedError } from '../../dist/index.js'
import { startJsonLineChild } from '../helpers/json-line-child.js'
import { withTimeout } from '../helpers/bytes.js'

const CYCLES = 200
const SERVER = fileURLToPath(new URL('./fixtures/default-server-child.js', import.meta.url))
const TIMEOUTS = { startTimeoutMs: 20_000, commandTimeoutMs: 10_000 }

test(`${CYCLES} sequential dial/close cycles from loopback to a default node in another process all succeed`, async () => {
  const server = await startJsonLineChild(SERVER, [], TIMEOUTS)
  const client = await createNode()
  try {
    const failures = []
    const seen = new Set()
    await withTimeout((async () => {
      for (let i = 0; i < CYCLES; i++) {
        try {
          const connection = await client.dial(server.info.addr)
          assert.is(connection.status, 'open')
          seen.add(connection)
          await connection.close()
        } catch (err) {
          failures.push(`${i}: ${err.name}: ${err.message}`)
          if (failures.length >= 5) break
        }
      }
    })(), 120_000, `${CYCLES} cycles`)
    assert.equal(failures, [], 'every cycle succeeded')
    assert.is(seen.size, CYCLES, 'each cycle was a new connection')
    const stats = await server.command({ cmd: 'stats' })
    assert.is(stats.inbound, CYCLES, 'the server opened one inbound connection per cycle')
    assert.equal(stats.refusals, [], 'nothing was refused')
  } finally {
    await client.stop()
    await server.stop()
  }
})

test('with loopback treated as public, a rate-limited dial fails with PeerRefusedError (rate-limit), not a reset', async () => {
  const BURST = 3
  const server = await startJsonLineChild(SERVER, [JSON.stringify({
    exemptLoopback: false, inboundConnectionBurstPerHost: BURST, inboundConnectionsPerHostPerSecond: 0.001
  })], TIMEOUTS)
  const client = await createNode()
  try {
    for (let i = 0; i < BURST; i++) {
      const connection = await withTimeout(client.dial(server.info.addr), 10_000, `dial ${i}`)
      await connection.close()
    }
    let failure
    try {
      await withTimeout(client.dial(server.info.addr), 10_000, 'the refused dial')
    } catch (err) {
      failure = err
    }
    assert.ok(failure !== undefined, 'the dial past the burst must fail')
    assert.instance(failure, PeerRefusedError, `${failure.name}: ${failure.message}`)
    assert.is(failure.name, 'PeerRefusedError')
    assert.is(failure.reason, 'rate-limit')
    assert.not.match(failure.message, /ECONNRESET|reset/)
    const stats = await server.command({ cmd: 'stats' })
    assert.is(stats.inbound, BURST)
    assert.equal(stats.refusals, [{ reason: 'rate-limit', error: 'InboundRateLimitError' }])
    // The refusal was graceful: the node still serves (a host it has not seen gets in).
    assert.is(stats.open, 0)
  } finally {
    await client.stop()
    await server.stop()
  }
})

test.run()
