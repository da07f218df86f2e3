// Interop with js-libp2p's gossipsub (@libp2p/gossipsub 17, real js-libp2p 3 nodes in a child
// process): over TCP and over WebSockets, with wasp2p dialing and with js-libp2p dialing, both
// sides form a mesh, messages go both ways exactly once with the author's signature checked and
// the same message id on both sides, and PRUNE backoff is honoured by both.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fileURLToPath } from 'node:url'
import { startJsonLineChild } from '../helpers/json-line-child.js'
import { pubsubNode, waitFor, text, record } from './helpers.js'
import { MESHSUB_V12_PROTOCOL, UNSUBSCRIBE_BACKOFF_MS } from '../../dist/pubsub/index.js'

const SWARM = fileURLToPath(new URL('./helpers/js-gossipsub-swarm.mjs', import.meta.url))
const CASES = [
  { transport: 'tcp', dialer: 'wasp2p' },
  { transport: 'tcp', dialer: 'js' },
  { transport: 'ws', dialer: 'wasp2p' },
  { transport: 'ws', dialer: 'js' }
]
const hex = b => Buffer.from(b).toString('hex')
const addrOf = (addrs, transport) => addrs.find(a => transport === 'ws' ? a.includes('/ws') : !a.includes('/ws'))

let js
const ours = []
test.before(async () => {
  js = await startJsonLineChild(SWARM, [String(CASES.length + 1)], { startTimeoutMs: 60_000, commandTimeoutMs: 30_000 })
})
test.after(async () => {
  await Promise.all(ours.map(async n => { await n.stop() }))
  await js?.stop()
})

async function pair (i, transport, dialer, topic) {
  const node = await pubsubNode({ listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'], pubsub: { heartbeatIntervalMs: 1000 } })
  ours.push(node)
  const jsPeer = js.info.peers[i]
  node.pubsub.subscribe(topic)
  await js.command({ cmd: 'subscribe', i, topic })
  if (dialer === 'wasp2p') await node.dial(addrOf(jsPeer.addrs, transport))
  else {
    const r = await js.command({ cmd: 'dial', i, addr: addrOf(node.getMultiaddrs().map(String), transport) })
    assert.ok(r.ok, r.error)
  }
  await waitFor(() => node.pubsub.getMeshPeers(topic).some(p => p.toString() === jsPeer.peerId), 'js-libp2p in our mesh')
  await waitFor(async () => (await js.command({ cmd: 'mesh', i, topic })).peers.includes(node.peerId.toString()), 'us in js-libp2p\'s mesh')
  return { node, jsPeer }
}

for (const [i, { transport, dialer }] of CASES.entries()) {
  test(`${transport}, ${dialer} dials: mesh both ways, messages both ways exactly once, same message ids`, async () => {
    const topic = `interop-${transport}-${dialer}`
    const { node, jsPeer } = await pair(i, transport, dialer, topic)
    assert.is(node.pubsub.getPeerProtocol(jsPeer.peerId), MESHSUB_V12_PROTOCOL)
    assert.is(node.getConnections()[0].remoteAddr.toString().includes('/ws'), transport === 'ws')
    const inbox = record(node.pubsub)

    const published = await js.command({ cmd: 'publish', i, topic, text: `js says hi over ${transport}` })
    assert.equal(published.recipients, [node.peerId.toString()])
    const reached = await node.pubsub.publish(topic, text(`wasp2p says hi over ${transport}`))
    assert.equal(reached.map(String), [jsPeer.peerId])

    await waitFor(() => inbox.length >= 1, 'js-libp2p\'s message')
    let theirs
    await waitFor(async () => { theirs = (await js.command({ cmd: 'received', i })).messages; return theirs.length >= 1 }, 'our message at js-libp2p')
    await new Promise(resolve => setTimeout(resolve, 1500)) // a gossip round: nothing may arrive twice
    theirs = (await js.command({ cmd: 'received', i })).messages
    assert.equal(inbox.map(m => [m.text, m.from]), [[`js says hi over ${transport}`, jsPeer.peerId]])
    assert.equal(theirs.map(m => [m.text, m.from]), [[`wasp2p says hi over ${transport}`, node.peerId.toString()]])
    assert.ok((await js.command({ cmd: 'score', i, peer: node.peerId.toString() })).score >= 0, 'js-libp2p scores us non-negative')
    assert.ok(node.pubsub.getScore(jsPeer.peerId) >= 0)
  })
}

test('the same message id on both sides: js-libp2p computes for a message relayed through us the id we computed', async () => {
  // js A — wasp2p — js B (A and B not connected), all subscribed; A publishes; B gets it through us.
  const topic = 'interop-ids'
  const node = await pubsubNode({ pubsub: { heartbeatIntervalMs: 1000 } })
  ours.push(node)
  node.pubsub.subscribe(topic)
  const ids = []
  node.pubsub.addEventListener('message', e => { ids.push(hex(e.detail.id)) })
  const A = 0
  const B = CASES.length
  await js.command({ cmd: 'subscribe', i: A, topic })
  await js.command({ cmd: 'subscribe', i: B, topic })
  await js.command({ cmd: 'dial', i: B, addr: node.getMultiaddrs()[0].toString() })
  await node.dial(js.info.peers[A].addrs[0])
  const inMesh = id => node.pubsub.getMeshPeers(topic).some(p => p.toString() === id)
  await waitFor(() => inMesh(js.info.peers[A].peerId) && inMesh(js.info.peers[B].peerId), 'both js nodes in our mesh')
  await js.command({ cmd: 'received', i: B, clear: true })
  await js.command({ cmd: 'publish', i: A, topic, text: 'relay me' })
  let got
  await waitFor(async () => { got = (await js.command({ cmd: 'received', i: B })).messages.filter(m => m.text === 'relay me'); return got.length >= 1 }, 'B to get it through us')
  await waitFor(() => ids.length >= 1, 'our copy')
  assert.is(got.length, 1)
  assert.is(got[0].source, node.peerId.toString(), 'it came through us')
  assert.is(ids[0], got[0].id, 'our message id equals js-libp2p\'s')
})

test('PRUNE backoff honoured both ways: after an unsubscribe neither side re-GRAFTs the other before the backoff ends', async () => {
  const topic = 'interop-backoff'
  const i = 1
  const { node, jsPeer } = await pair(i, 'tcp', 'wasp2p', topic)
  // We leave: our PRUNE carries UNSUBSCRIBE_BACKOFF_MS; js-libp2p records it.
  node.pubsub.unsubscribe(topic)
  await waitFor(async () => (await js.command({ cmd: 'backoff', i, topic, peer: node.peerId.toString() })).ms > 0, 'js-libp2p to back off from us')
  const jsBackoff = (await js.command({ cmd: 'backoff', i, topic, peer: node.peerId.toString() })).ms
  assert.ok(jsBackoff > UNSUBSCRIBE_BACKOFF_MS / 2 && jsBackoff <= UNSUBSCRIBE_BACKOFF_MS + 2000, `js-libp2p backoff ${jsBackoff} ms`)
  // We come back at once: we must not GRAFT js-libp2p (our own backoff), and js-libp2p must not GRAFT us.
  node.pubsub.subscribe(topic)
  for (let k = 0; k < 3; k++) {
    await new Promise(resolve => setTimeout(resolve, 1000))
    assert.not.ok(node.pubsub.getMeshPeers(topic).some(p => p.toString() === jsPeer.peerId), 'we honour our backoff')
    assert.not.ok((await js.command({ cmd: 'mesh', i, topic })).peers.includes(node.peerId.toString()), 'js-libp2p honours the backoff we sent')
  }
  // Now js-libp2p leaves and prunes us: we record its backoff.
  await js.command({ cmd: 'unsubscribe', i, topic })
  await waitFor(() => (node.pubsub.router.backoff.get(topic)?.get(jsPeer.peerId) ?? 0) > Date.now() + UNSUBSCRIBE_BACKOFF_MS / 2 || !node.pubsub.getSubscribers(topic).some(p => p.toString() === jsPeer.peerId), 'js-libp2p\'s leave')
  assert.ok(node.pubsub.getScore(jsPeer.peerId) >= 0, 'no backoff violation was penalised')
  assert.ok((await js.command({ cmd: 'score', i, peer: node.peerId.toString() })).score >= 0, 'js-libp2p saw no violation by us')
  // After both backoffs end (10 s + slack), the mesh heals by itself once js-libp2p rejoins.
  await js.command({ cmd: 'subscribe', i, topic })
  await waitFor(() => node.pubsub.getMeshPeers(topic).some(p => p.toString() === jsPeer.peerId), 'the mesh to heal after the backoff', 40_000)
})

test.run()
