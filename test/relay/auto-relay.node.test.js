// Reservations and the node's addresses, on loopback with wasp2p nodes:
// - every change of a reservation (made, renewed with new relay addresses,
//   voided when the relay connection drops, made again) refreshes the address
//   manager: getMultiaddrs() follows, `self:peer:update` fires, and a
//   connected peer receives a re-sealed signed peer record;
// - automatic relay selection: on `self:reachability` private the circuit
//   transport reserves by itself on a connected peer that speaks the hop
//   protocol, or on a configured relay; on public it releases the
//   reservation and the circuit address is withdrawn; private again takes the
//   same listener up again (bounded). The verdict is the node event AutoNAT
//   dispatches (how AutoNAT reaches it is test/autonat's subject); here it is
//   dispatched on the node so the reaction is tested alone.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { echoHandler, ECHO_PROTOCOL } from '../../dist/index.js'
import { circuitRelayServer, circuitRelayTransport } from '../../dist/relay/index.js'
import { PeerRecord } from '../../dist/record/index.js'
import { startRelayNode } from './helpers/relay-node.js'
import { waitFor } from '../helpers/wait.js'
import { patternBytes, equalBytes, readAll, writeChunked } from '../helpers/bytes.js'

const WAIT_MS = 15_000
const circuitAddrs = node => node.getMultiaddrs().map(String).filter(s => s.includes('/p2p-circuit'))
const verdict = (node, reachability) => node.dispatchEvent(new CustomEvent('self:reachability', { detail: { reachability, addresses: [] } }))

/** Counts `self:peer:update` events and records how many circuit addresses each one saw. */
function countUpdates (node) {
  const counter = { n: 0, circuits: [] }
  node.addEventListener('self:peer:update', () => { counter.n++; counter.circuits.push(circuitAddrs(node).length) })
  return counter
}

async function echoOver (node, addr, bytes = 64 * 1024) {
  const connection = await node.dial(addr)
  const stream = await connection.newStream(ECHO_PROTOCOL)
  const data = patternBytes(bytes, 3)
  const back = readAll(stream)
  await writeChunked(stream, data, 16 * 1024)
  await stream.closeWrite()
  return { match: equalBytes(await back, data), limited: connection.limited }
}

const test = suite('reservations drive the addresses; automatic relay selection')

test('a reservation made, renewed with new relay addresses, voided and made again: addresses, self:peer:update, peer record follow', async () => {
  const relay = await startRelayNode({ services: { relay: circuitRelayServer({ reservationTtlMs: 3000 }) } })
  const relayAddr = relay.getMultiaddrs()[0].toString()
  const a = await startRelayNode({ listen: ['/ip4/127.0.0.1/tcp/0', `${relayAddr}/p2p-circuit`], services: { circuit: circuitRelayTransport({ autoRelay: false }) } })
  const b = await startRelayNode({})
  try {
    assert.is(circuitAddrs(a).length, 1, 'one circuit address after listen')
    const updates = countUpdates(a)
    await b.dial(a.getMultiaddrs().find(x => !String(x).includes('/p2p-circuit')))
    const record = async () => {
      const envelope = (await b.peerStore.get(a.peerId))?.peerRecordEnvelope
      return envelope === undefined ? [] : (await PeerRecord.consumeEnvelope(envelope)).record.multiaddrs.map(String)
    }
    await waitFor(async () => (await record()).some(s => s.includes('/p2p-circuit')), 'b holds a record with the circuit address', WAIT_MS)

    // Renewed with new addresses: the relay listens on one more port; the next refresh lists it.
    await relay.listen('/ip4/127.0.0.1/tcp/0')
    await waitFor(() => circuitAddrs(a).length === 2, 'the refreshed reservation adds the relay\'s new address', WAIT_MS)
    assert.ok(updates.n >= 1, 'self:peer:update on the renewal')
    await waitFor(async () => (await record()).filter(s => s.includes('/p2p-circuit')).length === 2, 'the re-sealed record reaches b', WAIT_MS)

    // Voided: the relay connection drops; the circuit addresses go at once, then come back with the new reservation.
    const before = updates.n
    await a.hangUp(relay.peerId)
    await waitFor(() => circuitAddrs(a).length === 0, 'circuit addresses withdrawn when the reservation is void', WAIT_MS)
    assert.ok(updates.n > before, 'self:peer:update on the loss')
    await waitFor(async () => !(await record()).some(s => s.includes('/p2p-circuit')), 'b gets a record without circuit addresses', WAIT_MS)
    // The new reservation may come before b's record does, so the events are read in order, not counted from here.
    const lostAt = updates.circuits.indexOf(0, before)
    assert.ok(lostAt >= 0, 'an update saw no circuit address')
    await waitFor(() => circuitAddrs(a).length === 2, 'reserved again', WAIT_MS)
    assert.ok(updates.circuits.indexOf(2, lostAt) > lostAt, 'self:peer:update on the new reservation')
  } finally {
    await Promise.all([a.stop(), b.stop()]); await relay.stop()
  }
})

test('private: reserves on a connected hop peer by itself; public: releases it; private again: the same listener', async () => {
  const relay = await startRelayNode({ services: { relay: circuitRelayServer() } })
  const relayAddr = relay.getMultiaddrs()[0].toString()
  const a = await startRelayNode({ services: { circuit: circuitRelayTransport() } })
  a.handle(ECHO_PROTOCOL, echoHandler)
  const b = await startRelayNode({ services: { circuit: circuitRelayTransport({ autoRelay: false }) } })
  try {
    await a.dial(relayAddr)
    await waitFor(async () => (await a.peerStore.get(relay.peerId))?.protocols.includes('/libp2p/circuit/relay/0.2.0/hop'), 'identify saw the hop protocol', WAIT_MS)
    assert.is(circuitAddrs(a).length, 0, 'no reservation while reachability is unknown')
    const updates = countUpdates(a)

    verdict(a, 'private')
    await waitFor(() => circuitAddrs(a).length === 1, 'a reserved on the relay by itself', WAIT_MS)
    assert.ok(updates.n >= 1, 'self:peer:update')
    const circuit = circuitAddrs(a)[0]
    assert.ok(circuit.startsWith(`${relayAddr}/p2p-circuit/p2p/${a.peerId.toString()}`), circuit)
    assert.is(relay.services.relay.reservations.size, 1)
    const echoed = await echoOver(b, circuit)
    assert.ok(echoed.match && echoed.limited, 'b reaches a through the relay a chose')

    const held = updates.n
    verdict(a, 'public')
    assert.is(circuitAddrs(a).length, 0, 'withdrawn at once')
    assert.ok(updates.n > held, 'self:peer:update on release')
    assert.is(a.services.circuit.reservations.length, 0)

    verdict(a, 'private')
    await waitFor(() => circuitAddrs(a).length === 1, 'reserved again', WAIT_MS)
    assert.is(a.services.circuit.transport.listeners.size, 1, 'one listener, taken up again')
  } finally {
    await Promise.all([a.stop(), b.stop()]); await relay.stop()
  }
})

test('private: a configured relay is reserved on without a prior connection; a refusing one is skipped', async () => {
  const full = await startRelayNode({ services: { relay: circuitRelayServer({ maxReservations: 0 }) } })
  const relay = await startRelayNode({ services: { relay: circuitRelayServer() } })
  const relayAddr = relay.getMultiaddrs()[0].toString()
  const a = await startRelayNode({ services: { circuit: circuitRelayTransport({ autoRelay: { count: 1, relays: [full.getMultiaddrs()[0].toString(), relayAddr] } }) } })
  try {
    verdict(a, 'private')
    await waitFor(() => circuitAddrs(a).length === 1, 'a reserved on the configured relay', WAIT_MS)
    assert.ok(circuitAddrs(a)[0].includes(`/p2p/${relay.peerId.toString()}/p2p-circuit`), 'on the relay that accepts, not the full one')
    assert.is(full.services.relay.reservations.size, 0)
    assert.is(a.services.circuit.reservations.length, 1, 'count: 1 holds one')
  } finally {
    await a.stop(); await Promise.all([relay.stop(), full.stop()])
  }
})

test.run()
