// A wasp2p-only swarm over loopback TCP (Noise, yamux): 10 nodes in a sparse random graph, all
// subscribed; every message published by any node reaches every other node exactly once, also
// after gossip rounds (IHAVE/IWANT must not redeliver), and unsubscribing stops delivery.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { pubsubNode, waitFor, text, record } from './helpers.js'

const SIZE = 10
const TOPIC = 'swarm'
let nodes = []
let inboxes = []

test.before(async () => {
  nodes = await Promise.all(Array.from({ length: SIZE }, () => pubsubNode()))
  // Each node dials the next one and one three ahead: connected, diameter > 1.
  for (let i = 0; i < SIZE; i++) {
    for (const d of [1, 3]) await nodes[i].dial(nodes[(i + d) % SIZE].getMultiaddrs()[0])
  }
  for (const n of nodes) n.pubsub.subscribe(TOPIC)
  inboxes = nodes.map(n => record(n.pubsub))
  await waitFor(() => nodes.every(n => n.pubsub.getMeshPeers(TOPIC).length >= 2), 'meshes to form')
})

test.after(async () => { await Promise.all(nodes.map(async n => { await n.stop() })) })

test('every message reaches every other subscriber exactly once', async () => {
  const sent = []
  for (let i = 0; i < SIZE; i++) {
    for (let k = 0; k < 2; k++) {
      const body = `from ${i} #${k}`
      sent.push({ i, body })
      const reached = await nodes[i].pubsub.publish(TOPIC, text(body))
      assert.ok(reached.length >= 1, 'flood publishing reaches the subscribed neighbours')
    }
  }
  const expectedFor = j => sent.filter(s => s.i !== j).map(s => s.body).sort()
  await waitFor(() => inboxes.every((inbox, j) => inbox.length >= expectedFor(j).length), 'every delivery')
  // Three more heartbeats (200 ms here) of gossip: a redelivery would show up now.
  await new Promise(resolve => setTimeout(resolve, 1000))
  for (let j = 0; j < SIZE; j++) {
    assert.equal(inboxes[j].map(m => m.text).sort(), expectedFor(j), `node ${j}: each message once`)
    for (const m of inboxes[j]) assert.is(m.from, nodes[sent.find(s => s.body === m.text).i].peerId.toString(), 'signed by its author')
  }
})

test('mesh degrees stay within D_lo..D_hi where peers allow, and subscribers are known', async () => {
  for (const n of nodes) {
    const mesh = n.pubsub.getMeshPeers(TOPIC).length
    const subscribers = n.pubsub.getSubscribers(TOPIC).length
    assert.ok(mesh <= 12 && mesh >= Math.min(4, subscribers), `mesh ${mesh} of ${subscribers} subscribers`)
    assert.equal(n.pubsub.getTopics(), [TOPIC])
  }
})

test('after unsubscribing, a node gets no more messages and leaves the others\' meshes', async () => {
  const leaver = nodes[5]
  leaver.pubsub.unsubscribe(TOPIC)
  await waitFor(() => nodes.every(n => !n.pubsub.getSubscribers(TOPIC).some(p => p.equals(leaver.peerId))), 'the unsubscription to spread')
  for (const n of nodes) assert.not.ok(n.pubsub.getMeshPeers(TOPIC).some(p => p.equals(leaver.peerId)))
  const before = inboxes[5].length
  await nodes[0].pubsub.publish(TOPIC, text('after leave'))
  await waitFor(() => inboxes[9].some(m => m.text === 'after leave'), 'delivery to the others')
  await new Promise(resolve => setTimeout(resolve, 500))
  assert.is(inboxes[5].length, before)
})

test.run()
