// Direct peers (gossipsub-v1.1.md "Explicit Peering Agreements") on real wasp2p nodes over
// loopback TCP: A and B are each other's direct peer; C talks only to A. A dials B by itself at
// start, the two never graft each other however long they share a topic, every message reaches B
// through A although B is in nobody's mesh, A hears B whatever B's score, and a lost connection
// is redialed. Also at the router: a GRAFT from a direct peer is answered with a PRUNE. And with
// js-libp2p's gossipsub (`directPeers` on both sides): we dial it by ourselves, neither grafts the
// other, and messages go both ways.
import { fileURLToPath } from 'node:url'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { generateKeyPair } from '../../dist/keys/index.js'
import { peerIdFromPrivateKey } from '../../dist/peer-id/index.js'
import { GossipsubRouter, resolveOptions, MESHSUB_V11_PROTOCOL } from '../../dist/pubsub/index.js'
import { startJsonLineChild } from '../helpers/json-line-child.js'
import { pubsubNode, waitFor, text, record } from './helpers.js'

const SWARM = fileURLToPath(new URL('./helpers/js-gossipsub-swarm.mjs', import.meta.url))

const TOPIC = 'direct'
const HEARTBEAT_MS = 200
/** Redial check every 5 heartbeats (1 s) instead of every 300. */
const CONNECT_TICKS = 5
let a, b, c
let inboxB, inboxA

test.before(async () => {
  const keyA = await generateKeyPair('Ed25519')
  // B knows only A's id (A dials it); A knows where B listens.
  b = await pubsubNode({ pubsub: { directPeers: [{ id: peerIdFromPrivateKey(keyA).toString() }], directConnectTicks: CONNECT_TICKS } })
  a = await pubsubNode({ node: { privateKey: keyA }, pubsub: { directPeers: [{ id: b.peerId, addrs: b.getMultiaddrs() }], directConnectTicks: CONNECT_TICKS } })
  c = await pubsubNode()
  for (const n of [a, b, c]) n.pubsub.subscribe(TOPIC)
  inboxA = record(a.pubsub)
  inboxB = record(b.pubsub)
  await c.dial(a.getMultiaddrs()[0])
})

test.after(async () => { await Promise.all([a, b, c].map(async n => { await n?.stop() })) })

test('a node dials its direct peer by itself soon after start', async () => {
  await waitFor(() => a.getConnections(b.peerId).length > 0 && a.pubsub.getPeers().some(p => p.equals(b.peerId)) && b.pubsub.getPeers().some(p => p.equals(a.peerId)), 'A to connect to its direct peer B', 10_000)
  await waitFor(() => a.pubsub.getMeshPeers(TOPIC).some(p => p.equals(c.peerId)), 'C in A\'s mesh')
})

test('direct peers share a topic but never graft each other', async () => {
  await waitFor(() => a.pubsub.getSubscribers(TOPIC).some(p => p.equals(b.peerId)) && b.pubsub.getSubscribers(TOPIC).some(p => p.equals(a.peerId)), 'the subscriptions to be exchanged')
  // Ten heartbeats: an ordinary pair of subscribed peers below D_lo would be grafted at the first.
  for (let i = 0; i < 10; i++) {
    await new Promise(resolve => setTimeout(resolve, HEARTBEAT_MS))
    assert.not.ok(a.pubsub.getMeshPeers(TOPIC).some(p => p.equals(b.peerId)), 'B never in A\'s mesh')
    assert.is(b.pubsub.getMeshPeers(TOPIC).length, 0, 'B (whose only peer is direct) has an empty mesh')
  }
})

test('messages reach the direct peer through A though it is in no mesh, published or forwarded', async () => {
  await c.pubsub.publish(TOPIC, text('from C'))
  await a.pubsub.publish(TOPIC, text('from A'))
  await waitFor(() => inboxB.length >= 2, 'both messages at B')
  assert.equal(inboxB.map(m => m.text).sort(), ['from A', 'from C'])
  for (const m of inboxB) assert.is(m.source, a.peerId.toString(), 'through A, B\'s only peer')
  assert.is(b.pubsub.getMeshPeers(TOPIC).length, 0)
  // And the other way: B's messages reach C through A.
  const inboxC = record(c.pubsub)
  await b.pubsub.publish(TOPIC, text('from B'))
  await waitFor(() => inboxC.some(m => m.text === 'from B'), 'B\'s message at C')
})

test('A accepts RPCs from B whatever B\'s score (a graylisted ordinary peer is ignored)', async () => {
  const router = a.pubsub.router
  for (let i = 0; i < 20; i++) router.score.addPenalty(b.peerId.toString())
  const graylist = router.options.scoreThresholds.graylistThreshold
  assert.ok(a.pubsub.getScore(b.peerId) < graylist, `B's score ${a.pubsub.getScore(b.peerId)} is below the graylist threshold ${graylist}`)
  const before = inboxA.length
  await b.pubsub.publish(TOPIC, text('from graylisted B'))
  await waitFor(() => inboxA.length > before, 'B\'s message at A')
  assert.is(inboxA.at(-1).text, 'from graylisted B')
})

test('a lost connection to a direct peer is redialed', async () => {
  const lost = a.getConnections(b.peerId).map(conn => conn.id)
  assert.ok(lost.length > 0, 'connected before')
  // B's loss is seen by its event, not by polling B's peers: A's next check (every CONNECT_TICKS
  // heartbeats, at any phase) may redial before a poll would catch B without A.
  const bLostA = new Promise(resolve => {
    const onClose = event => { if (event.detail.remotePeer.equals(a.peerId)) { b.removeEventListener('connection:close', onClose); resolve() } }
    b.addEventListener('connection:close', onClose)
  })
  await a.hangUp(b.peerId)
  await Promise.race([bLostA, new Promise((_resolve, reject) => setTimeout(() => { reject(new Error('B never saw its connection to A close')) }, 10_000).unref())])
  // Redialed at the next check, by A that knows B's addresses: a new connection, and pubsub on it at both ends.
  // A forwards to B only once B's subscription has reached it on the new connection; a message
  // published before is not B's to get (no mesh, no gossip between direct peers).
  await waitFor(() => a.getConnections(b.peerId).some(conn => !lost.includes(conn.id)) && b.pubsub.getPeers().some(p => p.equals(a.peerId)) && a.pubsub.getPeers().some(p => p.equals(b.peerId)), 'A to redial B', 15_000)
  await waitFor(() => a.pubsub.getSubscribers(TOPIC).some(p => p.equals(b.peerId)), 'B\'s subscription at A after the redial')
  const before = inboxB.length
  await c.pubsub.publish(TOPIC, text('after the redial'))
  await waitFor(() => inboxB.length > before, 'delivery after the redial')
  assert.is(inboxB.at(-1).text, 'after the redial')
  assert.not.ok(a.pubsub.getMeshPeers(TOPIC).some(p => p.equals(b.peerId)))
})

test('router: a GRAFT from a direct peer gets a PRUNE without PX and no penalty; it is never a mesh candidate', async () => {
  const [ours, theirs] = await Promise.all([generateKeyPair('Ed25519'), generateKeyPair('Ed25519')])
  const peerId = peerIdFromPrivateKey(theirs)
  const sent = []
  const router = new GossipsubRouter({
    peerId: peerIdFromPrivateKey(ours),
    privateKey: ours,
    send: (to, rpc) => { sent.push({ to, rpc }); return true },
    onMessage: () => {},
    onSubscriptionChange: () => {}
  }, resolveOptions({ directPeers: [{ id: peerId }], doPX: true }))
  router.addPeer(peerId, MESHSUB_V11_PROTOCOL, true)
  router.subscribe(TOPIC)
  await router.handleRpc(peerId.toString(), { subscriptions: [{ subscribe: true, topic: TOPIC }], messages: [] })
  router.heartbeat()
  assert.is(router.mesh.get(TOPIC).size, 0, 'not grafted by a heartbeat')
  assert.not.ok(sent.some(s => (s.rpc.control?.graft ?? []).length > 0), 'no GRAFT sent to it')
  sent.length = 0
  await router.handleRpc(peerId.toString(), { subscriptions: [], messages: [], control: { ihave: [], iwant: [], graft: [{ topic: TOPIC }], prune: [], idontwant: [] } })
  assert.is(router.mesh.get(TOPIC).size, 0, 'its GRAFT is refused')
  const prunes = sent.flatMap(s => s.rpc.control?.prune ?? [])
  assert.is(prunes.length, 1)
  assert.is(prunes[0].topic, TOPIC)
  assert.is(prunes[0].peers.length, 0, 'no PX')
  assert.is(router.score.score(peerId.toString()), 0, 'not penalised')
})

test('with js-libp2p: reciprocal direct peers connect, never graft each other, and exchange messages', async () => {
  const key = await generateKeyPair('Ed25519')
  const ourId = peerIdFromPrivateKey(key).toString()
  const js = await startJsonLineChild(SWARM, ['1', JSON.stringify({ directPeers: [{ id: ourId }], heartbeatInterval: HEARTBEAT_MS })], { startTimeoutMs: 60_000, commandTimeoutMs: 30_000 })
  let node
  try {
    const jsPeer = js.info.peers[0]
    await js.command({ cmd: 'subscribe', topic: TOPIC })
    node = await pubsubNode({ node: { privateKey: key }, pubsub: { directPeers: [{ id: jsPeer.peerId, addrs: jsPeer.addrs.filter(a => !a.includes('/ws')) }], directConnectTicks: CONNECT_TICKS } })
    node.pubsub.subscribe(TOPIC)
    const inbox = record(node.pubsub)
    await waitFor(() => node.pubsub.getSubscribers(TOPIC).some(p => p.toString() === jsPeer.peerId), 'our node to dial js-libp2p and learn its subscription', 15_000)
    await waitFor(async () => (await js.command({ cmd: 'subscribers', topic: TOPIC })).peers.includes(ourId), 'js-libp2p to learn ours')
    for (let i = 0; i < 8; i++) {
      await new Promise(resolve => setTimeout(resolve, HEARTBEAT_MS))
      assert.is(node.pubsub.getMeshPeers(TOPIC).length, 0, 'js-libp2p never in our mesh')
      assert.equal((await js.command({ cmd: 'mesh', topic: TOPIC })).peers, [], 'we are never in js-libp2p\'s mesh')
    }
    const published = await js.command({ cmd: 'publish', topic: TOPIC, text: 'js to its direct peer' })
    assert.equal(published.recipients, [ourId])
    await waitFor(() => inbox.some(m => m.text === 'js to its direct peer'), 'js-libp2p\'s message at our node')
    const reached = await node.pubsub.publish(TOPIC, text('wasp2p to its direct peer'))
    assert.equal(reached.map(String), [jsPeer.peerId])
    await waitFor(async () => (await js.command({ cmd: 'received' })).messages.some(m => m.text === 'wasp2p to its direct peer'), 'our message at js-libp2p')
  } finally {
    await node?.stop()
    await js.stop()
  }
})

test.run()
