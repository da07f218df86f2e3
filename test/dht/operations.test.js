// DHT operations on the simulated network: put/get values with quorum and entry
// correction, provide/find providers, find peer.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { NotFoundError, findPeer, findProviders, getClosestPeers, getValue, provide, putValue } from '../../dist/dht/operations.js'
import { InvalidRecordError, recordRules } from '../../dist/dht/validators.js'
import { MessageType, dhtMessage } from '../../dist/dht/message.js'
import { NoResponseError, lookup } from '../../dist/dht/query.js'
import { kadKey } from '../../dist/dht/contact.js'
import { createNetwork } from './helpers/sim.js'

const utf8 = s => new TextEncoder().encode(s)
const text = b => new TextDecoder().decode(b)
const ids = peers => peers.map(p => p.id.join()).sort()

// A toy namespace: values are decimal numbers, the highest wins.
const rules = recordRules({
  validators: { n: (key, value) => { if (!/^\d+$/.test(text(value))) throw new InvalidRecordError('not a number') } },
  selectors: { n: (key, values) => { const nums = values.map(v => Number(text(v))); return nums.indexOf(Math.max(...nums)) } }
})

const net = await createNetwork({ size: 100, seed: 21, rules })
await net.bootstrap()

test('putValue stores at the k closest; getValue finds it from elsewhere', async () => {
  const writer = net.nodes[0], reader = net.nodes[50]
  const publicKey = new Uint8Array([0x08, 0x01, 0x12, 0x20, ...net.nodes[0].id.subarray(6)])
  const key = new Uint8Array([...utf8('/pk/'), 0x00, 0x24, ...publicKey])
  const stored = await putValue(net.contextOf(writer), key, publicKey)
  const closest = net.bruteForceClosest(key, 20, writer)
  assert.equal(ids(stored), ids(closest))
  for (const n of closest) assert.equal(n.records.get(key).value, publicKey)
  const got = await getValue(net.contextOf(reader), key, { quorum: 3 })
  assert.equal(got.value, publicKey)
  assert.ok(got.from.length >= 2)
  // A forged value cannot be put.
  try { await putValue(net.contextOf(writer), key, new Uint8Array([1])); assert.unreachable() } catch (err) { assert.instance(err, InvalidRecordError) }
})

test('getValue picks the best value by the selector and corrects outdated and empty holders', async () => {
  const key = utf8('/n/counter')
  const closest = net.bruteForceClosest(key, 20)
  for (const [i, n] of closest.entries()) {
    if (i < 10) await n.records.put({ key, value: utf8('5'), timeReceived: '' })
    else if (i < 13) await n.records.put({ key, value: utf8('9'), timeReceived: '' })
  }
  const reader = net.nodes.find(n => !closest.includes(n))
  const got = await getValue(net.contextOf(reader), key, { quorum: 100 })
  assert.is(text(got.value), '9')
  assert.is(got.from.length, 3)
  assert.ok(got.corrected.length >= 17, `${got.corrected.length} corrected`)
  for (const n of closest) assert.is(text(n.records.get(key).value), '9')
  assert.is(text(reader.records.get(key).value), '9')
})

test('getValue of a missing key is a NotFoundError', async () => {
  try {
    await getValue(net.contextOf(net.nodes[3]), utf8('/n/missing'), { quorum: 2 })
    assert.unreachable()
  } catch (err) {
    assert.instance(err, NotFoundError)
    assert.is(err.name, 'NotFoundError')
  }
})

test('provide announces to the k closest; findProviders finds the providers', async () => {
  const key = new Uint8Array([0x12, 0x20, ...net.nodes[7].key])
  const a = net.nodes[10], b = net.nodes[11]
  const announcedA = await provide(net.contextOf(a), key, a.addrs)
  await provide(net.contextOf(b), key, b.addrs)
  assert.equal(ids(announcedA), ids(net.bruteForceClosest(key, 20, a)))
  const seeker = net.nodes[60]
  const found = await findProviders(net.contextOf(seeker), key, { maxProviders: 2 })
  assert.equal(ids(found), ids([a, b]))
  assert.equal(found.find(p => p.id.join() === a.id.join()).addrs, a.addrs)
})

test('findPeer finds a peer missing from the seeker\'s table', async () => {
  const seeker = net.nodes[30]
  const target = net.nodes.find(n => n !== seeker && !seeker.table.has(n.key))
  assert.ok(target !== undefined, 'some node is outside the seeker\'s buckets')
  const found = await findPeer(net.contextOf(seeker), target.id)
  assert.equal(found.id, target.id)
  assert.equal(found.addrs, target.addrs)
  const closest = await getClosestPeers(net.contextOf(seeker), target.id)
  assert.equal(closest[0].id, target.id)
  try { await findPeer(net.contextOf(seeker), new Uint8Array([0, 4, 1, 2, 3, 4])); assert.unreachable() } catch (err) { assert.instance(err, NotFoundError) }
})

test('a request answered with no response fails that request (NoResponseError), not the lookup', async () => {
  const from = net.nodes[1]
  const errors = []
  const cid = new Uint8Array([0x12, 0x20, ...from.key])
  const result = await lookup({
    key: cid,
    request: dhtMessage({ type: MessageType.ADD_PROVIDER, key: cid, providerPeers: [{ id: from.id, addrs: from.addrs, connection: 0 }] }),
    seeds: from.table.closestPeers(kadKey(cid), 20),
    selfKey: from.key,
    sendRequest: net.sender(from),
    onProgress: e => { if (e.type === 'error') errors.push(e.error) }
  })
  assert.is(result.answered, 0)
  assert.is(result.failed, 20)
  assert.ok(errors.every(e => e instanceof NoResponseError && e.name === 'NoResponseError'))
})

test.after(() => net.close())
test.run()
