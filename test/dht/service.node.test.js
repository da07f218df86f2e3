// node.dht on real nodes: modes, the configurable protocol id, republish, stop.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createNode } from '../../dist/index.js'
import { PROTOCOL_ID } from '../../dist/dht/index.js'
import { loopbackNode, testRules, withDht } from './helpers/swarm.js'

const enc = new TextEncoder()
const quiet = { refreshIntervalMs: 0, recordRepublishIntervalMs: 0, providerRepublishIntervalMs: 0 }
const started = []
const node = async options => { const n = await createNode(withDht(options)); started.push(n); return n }
test.after(async () => { await Promise.all(started.map(async n => { await n.stop() })) })

test('auto mode: server with a listen address, client without one; explicit modes win', async () => {
  const listening = await node({ ...loopbackNode, dht: { ...quiet } })
  assert.is(listening.dht.mode, 'server')
  assert.ok(listening.getProtocols().includes(PROTOCOL_ID))
  const dialOnly = await node({ listen: [], dht: { ...quiet, mode: 'auto' } })
  assert.is(dialOnly.dht.mode, 'client')
  assert.not.ok(dialOnly.getProtocols().includes(PROTOCOL_ID))
  const forcedClient = await node({ ...loopbackNode, dht: { ...quiet, mode: 'client' } })
  assert.is(forcedClient.dht.mode, 'client')
  assert.not.ok(forcedClient.getProtocols().includes(PROTOCOL_ID))
})

test('a client queries servers but never enters their routing tables', async () => {
  const a = await node({ ...loopbackNode, dht: { ...quiet, mode: 'server' } })
  const b = await node({ ...loopbackNode, dht: { ...quiet, mode: 'server', bootstrap: [a.getMultiaddrs()[0].toString()] } })
  const client = await node({ listen: [], dht: { ...quiet, mode: 'client', bootstrap: [a.getMultiaddrs()[0].toString()] } })
  const info = await client.dht.findPeer(b.peerId)
  assert.ok(info.id.equals(b.peerId))
  // Servers probe whoever queries them; the client cannot be probed, so it stays out.
  await new Promise(resolve => setTimeout(resolve, 200))
  assert.not.ok(a.dht.kad.routingTable.has(client.dht.kad.routingTable.self))
  assert.not.ok(b.dht.kad.routingTable.has(client.dht.kad.routingTable.self))
  // b joined through a and a probed it: each has the other.
  assert.ok(a.dht.kad.routingTable.has(b.dht.kad.routingTable.self))
  assert.ok(b.dht.kad.routingTable.has(a.dht.kad.routingTable.self))
})

test('a private protocol id: nodes on it talk, a default node cannot join them', async () => {
  const protocol = '/private/kad/1.0.0'
  const a = await node({ ...loopbackNode, dht: { ...quiet, protocol } })
  const b = await node({ ...loopbackNode, dht: { ...quiet, protocol, bootstrap: [a.getMultiaddrs()[0].toString()] } })
  assert.ok(a.getProtocols().includes(protocol) && !a.getProtocols().includes(PROTOCOL_ID))
  assert.ok(b.dht.kad.routingTable.size === 1)
  const outsider = await node({ ...loopbackNode, dht: { ...quiet, bootstrap: [a.getMultiaddrs()[0].toString()] } })
  assert.is(outsider.dht.kad.routingTable.size, 0, 'the bootstrap peer failed the default protocol and was dropped')
})

test('republish: records put through this node are stored again at the closest peers', async () => {
  const a = await node({ ...loopbackNode, dht: { ...quiet, ...testRules } })
  const b = await node({ ...loopbackNode, dht: { ...quiet, ...testRules, bootstrap: [a.getMultiaddrs()[0].toString()] } })
  const key = enc.encode('/test/republished')
  await b.dht.put(key, enc.encode('v'))
  assert.ok(a.dht.kad.records.get(key) !== undefined)
  a.dht.kad.records.delete(key) // as if it expired there
  await b.dht.republishRecords()
  assert.equal(a.dht.kad.records.get(key).value, enc.encode('v'))
  const cid = new Uint8Array([0x12, 0x20, ...new Uint8Array(32).fill(7)])
  await b.dht.provide(cid)
  assert.is(a.dht.kad.providers.get(cid).length, 1)
})

test('identify teaches the routing table: a plain dial to a DHT server adds it, a dial to a non-server does not', async () => {
  const server = await node({ ...loopbackNode, dht: { ...quiet } })
  const plain = await node({ ...loopbackNode })
  const a = await node({ ...loopbackNode, dht: { ...quiet } })
  const identified = new Promise(resolve => { a.addEventListener('peer:identify', e => { if (e.detail.peerId.equals(server.peerId)) resolve() }) })
  await a.dial(server.getMultiaddrs()[0])
  await a.dial(plain.getMultiaddrs()[0])
  await Promise.race([identified, new Promise((_resolve, reject) => setTimeout(() => reject(new Error('no peer:identify')), 10_000))])
  await new Promise(resolve => setTimeout(resolve, 100))
  assert.ok(a.dht.kad.routingTable.has(server.dht.kad.routingTable.self))
  assert.is(a.dht.kad.routingTable.size, 1)
})

test('stop: node.stop() stops the DHT (handler gone, queries fail)', async () => {
  const a = await node({ ...loopbackNode, dht: { ...quiet } })
  await a.stop()
  assert.not.ok(a.getProtocols().includes(PROTOCOL_ID))
})

test.run()
