// Circuit relay v2 on loopback, three wasp2p nodes: A reserves on relay R,
// B dials A through R, Noise + yamux run end to end over the circuit.
// Covers the echo of 1 MiB, the `limited` marking, the data and duration
// limits (the relay resets the circuit), reservation refresh before expiry,
// and the refusals NO_RESERVATION and PERMISSION_DENIED (circuit over circuit).
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { echoHandler, ECHO_PROTOCOL } from '../../dist/index.js'
import { circuitRelayServer, circuitRelayTransport, RelayStatus, RELAY_HOP_PROTOCOL } from '../../dist/relay/index.js'
import { startRelayNode } from './helpers/relay-node.js'
import { patternBytes, equalBytes, readAll, writeChunked, withTimeout } from '../helpers/bytes.js'

const MiB = 1024 * 1024
const T = 30_000

async function echo (connection, bytes, seed = 1) {
  const stream = await connection.newStream(ECHO_PROTOCOL)
  const data = patternBytes(bytes, seed)
  const back = readAll(stream)
  back.catch(() => {}) // a failed write below is the error that counts
  await writeChunked(stream, data, 16 * 1024)
  await stream.closeWrite()
  const received = await back
  return equalBytes(received, data)
}

/** R (relay server), A (listens through R), B (dials through R). */
async function trio (serverOptions = {}) {
  const relay = await startRelayNode({ services: { relay: circuitRelayServer(serverOptions) } })
  const relayAddr = relay.getMultiaddrs()[0].toString()
  const a = await startRelayNode({ listen: ['/ip4/127.0.0.1/tcp/0', `${relayAddr}/p2p-circuit`], services: { circuit: circuitRelayTransport() } })
  a.handle(ECHO_PROTOCOL, echoHandler)
  const b = await startRelayNode({ services: { circuit: circuitRelayTransport() } })
  const circuitAddr = a.getMultiaddrs().map(String).find(s => s.includes('/p2p-circuit'))
  return { relay, a, b, relayAddr, circuitAddr, stop: async () => { await Promise.all([a.stop(), b.stop()]); await relay.stop() } }
}

function nextEvent (node, name, ms = T) {
  return withTimeout(new Promise(resolve => node.addEventListener(name, e => resolve(e.detail), { once: true })), ms, name)
}

const test = suite('circuit relay v2, loopback (wasp2p relay, wasp2p peers)')

test('A listens through R: its circuit address is <R>/p2p-circuit/p2p/<A>', async () => {
  const t = await trio()
  try {
    assert.is(t.circuitAddr, `${t.relayAddr}/p2p-circuit/p2p/${t.a.peerId.toString()}`)
    const [reservation] = t.a.services.circuit.reservations
    assert.ok(reservation, 'A holds a reservation')
    assert.ok(reservation.voucher, 'with a voucher')
    assert.ok(reservation.voucher.relay.equals(t.relay.peerId))
    assert.ok(reservation.voucher.peer.equals(t.a.peerId))
    assert.ok(Number(reservation.expire) * 1000 > Date.now())
    assert.is(t.relay.services.relay.reservations.size, 1)
    // Tagged on the relay so that connection pruning spares it.
    assert.ok((await t.relay.peerStore.get(t.a.peerId)).tags.has('relay-reservation'))
  } finally { await t.stop() }
})

test('B dials A through R: Noise + yamux end to end, 1 MiB echo, connection marked limited', async () => {
  const t = await trio({ limit: { durationSeconds: 60, dataBytes: 8n * BigInt(MiB) } })
  try {
    const connection = await withTimeout(t.b.dial(t.circuitAddr), T, 'relayed dial')
    assert.ok(connection.remotePeer.equals(t.a.peerId), 'the remote is A, authenticated by Noise end to end')
    assert.is(connection.encryption, '/noise')
    assert.ok(connection.remoteAddr.toString().includes('/p2p-circuit'))
    assert.ok(connection.limited, 'relayed connection is limited')
    assert.is(connection.limits.durationSeconds, 60)
    assert.is(connection.limits.dataBytes, 8n * BigInt(MiB))
    assert.ok(await withTimeout(echo(connection, MiB), T, 'echo'), '1 MiB echoed byte-exact')
    // A's side of the circuit is an inbound, limited connection from B.
    const inbound = t.a.getConnections(t.b.peerId)
    assert.ok(inbound.some(c => c.direction === 'inbound' && c.limited && c.remoteAddr.toString().endsWith(`/p2p-circuit/p2p/${t.b.peerId}`)))
    // The direct connections to the relay are not limited.
    assert.not.ok(t.b.getConnections(t.relay.peerId)[0].limited)
  } finally { await t.stop() }
})

test('a relay without limits gives an unlimited relayed connection', async () => {
  const t = await trio({ limit: false })
  try {
    const connection = await withTimeout(t.b.dial(t.circuitAddr), T, 'relayed dial')
    assert.not.ok(connection.limited)
    assert.ok(await withTimeout(echo(connection, MiB), T, 'echo'))
  } finally { await t.stop() }
})

test('data limit: the relay resets the circuit once one direction passes it', async () => {
  const limit = 64n * 1024n
  const t = await trio({ limit: { durationSeconds: 60, dataBytes: limit } })
  try {
    const closed = nextEvent(t.relay, 'relay:circuit-closed')
    const connection = await withTimeout(t.b.dial(t.circuitAddr), T, 'relayed dial')
    const echoed = await withTimeout(echo(connection, MiB).catch(err => err), T, 'echo over the limit')
    assert.ok(echoed !== true, 'the 1 MiB echo did not complete')
    const result = await closed
    assert.is(result.error?.name, 'RelayDataLimitError')
    assert.ok(result.forwarded[0] <= limit && result.forwarded[1] <= limit, `forwarded ${result.forwarded} within ${limit} each way`)
    await withTimeout(new Promise(resolve => connection.addCloseListener(resolve)), T, 'relayed connection closes')
    assert.is(connection.status, 'closed')
  } finally { await t.stop() }
})

test('duration limit: the relay resets the circuit after the limit', async () => {
  const t = await trio({ limit: { durationSeconds: 2 } })
  try {
    const closed = nextEvent(t.relay, 'relay:circuit-closed')
    const started = Date.now()
    const connection = await withTimeout(t.b.dial(t.circuitAddr), T, 'relayed dial')
    assert.ok(await echo(connection, 1000), 'usable within the limit')
    const result = await closed
    assert.is(result.error?.name, 'RelayDurationLimitError')
    assert.ok(Date.now() - started >= 1900, 'not before the limit')
    await withTimeout(new Promise(resolve => connection.addCloseListener(resolve)), T, 'relayed connection closes')
  } finally { await t.stop() }
})

test('reservation is refreshed before it expires, and circuits work past the first expiry', async () => {
  const ttl = 4000
  const t = await trio({ reservationTtlMs: ttl })
  try {
    const listener = [...t.a.services.circuit.transport.listeners][0]
    const first = listener.reservation.expire
    await withTimeout(nextEvent(t.a, 'relay:reservation', 3 * ttl), 3 * ttl, 'refresh')
    assert.ok(listener.reservationCount >= 2, 'refreshed')
    assert.ok(listener.reservation.expire >= first, 'expiry moved on')
    // Past the first reservation's expiry, the refreshed one still admits circuits.
    await new Promise(resolve => setTimeout(resolve, Math.max(0, Number(first) * 1000 - Date.now() + 500)))
    const connection = await withTimeout(t.b.dial(t.circuitAddr), T, 'relayed dial after the first expiry')
    assert.ok(await echo(connection, 4096))
  } finally { await t.stop() }
})

test('NO_RESERVATION for a target that holds none', async () => {
  const t = await trio()
  try {
    const c = await startRelayNode({ services: { circuit: circuitRelayTransport() } })
    try {
      const err = await t.b.dial(`${t.relayAddr}/p2p-circuit/p2p/${c.peerId}`).catch(e => e)
      const cause = err.name === 'RelayRefusedError' ? err : err.errors?.find(e => e.name === 'RelayRefusedError') ?? err
      assert.is(cause.name, 'RelayRefusedError', String(err))
      assert.is(cause.status, RelayStatus.NO_RESERVATION)
    } finally { await c.stop() }
  } finally { await t.stop() }
})

test('PERMISSION_DENIED for a reservation over a relayed connection', async () => {
  const t = await trio({ limit: false })
  try {
    // B is connected to A only through R; A runs no relay, so use R2 = a relay reached through R.
    const r2 = await startRelayNode({ listen: ['/ip4/127.0.0.1/tcp/0', `${t.relayAddr}/p2p-circuit`], services: { relay: circuitRelayServer(), circuit: circuitRelayTransport() } })
    try {
      const r2Circuit = r2.getMultiaddrs().map(String).find(s => s.includes('/p2p-circuit'))
      const connection = await withTimeout(t.b.dial(r2Circuit), T, 'relayed dial to R2')
      const { reserve } = await import('../../dist/relay/client/reserve.js')
      const err = await reserve(connection, t.b.peerId).catch(e => e)
      assert.is(err.name, 'RelayRefusedError')
      assert.is(err.status, RelayStatus.PERMISSION_DENIED)
      assert.ok(r2.getProtocols().includes(RELAY_HOP_PROTOCOL))
    } finally { await r2.stop() }
  } finally { await t.stop() }
})

test('relayed inbound connections are not counted against the relay host\'s per-host limits', async () => {
  const relay = await startRelayNode({ services: { relay: circuitRelayServer() } })
  const relayAddr = relay.getMultiaddrs()[0].toString()
  // A limits every host (loopback too) to one new inbound connection and no refill: three
  // peers reaching A through R all arrive from R's IP, and each must still be admitted.
  const a = await startRelayNode({
    listen: [`${relayAddr}/p2p-circuit`],
    services: { circuit: circuitRelayTransport() },
    connectionManager: { exemptLoopback: false, inboundConnectionsPerHostPerSecond: 0, inboundConnectionBurstPerHost: 1 }
  })
  a.handle(ECHO_PROTOCOL, echoHandler)
  const peers = await Promise.all([1, 2, 3].map(async () => await startRelayNode({ services: { circuit: circuitRelayTransport() } })))
  try {
    const circuit = a.getMultiaddrs().map(String).find(s => s.includes('/p2p-circuit'))
    for (const peer of peers) {
      const connection = await withTimeout(peer.dial(circuit), T, 'relayed dial')
      assert.ok(await withTimeout(echo(connection, 4096), T, 'echo'), 'admitted and echoing')
    }
  } finally {
    await Promise.all([a, ...peers].map(async n => { await n.stop() })); await relay.stop()
  }
})

test.run()
