// Mesh degree bounds under churn (gossipsub-v1.0.md "Heartbeat", v1.1 "Mesh Maintenance"): in a
// simulated network of routers (real codec, fake clock), random connects, disconnects, joins,
// leaves and publishes, and after every heartbeat of every router, for every topic it joined:
//   |mesh| ≤ D_hi; |mesh| ≥ D_lo unless no eligible peer is left (subscribed, gossipsub, not in
//   backoff, score ≥ 0); every mesh peer is connected and subscribed; D_out is met where possible.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { createSimNetwork } from './helpers/sim.js'

const SIZE = 16
const TOPICS = ['a', 'b']
const OPTIONS = { D: 6, Dlo: 4, Dhi: 8, Dout: 2, Dscore: 4, heartbeatIntervalMs: 1000, scoreParams: { ipColocationFactorWeight: 0 } }
/** Small degrees, so GRAFTs from outbound peers (accepted above D_hi, v1.1) overfill meshes often. */
const SMALL = { D: 4, Dlo: 3, Dhi: 5, Dout: 1, Dscore: 2, heartbeatIntervalMs: 1000, scoreParams: { ipColocationFactorWeight: 0 } }

const op = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('connect'), a: fc.nat(SIZE - 1), b: fc.nat(SIZE - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('disconnect'), a: fc.nat(SIZE - 1), b: fc.nat(SIZE - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('subscribe'), a: fc.nat(SIZE - 1), topic: fc.constantFrom(...TOPICS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unsubscribe'), a: fc.nat(SIZE - 1), topic: fc.constantFrom(...TOPICS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('publish'), a: fc.nat(SIZE - 1), topic: fc.constantFrom(...TOPICS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dialAll'), a: fc.nat(SIZE - 1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('heartbeat'), dt: fc.integer({ min: 100, max: 20_000 }) }) }
)

function checkAfterHeartbeat (net, node) {
  const r = node.router
  const o = r.options
  for (const [topic, mesh] of r.mesh) {
    assert.ok(mesh.size <= o.Dhi, `node ${node.i} topic ${topic}: mesh ${mesh.size} > D_hi ${o.Dhi}`)
    for (const id of mesh) {
      const peer = r.peers.get(id)
      assert.ok(peer !== undefined, 'mesh peers are connected')
      assert.ok(peer.topics.has(topic), 'mesh peers are subscribed')
    }
    const eligible = [...(r.topics.get(topic) ?? [])].filter(id => {
      const ends = r.backoff.get(topic)?.get(id)
      return !mesh.has(id) && !(ends !== undefined && net.now < ends) && r.score.score(id) >= 0
    })
    assert.ok(mesh.size >= o.Dlo || eligible.length === 0, `node ${node.i} topic ${topic}: mesh ${mesh.size} < D_lo with ${eligible.length} eligible peers left`)
    if (mesh.size >= o.Dlo && mesh.size < o.Dhi) {
      const outbound = [...mesh].filter(id => r.peers.get(id).outbound).length
      const outboundLeft = eligible.filter(id => r.peers.get(id).outbound).length
      assert.ok(outbound >= o.Dout || outboundLeft === 0, `node ${node.i} topic ${topic}: ${outbound} outbound mesh peers < D_out with ${outboundLeft} left`)
    }
  }
}

for (const [name, options] of [['D 6 / 4 / 8', OPTIONS], ['D 4 / 3 / 5', SMALL]]) test(`mesh degree bounds hold after every heartbeat under churn (property, ${name})`, async () => {
  const net = await createSimNetwork({ size: SIZE, options })
  let run = 0
  await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 10, maxLength: 80 }), async ops => {
    // Fresh state per run: disconnect everything, leave every topic, let backoffs expire.
    for (let a = 0; a < SIZE; a++) for (let b = a + 1; b < SIZE; b++) net.disconnect(a, b)
    for (const n of net.nodes) for (const t of TOPICS) n.router.unsubscribe(t)
    net.advance(3_600_000)
    for (const n of net.nodes) n.router.heartbeat()
    // A connected base graph, so meshes have something to form from.
    for (let a = 0; a < SIZE; a++) { net.connect(a, (a + 1) % SIZE); net.connect(a, (a + 5) % SIZE) }
    let n = 0
    for (const x of ops) {
      switch (x.kind) {
        case 'connect': net.connect(x.a, x.b); break
        case 'dialAll': for (let b = 0; b < SIZE; b++) net.connect(x.a, b); break
        case 'disconnect': net.disconnect(x.a, x.b); break
        case 'subscribe': net.nodes[x.a].router.subscribe(x.topic); break
        case 'unsubscribe': net.nodes[x.a].router.unsubscribe(x.topic); break
        case 'publish': await net.nodes[x.a].router.publish(x.topic, new TextEncoder().encode(`r${run} m${n++}`)); break
        case 'heartbeat':
          net.advance(x.dt)
          for (const node of net.nodes) { node.router.heartbeat(); checkAfterHeartbeat(net, node) }
          break
      }
      await net.flush()
    }
    run++
  }), { numRuns: 40 })
})

test('a star: GRAFTs from the hub\'s outbound peers overfill its mesh above D_hi; the heartbeat prunes it to D (D_score best kept) with PX-less backoff', async () => {
  const net = await createSimNetwork({ size: SIZE, options: SMALL, seed: 3 })
  const hub = net.nodes[0]
  hub.router.subscribe('a')
  for (let b = 1; b < SIZE; b++) net.connect(0, b) // the hub dialed every one: all outbound for it
  await net.flush() // they learn the hub subscribes
  for (let b = 1; b < SIZE; b++) net.nodes[b].router.subscribe('a') // each has only the hub: it GRAFTs it
  await net.flush()
  assert.is(hub.router.mesh.get('a').size, SIZE - 1, 'outbound peers are accepted above D_hi')
  net.advance(1000)
  hub.router.heartbeat()
  checkAfterHeartbeat(net, hub)
  assert.is(hub.router.mesh.get('a').size, SMALL.D)
  await net.flush()
  const pruned = net.nodes.slice(1).filter(n => !hub.router.mesh.get('a').has(n.id))
  assert.is(pruned.length, SIZE - 1 - SMALL.D)
  for (const n of pruned) {
    assert.not.ok(n.router.mesh.get('a').has(hub.id), 'the PRUNE reached the peer')
    assert.ok(n.router.backoff.get('a').get(hub.id) > net.now, 'and it backs off')
  }
})

test('peer exchange: with doPX, an oversubscribed node\'s PRUNE offers other topic peers; the pruned peer follows it only above acceptPXThreshold', async () => {
  const net = await createSimNetwork({ size: SIZE, options: { ...SMALL, doPX: true, scoreThresholds: { acceptPXThreshold: 0 } }, seed: 5 })
  const hub = net.nodes[0]
  hub.router.subscribe('a')
  for (let b = 1; b < SIZE; b++) net.connect(0, b)
  await net.flush()
  for (let b = 1; b < SIZE; b++) net.nodes[b].router.subscribe('a')
  await net.flush()
  net.advance(1000)
  hub.router.heartbeat()
  await net.flush()
  const pruned = net.nodes.slice(1).filter(n => !hub.router.mesh.get('a').has(n.id))
  assert.ok(pruned.length > 0)
  for (const n of pruned) {
    assert.ok(n.exchanged.length > 0 && n.exchanged.length <= 16, `PX of ${n.exchanged.length} peers`)
    const offered = n.exchanged.map(p => net.nodes.find(x => x.peerId.multihash.every((b, i) => b === p.peerId[i]))?.i)
    assert.ok(offered.every(i => i !== undefined && i !== 0 && i !== n.i), 'PX offers other known peers, never the pruner or the pruned')
  }
  // The same with the default acceptPXThreshold (10): a peer scored 0 is not followed.
  const strict = await createSimNetwork({ size: 8, options: { ...SMALL, doPX: true }, seed: 6 })
  strict.nodes[0].router.subscribe('a')
  for (let b = 1; b < 8; b++) strict.connect(0, b)
  await strict.flush()
  for (let b = 1; b < 8; b++) strict.nodes[b].router.subscribe('a')
  await strict.flush()
  strict.advance(1000)
  strict.nodes[0].router.heartbeat()
  await strict.flush()
  assert.is(strict.nodes[0].router.mesh.get('a').size, SMALL.D, 'three peers were pruned, with PX offered')
  assert.ok(strict.nodes.every(n => n.exchanged.length === 0))
})

test('a subscribed swarm converges: every node meshes with D_lo..D_hi peers and every message reaches every subscriber once', async () => {
  const net = await createSimNetwork({ size: SIZE, options: OPTIONS, seed: 7 })
  for (let a = 0; a < SIZE; a++) for (const d of [1, 3, 7]) net.connect(a, (a + d) % SIZE)
  for (const node of net.nodes) node.router.subscribe('a')
  await net.flush()
  for (let i = 0; i < 5; i++) { net.advance(1000); for (const node of net.nodes) node.router.heartbeat(); await net.flush() }
  for (const node of net.nodes) {
    const size = node.router.mesh.get('a').size
    assert.ok(size >= OPTIONS.Dlo && size <= OPTIONS.Dhi, `node ${node.i}: mesh of ${size}`)
  }
  for (let m = 0; m < 10; m++) await net.nodes[m % SIZE].router.publish('a', new TextEncoder().encode(`msg ${m}`))
  await net.flush()
  for (const node of net.nodes) {
    const texts = node.received.map(d => new TextDecoder().decode(d.message.data)).sort()
    const expected = Array.from({ length: 10 }, (_, m) => `msg ${m}`).filter((_, m) => m % SIZE !== node.i).sort()
    assert.equal(texts, expected, `node ${node.i} got each message once`)
  }
})

test.run()
