// A mixed Kademlia swarm on loopback TCP (issue 7, "Tests"): 20 js-libp2p 3.3.11 kad-dht
// servers in one separate process (helpers/js-dht-swarm.mjs) and 20 wasp2p nodes with
// node.dht here, all in one DHT (with k = 20 and 40 nodes, a record lives on half of
// them, so it crosses implementations). Values and provider records put by either
// implementation are found by the other, and findPeer works both ways.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fileURLToPath } from 'node:url'
import { CID } from 'multiformats/cid'
import { sha256 as sha256Hasher } from 'multiformats/hashes/sha2'
import { createNode } from '../../dist/index.js'
import { kadKey } from '../../dist/dht/index.js'
import { peerIdFromMultihash, peerIdFromString } from '../../dist/peer-id/index.js'
import { startJsonLineChild } from '../helpers/json-line-child.js'
import { loopbackNode, mapLimit, testRules, withDht } from './helpers/swarm.js'

const JS_NODES = 20
const WASP_NODES = 20
const OP_TIMEOUT_MS = 30_000
const ROUNDS = 4

const enc = new TextEncoder()
const hex = bytes => Buffer.from(bytes).toString('hex')
const op = () => ({ signal: AbortSignal.timeout(OP_TIMEOUT_MS) })
const withoutP2p = a => a.replace(/\/p2p\/[^/]+$/, '')

let js, jsPeers
const nodes = []

test.before(async () => {
  js = await startJsonLineChild(fileURLToPath(new URL('./helpers/js-dht-swarm.mjs', import.meta.url)), [String(JS_NODES)], { startTimeoutMs: 300_000, commandTimeoutMs: 120_000 })
  jsPeers = js.info.peers.map(p => ({ ...p, addr: p.addrs[0].includes('/p2p/') ? p.addrs[0] : `${p.addrs[0]}/p2p/${p.peerId}` }))
  for (let i = 0; i < WASP_NODES; i++) {
    // Identify and ping first: js-libp2p learns from identify that we serve the DHT.
    const node = await createNode(withDht({
      start: false,
      ...loopbackNode,
      dht: {
        mode: 'server', refreshIntervalMs: 0, ...testRules,
        bootstrap: [jsPeers[i % JS_NODES].addr, ...(nodes.length > 0 ? [nodes[0].getMultiaddrs()[0].toString()] : [])]
      }
    }))
    await node.start()
    nodes.push(node)
  }
  // js nodes take our nodes into their tables (the bootstrap step every DHT needs), then everyone refreshes.
  assert.ok((await js.command({ add: nodes.map(n => n.getMultiaddrs()[0].toString()) })).ok)
  await mapLimit(nodes, 5, async n => { await n.dht.refresh(op()).catch(() => {}) })
})

test.after(async () => {
  await Promise.all(nodes.map(async n => { await n.stop() }))
  await js?.stop()
})

test('our routing tables hold both implementations', () => {
  const jsIds = new Set(jsPeers.map(p => p.peerId))
  for (const node of nodes) {
    const table = node.dht.kad.routingTable
    let jsCount = 0
    for (let b = 0; b < 256; b++) for (const c of table.bucket(b)) if (jsIds.has(peerIdOfContact(c))) jsCount++
    assert.ok(jsCount > 0, 'no js-libp2p peer in a wasp2p table')
    assert.ok(table.size > jsCount, 'no wasp2p peer in a wasp2p table')
  }
})

function peerIdOfContact (c) { return peerIdFromMultihash(c.id).toString() }

test('wasp2p put → js-libp2p get', async () => {
  for (let i = 0; i < ROUNDS; i++) {
    const key = enc.encode(`/test/from-wasp2p-${i}`)
    const value = enc.encode(`wasp2p value ${i}`)
    await nodes[(i * 3) % WASP_NODES].dht.put(key, value, op())
    const answer = await js.command({ node: (i * 7) % JS_NODES, get: hex(key) })
    assert.is(answer.error, undefined, answer.error)
    assert.ok(answer.values.includes(hex(value)), `js got ${JSON.stringify(answer.values)}`)
  }
})

test('js-libp2p put → wasp2p get', async () => {
  for (let i = 0; i < ROUNDS; i++) {
    const key = enc.encode(`/test/from-js-${i}`)
    const value = enc.encode(`js value ${i}`)
    const put = await js.command({ node: (i * 5) % JS_NODES, put: hex(key), value: hex(value) })
    assert.is(put.error, undefined, put.error)
    assert.equal(await nodes[(i * 3 + 1) % WASP_NODES].dht.get(key, op()), value)
  }
})

test('wasp2p provide → js-libp2p findProviders', async () => {
  for (let i = 0; i < ROUNDS; i++) {
    const cid = CID.createV1(0x55, await sha256Hasher.digest(enc.encode(`wasp2p content ${i}`)))
    const provider = nodes[(i * 3 + 2) % WASP_NODES]
    await provider.dht.provide(cid, op())
    const answer = await js.command({ node: (i * 7 + 1) % JS_NODES, findProviders: cid.toString() })
    assert.is(answer.error, undefined, answer.error)
    const entry = answer.providers.find(p => p.peerId === provider.peerId.toString())
    assert.ok(entry !== undefined, `js found ${JSON.stringify(answer.providers)}`)
  }
})

test('js-libp2p provide → wasp2p findProviders', async () => {
  for (let i = 0; i < ROUNDS; i++) {
    const cid = CID.createV1(0x55, await sha256Hasher.digest(enc.encode(`js content ${i}`)))
    const jsNode = (i * 5 + 2) % JS_NODES
    const provided = await js.command({ node: jsNode, provide: cid.toString() })
    assert.is(provided.error, undefined, provided.error)
    const found = []
    for await (const p of nodes[(i * 3) % WASP_NODES].dht.findProviders(cid, op())) found.push(p)
    const entry = found.find(p => p.id.toString() === jsPeers[jsNode].peerId)
    assert.ok(entry !== undefined, 'js provider found')
    assert.ok(entry.multiaddrs.some(m => withoutP2p(m.toString()) === withoutP2p(jsPeers[jsNode].addr)), 'with its address')
  }
})

test('findPeer: wasp2p finds js-libp2p peers (after forgetting them), js-libp2p finds wasp2p peers', async () => {
  for (let i = 0; i < ROUNDS; i++) {
    const node = nodes[(i * 3 + 1) % WASP_NODES]
    const target = jsPeers[(i * 7 + 4) % JS_NODES]
    // Forget the target so the answer must come from the network.
    node.dht.kad.routingTable.remove(kadKey(peerIdFromString(target.peerId).multihash))
    const info = await node.dht.findPeer(target.peerId, op())
    assert.is(info.id.toString(), target.peerId)
    assert.ok(info.multiaddrs.some(m => withoutP2p(m.toString()) === withoutP2p(target.addr)), `address of ${target.peerId}`)

    const wanted = nodes[(i * 5 + 3) % WASP_NODES]
    const answer = await js.command({ node: (i * 3 + 2) % JS_NODES, findPeer: wanted.peerId.toString() })
    assert.is(answer.error, undefined, answer.error)
    assert.is(answer.peerId, wanted.peerId.toString())
    const listening = withoutP2p(wanted.getMultiaddrs()[0].toString())
    assert.ok(answer.addrs.some(a => withoutP2p(a) === listening), `js found ${JSON.stringify(answer.addrs)}`)
  }
})

test.run()
