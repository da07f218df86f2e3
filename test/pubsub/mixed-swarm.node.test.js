// The mixed swarm: 10 js-libp2p gossipsub nodes (one child process) and 10 wasp2p nodes, links in
// both directions over TCP and WebSockets (wasp2p → js, js → wasp2p, wasp2p ↔ wasp2p, js ↔ js),
// all subscribed to one topic. Every message published on either side reaches every other
// subscriber exactly once, with its author's signature verified (the author is reported).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fileURLToPath } from 'node:url'
import { startJsonLineChild } from '../helpers/json-line-child.js'
import { pubsubNode, waitFor, text, record } from './helpers.js'

const SWARM = fileURLToPath(new URL('./helpers/js-gossipsub-swarm.mjs', import.meta.url))
const N = 10
const TOPIC = 'mixed'
const addrOf = (addrs, ws) => addrs.find(a => ws ? a.includes('/ws') : !a.includes('/ws'))

let js
let ours = []
let inboxes = []

test.before(async () => {
  js = await startJsonLineChild(SWARM, [String(N)], { startTimeoutMs: 90_000, commandTimeoutMs: 60_000 })
  ours = await Promise.all(Array.from({ length: N }, () => pubsubNode({ listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'], pubsub: { heartbeatIntervalMs: 1000 } })))
  inboxes = ours.map(n => record(n.pubsub))
  for (const n of ours) n.pubsub.subscribe(TOPIC)
  for (let i = 0; i < N; i++) await js.command({ cmd: 'subscribe', i, topic: TOPIC })
  for (let i = 0; i < N; i++) {
    await ours[i].dial(addrOf(js.info.peers[i].addrs, i % 2 === 1)) // wasp2p → js, TCP or WS
    await ours[i].dial(ours[(i + 1) % N].getMultiaddrs()[0]) // wasp2p ↔ wasp2p
    const r = await js.command({ cmd: 'dial', i, addr: addrOf(ours[(i + 4) % N].getMultiaddrs().map(String), i % 2 === 0) }) // js → wasp2p
    assert.ok(r.ok, r.error)
    if (i % 3 === 0) await js.command({ cmd: 'dial', i, addr: js.info.peers[(i + 1) % N].addrs[0] }) // js ↔ js
  }
  await waitFor(() => ours.every(n => n.pubsub.getMeshPeers(TOPIC).length >= 3), 'wasp2p meshes')
  await waitFor(async () => {
    for (let i = 0; i < N; i++) if ((await js.command({ cmd: 'mesh', i, topic: TOPIC })).peers.length < 2) return false
    return true
  }, 'js-libp2p meshes')
})

test.after(async () => {
  await Promise.all(ours.map(async n => { await n.stop() }))
  await js?.stop()
})

test('20 publishers (10 js-libp2p, 10 wasp2p): every message reaches all 19 other subscribers exactly once', async () => {
  const sent = []
  for (let i = 0; i < N; i++) {
    const body = `wasp2p ${i}`
    sent.push({ body, author: ours[i].peerId.toString() })
    await ours[i].pubsub.publish(TOPIC, text(body))
    const jsBody = `js ${i}`
    sent.push({ body: jsBody, author: js.info.peers[i].peerId })
    const r = await js.command({ cmd: 'publish', i, topic: TOPIC, text: jsBody })
    assert.ok(r.ok, r.error)
  }
  const expected = self => sent.filter(s => s.author !== self).map(s => `${s.body} by ${s.author}`).sort()
  const jsInbox = async i => (await js.command({ cmd: 'received', i })).messages.map(m => `${m.text} by ${m.from}`).sort()
  await waitFor(() => ours.every((n, i) => inboxes[i].length >= expected(n.peerId.toString()).length), 'every wasp2p node to get all 19', 60_000)
  await waitFor(async () => {
    for (let i = 0; i < N; i++) if ((await jsInbox(i)).length < 2 * N - 1) return false
    return true
  }, 'every js-libp2p node to get all 19', 60_000)
  await new Promise(resolve => setTimeout(resolve, 3000)) // gossip rounds: a duplicate delivery would show now
  for (let i = 0; i < N; i++) {
    assert.equal(inboxes[i].map(m => `${m.text} by ${m.from}`).sort(), expected(ours[i].peerId.toString()), `wasp2p node ${i}`)
    assert.equal(await jsInbox(i), expected(js.info.peers[i].peerId), `js-libp2p node ${i}`)
  }
})

test('scores are non-negative across the implementations after honest traffic', async () => {
  for (let i = 0; i < N; i++) {
    for (const p of ours[i].pubsub.getPeers()) assert.ok(ours[i].pubsub.getScore(p) >= 0, `wasp2p ${i} scores ${p} ${ours[i].pubsub.getScore(p)}`)
    for (const n of ours) {
      const { score } = await js.command({ cmd: 'score', i, peer: n.peerId.toString() })
      assert.ok(score >= 0, `js ${i} scores wasp2p ${score}`)
    }
  }
})

test.run()
