// 50 wasp2p nodes with node.dht on loopback TCP in this process (issue 7, "Tests"):
// every node finds every other, put/get and provide/findProviders work from any node,
// and with 20% of the nodes stopped mid-run lookups still succeed.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { CID } from 'multiformats/cid'
import { sha256 as sha256Hasher } from 'multiformats/hashes/sha2'
import { rng } from './helpers/random.js'
import { mapLimit, startSwarm, stopAll } from './helpers/swarm.js'

const SWARM_SIZE = 50
const STOPPED = SWARM_SIZE / 5
/** Bound on any single operation; a lookup in this swarm takes milliseconds. */
const OP_TIMEOUT_MS = 20_000
const ROUNDS = 12

const random = rng(7)
const enc = new TextEncoder()
const op = () => ({ signal: AbortSignal.timeout(OP_TIMEOUT_MS) })
const pick = list => list[random.int(list.length)]
const sameBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i])

let nodes = []
test.before(async () => { nodes = await startSwarm(SWARM_SIZE) })
test.after(async () => { await stopAll(nodes) })

test('every node runs the DHT in server mode and has peers in its routing table', () => {
  assert.is(nodes.length, SWARM_SIZE)
  for (const node of nodes) {
    assert.is(node.dht.mode, 'server')
    assert.ok(node.dht.kad.routingTable.size >= 10, `table of ${node.dht.kad.routingTable.size}`)
  }
})

test('findPeer: every node finds every other, with a dialable address', async () => {
  let found = 0
  await mapLimit(nodes, 10, async a => {
    for (const b of nodes) {
      if (a === b) continue
      const info = await a.dht.findPeer(b.peerId, op())
      assert.ok(info.id.equals(b.peerId))
      const listening = b.getMultiaddrs()[0].toString().replace(/\/p2p\/.*$/, '')
      assert.ok(info.multiaddrs.some(m => m.toString().replace(/\/p2p\/.*$/, '') === listening), `address of ${b.peerId} from ${a.peerId}`)
      found++
    }
  })
  assert.is(found, SWARM_SIZE * (SWARM_SIZE - 1))
})

test('getClosestPeers returns k peers, nearest first, all of them swarm members', async () => {
  const members = new Set(nodes.map(n => n.peerId.toString()))
  const key = enc.encode('closest-peers-key')
  const peers = []
  for await (const id of pick(nodes).dht.getClosestPeers(key, op())) peers.push(id)
  assert.is(peers.length, 20)
  for (const id of peers) assert.ok(members.has(id.toString()))
})

const putKeys = []
test('put on one node, get from another (any pair)', async () => {
  for (let i = 0; i < ROUNDS; i++) {
    const writer = pick(nodes), reader = pick(nodes.filter(n => n !== writer))
    const key = enc.encode(`/test/swarm-${i}`)
    const value = enc.encode(`value ${i} from ${writer.peerId}`)
    await writer.dht.put(key, value, op())
    assert.equal(await reader.dht.get(key, op()), value)
    putKeys.push({ key, value })
  }
})

test('get picks the best value by the namespace selector (longest wins here)', async () => {
  const key = enc.encode('/test/selector')
  const [a, b, c] = [nodes[3], nodes[17], nodes[31]]
  await a.dht.put(key, enc.encode('short'), op())
  await b.dht.put(key, enc.encode('much longer value'), op())
  assert.equal(await c.dht.get(key, op()), enc.encode('much longer value'))
})

const cids = []
test('provide on one node, findProviders from another (any pair)', async () => {
  for (let i = 0; i < ROUNDS; i++) {
    const provider = pick(nodes), seeker = pick(nodes.filter(n => n !== provider))
    const cid = CID.createV1(0x55, await sha256Hasher.digest(enc.encode(`content ${i}`)))
    await provider.dht.provide(cid, op())
    const found = []
    for await (const p of seeker.dht.findProviders(cid, op())) found.push(p)
    const entry = found.find(p => p.id.equals(provider.peerId))
    assert.ok(entry !== undefined, `provider ${i} found`)
    assert.ok(entry.multiaddrs.length > 0)
    cids.push({ cid, provider })
  }
})

test('with 20% of the nodes stopped mid-run, lookups still succeed', async () => {
  const victims = nodes.slice(1).filter((_, i) => i % 5 === 2).slice(0, STOPPED)
  assert.is(victims.length, STOPPED)
  const alive = nodes.filter(n => !victims.includes(n))
  const dead = new Set(victims)
  // Lookups start, and the nodes stop while they run.
  const lookups = mapLimit(alive, 10, async a => {
    const target = pick(alive.filter(n => n !== a))
    const peers = []
    for await (const id of a.dht.getClosestPeers(target.peerId, op())) peers.push(id)
    return peers
  })
  await stopAll(victims)
  const results = await lookups
  for (const peers of results) assert.ok(peers.length > 0)
  // Afterwards: the k nearest of a fresh lookup are all alive; values, providers and peers are found.
  const deadIds = new Set(victims.map(n => n.peerId.toString()))
  for (let i = 0; i < ROUNDS; i++) {
    const a = pick(alive)
    const peers = []
    for await (const id of a.dht.getClosestPeers(enc.encode(`after-${i}`), op())) peers.push(id)
    assert.is(peers.length, 20)
    for (const id of peers) assert.not.ok(deadIds.has(id.toString()), 'a stopped node among the answers')
    const { key, value } = putKeys[i]
    assert.equal(await a.dht.get(key, op()), value)
    const { cid, provider } = cids[i]
    if (!dead.has(provider)) {
      const found = []
      for await (const p of a.dht.findProviders(cid, op())) found.push(p.id.toString())
      assert.ok(found.includes(provider.peerId.toString()), `provider ${i} after the stop`)
    }
  }
  // findPeer between live nodes that had no contact: forget the target, then look it up.
  for (let i = 0; i < ROUNDS; i++) {
    const a = pick(alive), b = pick(alive.filter(n => n !== a))
    a.dht.kad.routingTable.remove(b.dht.kad.routingTable.self)
    const info = await a.dht.findPeer(b.peerId, op())
    assert.ok(info.id.equals(b.peerId))
    assert.ok(info.multiaddrs.length > 0)
  }
})

test.run()
