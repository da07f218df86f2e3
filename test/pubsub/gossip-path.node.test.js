// The gossip path end to end (gossipsub-v1.0.md "Message Processing": IHAVE / IWANT), on real
// wasp2p nodes over loopback TCP. Publisher P keeps a mesh of one (D = D_lo = D_hi = 1) and does
// not flood-publish; X is its mesh peer. Q, subscribed and connected to P only, GRAFTs P, which
// is full and PRUNEs it, so Q is in no mesh of P's and in backoff. A message P publishes then can
// reach Q only as gossip: P's heartbeat advertises it in an IHAVE, Q asks for it with an IWANT,
// and P answers with the message. Both routers' RPCs are recorded to show exactly that sequence.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { idKey } from '../../dist/pubsub/index.js'
import { pubsubNode, waitFor, text, record } from './helpers.js'

const TOPIC = 'gossip-path'
let p, x, q
const toQ = []
const toP = []

/** Records every RPC `node`'s router handles, with the sender, in `log`. */
function tap (node, log) {
  const router = node.pubsub.router
  const handle = router.handleRpc.bind(router)
  router.handleRpc = async (from, rpc) => { log.push({ from, rpc, at: Date.now() }); return await handle(from, rpc) }
}

test.before(async () => {
  p = await pubsubNode({ pubsub: { D: 1, Dlo: 1, Dhi: 1, Dout: 0, Dscore: 0, floodPublish: false } })
  x = await pubsubNode()
  q = await pubsubNode()
  for (const n of [p, x, q]) n.pubsub.subscribe(TOPIC)
  await x.dial(p.getMultiaddrs()[0])
  await waitFor(() => p.pubsub.getMeshPeers(TOPIC).some(id => id.equals(x.peerId)), 'X in P\'s mesh')
  tap(q, toQ)
  tap(p, toP)
  // Q dials P: inbound for P, so P's full mesh (D_hi = 1) answers Q's GRAFT with a PRUNE.
  await q.dial(p.getMultiaddrs()[0])
  await waitFor(() => toQ.some(e => (e.rpc.control?.prune ?? []).some(pr => pr.topic === TOPIC)), 'P to PRUNE Q')
})

test.after(async () => { await Promise.all([p, x, q].map(async n => { await n?.stop() })) })

test('Q is subscribed, known to P as a subscriber, and in no mesh of P', async () => {
  await waitFor(() => p.pubsub.getSubscribers(TOPIC).some(id => id.equals(q.peerId)), 'P to know Q subscribes')
  assert.equal(p.pubsub.getMeshPeers(TOPIC).map(String), [x.peerId.toString()])
  assert.is(q.pubsub.getMeshPeers(TOPIC).length, 0, 'Q is in backoff with P, its only peer')
})

test('a message P publishes reaches Q through IHAVE → IWANT → the message, once', async () => {
  const inboxQ = record(q.pubsub)
  const inboxX = record(x.pubsub)
  const ids = []
  q.pubsub.addEventListener('message', e => { ids.push(idKey(e.detail.id)) })
  const reached = await p.pubsub.publish(TOPIC, text('by gossip'))
  assert.equal(reached.map(String), [x.peerId.toString()], 'published to the mesh only (no flood publishing)')
  await waitFor(() => inboxX.length === 1, 'the mesh delivery to X')
  await waitFor(() => inboxQ.length === 1, 'the gossip delivery to Q')
  const [message] = inboxQ
  assert.is(message.text, 'by gossip')
  assert.is(message.source, p.peerId.toString())
  const [id] = ids
  const has = ids => ids.some(i => idKey(i) === id)
  const ihaveAt = toQ.findIndex(e => e.from === p.peerId.toString() && (e.rpc.control?.ihave ?? []).some(h => h.topic === TOPIC && has(h.messageIds)))
  const messageAt = toQ.findIndex(e => e.rpc.messages.some(m => m.topic === TOPIC && new TextDecoder().decode(m.data) === 'by gossip'))
  assert.ok(ihaveAt >= 0, 'P advertised the message to Q in an IHAVE')
  assert.ok(messageAt > ihaveAt, 'the message came after the IHAVE')
  const iwant = toP.find(e => e.from === q.peerId.toString() && (e.rpc.control?.iwant ?? []).some(w => has(w.messageIds)))
  assert.ok(iwant !== undefined, 'Q asked P for it with an IWANT')
  assert.ok(iwant.at <= toQ[messageAt].at, 'the IWANT before the message')
  // Later heartbeats advertise it again; Q has it and must not ask or receive it twice.
  await new Promise(resolve => setTimeout(resolve, 1000))
  assert.is(inboxQ.length, 1, 'delivered exactly once')
  assert.is(toQ.filter(e => e.rpc.messages.some(m => m.topic === TOPIC)).length, 1, 'the message crossed the wire to Q once')
})

test.run()
