// The seen cache (time- and size-bounded) and the message cache windows (gossipsub-v1.0.md "Message Cache").
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { SeenCache, MessageCache } from '../../dist/pubsub/index.js'

test('seen cache: an id is seen for exactly ttl, then forgotten; the size never exceeds the bound (property)', () => {
  fc.assert(fc.property(
    fc.array(fc.record({ id: fc.integer({ min: 0, max: 30 }), dt: fc.integer({ min: 0, max: 400 }) }), { maxLength: 200 }),
    fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 20 }),
    (ops, ttlMs, maxEntries) => {
      let now = 0
      const cache = new SeenCache({ ttlMs, maxEntries, now: () => now })
      const model = new Map() // id → expiry, insertion-ordered like the cache
      for (const { id, dt } of ops) {
        now += dt
        const key = String(id)
        const live = model.has(key) && model.get(key) > now
        assert.is(cache.has(key), live)
        assert.is(cache.add(key), !live)
        if (!live) { model.delete(key); model.set(key, now + ttlMs) }
        while (model.size > maxEntries) model.delete(model.keys().next().value)
        assert.ok(cache.size <= maxEntries)
        cache.prune()
        for (const [k, exp] of model) if (exp <= now) model.delete(k)
        assert.is(cache.size, model.size)
      }
    }), { numRuns: 300 })
})

test('seen cache: prune drops only expired ids', () => {
  let now = 0
  const cache = new SeenCache({ ttlMs: 100, now: () => now })
  cache.add('a'); now = 50; cache.add('b'); now = 100
  cache.prune()
  assert.is(cache.size, 1)
  assert.not.ok(cache.has('a'))
  assert.ok(cache.has('b'))
})

test('message cache: gossip ids come from the last mcache_gossip windows; messages live mcache_len windows', () => {
  const mc = new MessageCache({ length: 5, gossip: 3 })
  const msg = (n, topic = 't') => ({ topic, data: Uint8Array.of(n) })
  for (let w = 0; w < 6; w++) {
    mc.put(`m${w}`, Uint8Array.of(w), msg(w))
    mc.put(`o${w}`, Uint8Array.of(100 + w), msg(w, 'other'))
    if (w < 5) mc.shift()
  }
  assert.equal(mc.getGossipIds('t').map(id => id[0]), [5, 4, 3])
  assert.ok(mc.get('m1') !== undefined)
  assert.is(mc.get('m0'), undefined, 'the oldest window is gone after mcache_len shifts')
  assert.is(mc.size, 10)
})

test('message cache: serves a message to a peer at most as often as counted, and stays under its cap', () => {
  const mc = new MessageCache({ maxMessages: 3 })
  for (let i = 0; i < 10; i++) mc.put(`k${i}`, Uint8Array.of(i), { topic: 't' })
  assert.is(mc.size, 3)
  assert.equal([mc.has('k7'), mc.has('k8'), mc.has('k9'), mc.has('k0')], [true, true, true, false])
  assert.is(mc.getForPeer('k9', 'p').count, 1)
  assert.is(mc.getForPeer('k9', 'p').count, 2)
  assert.is(mc.getForPeer('k9', 'q').count, 1)
})

test.run()
