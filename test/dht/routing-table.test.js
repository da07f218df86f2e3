// Routing table: bucket placement, least-recently-seen eviction behind a liveness check,
// replacement caches, closestPeers against brute force, refresh hooks.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { RoutingTable } from '../../dist/dht/routing-table.js'
import { randomIdInBucket } from '../../dist/dht/refresh.js'
import { contactOf, contactsOf, kadKey } from '../../dist/dht/contact.js'
import { commonPrefixLength } from '../../dist/dht/xor/index.js'
import { referenceClosest, rng } from './helpers/random.js'

/** A contact whose key shares exactly `bits` leading bits with `self` (ids are opaque here). */
function contactIn (r, self, bits) {
  const key = r.bytes(32)
  const byte = bits >> 3, bit = 0x80 >> (bits & 7), keep = (0xff00 >> (bits & 7)) & 0xff
  key.set(self.subarray(0, byte))
  key[byte] = (self[byte] & keep) | (~self[byte] & bit) | (key[byte] & ~(keep | bit) & 0xff)
  return { id: key.slice(), key }
}

const keysOf = contacts => contacts.map(c => Array.from(c.key).join())

test('contacts land in the bucket of their common prefix length; self is ignored', async () => {
  const r = rng(1)
  const self = r.bytes(32)
  const table = new RoutingTable(self)
  for (let bits = 0; bits < 256; bits += 5) {
    const c = contactIn(r, self, bits)
    assert.is(await table.add(c), 'added')
    assert.is(table.bucketIndex(c.key), bits)
    assert.is(table.bucket(bits).length, 1)
    assert.is(table.find(c.key), c)
  }
  assert.is(await table.add({ id: self, key: self }), 'ignored')
  assert.is(table.size, 52)
})

test('a contact seen again moves to the tail; the bucket keeps least-recently seen first', async () => {
  const r = rng(2)
  const self = r.bytes(32)
  const table = new RoutingTable(self, { k: 4 })
  const cs = [0, 1, 2, 3].map(() => contactIn(r, self, 3))
  for (const c of cs) await table.add(c)
  assert.is(await table.add(cs[1]), 'updated')
  assert.equal(keysOf(table.bucket(3)), keysOf([cs[0], cs[2], cs[3], cs[1]]))
})

test('full bucket, oldest alive: newcomer cached, oldest moves to the tail', async () => {
  const r = rng(3)
  const self = r.bytes(32)
  const pinged = []
  const table = new RoutingTable(self, { k: 3, ping: async c => { pinged.push(c); return true } })
  const cs = [0, 1, 2].map(() => contactIn(r, self, 0))
  for (const c of cs) await table.add(c)
  const late = contactIn(r, self, 0)
  assert.is(await table.add(late), 'cached')
  assert.equal(keysOf(pinged), keysOf([cs[0]]))
  assert.equal(keysOf(table.bucket(0)), keysOf([cs[1], cs[2], cs[0]]))
  assert.equal(keysOf(table.replacements(0)), keysOf([late]))
  assert.not.ok(table.has(late.key))
})

test('full bucket, oldest dead: oldest evicted, freshest replacement promoted, events fire', async () => {
  const r = rng(4)
  const self = r.bytes(32)
  const dead = new Set()
  const table = new RoutingTable(self, { k: 3, ping: async c => !dead.has(c) })
  const added = [], removed = []
  table.addEventListener('peer:added', e => added.push(e.detail))
  table.addEventListener('peer:removed', e => removed.push(e.detail))
  const cs = [0, 1, 2].map(() => contactIn(r, self, 1))
  for (const c of cs) await table.add(c)
  dead.add(cs[0])
  const late = contactIn(r, self, 1)
  assert.is(await table.add(late), 'added')
  assert.equal(keysOf(table.bucket(1)), keysOf([cs[1], cs[2], late]))
  assert.equal(keysOf(removed), keysOf([cs[0]]))
  assert.equal(keysOf(added), keysOf([...cs, late]))
  assert.not.ok(table.has(cs[0].key))
})

test('a throwing or hanging liveness check counts as dead; concurrent adds share one check', async () => {
  const r = rng(5)
  const self = r.bytes(32)
  let checks = 0
  const table = new RoutingTable(self, {
    k: 2,
    livenessTimeoutMs: 30,
    ping: (c, signal) => { checks++; return new Promise((resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')))) }
  })
  const cs = [0, 1].map(() => contactIn(r, self, 2))
  for (const c of cs) await table.add(c)
  const late = [0, 1, 2].map(() => contactIn(r, self, 2))
  const results = await Promise.all(late.map(c => table.add(c)))
  assert.is(checks, 1)
  // The oldest was evicted; the freshest newcomer took its place; the rest wait in the cache.
  assert.equal(keysOf(table.bucket(2)), keysOf([cs[1], late[2]]))
  assert.equal(results, ['cached', 'cached', 'added'])
  assert.equal(keysOf(table.replacements(2)), keysOf([late[0], late[1]]))

  const throwing = new RoutingTable(self, { k: 1, ping: async () => { throw new Error('refused') } })
  await throwing.add(cs[0])
  assert.is(await throwing.add(cs[1]), 'added')
  assert.equal(keysOf(throwing.bucket(2)), keysOf([cs[1]]))
})

test('without a liveness check a full bucket never evicts; the cache is bounded', async () => {
  const r = rng(6)
  const self = r.bytes(32)
  const table = new RoutingTable(self, { k: 2, replacementCacheSize: 3 })
  const cs = Array.from({ length: 10 }, () => contactIn(r, self, 4))
  for (const c of cs) await table.add(c)
  assert.equal(keysOf(table.bucket(4)), keysOf(cs.slice(0, 2)))
  assert.equal(keysOf(table.replacements(4)), keysOf(cs.slice(7)))
})

test('remove promotes the freshest replacement', async () => {
  const r = rng(7)
  const self = r.bytes(32)
  const table = new RoutingTable(self, { k: 2 })
  const cs = Array.from({ length: 4 }, () => contactIn(r, self, 9))
  for (const c of cs) await table.add(c)
  assert.ok(table.remove(cs[0].key))
  assert.equal(keysOf(table.bucket(9)), keysOf([cs[1], cs[3]]))
  assert.equal(keysOf(table.replacements(9)), keysOf([cs[2]]))
  assert.not.ok(table.remove(r.bytes(32)))
  assert.is(table.size, 2)
})

test('closestPeers equals brute force through adds and removes', async () => {
  const r = rng(8)
  const self = r.bytes(32)
  const table = new RoutingTable(self, { k: 20 })
  const all = Array.from({ length: 600 }, (_, i) => contactOf(new Uint8Array([0, 36, ...r.bytes(36)])))
  for (const c of all) await table.add(c)
  for (let round = 0; round < 30; round++) {
    const present = [...table.contacts()]
    assert.is(present.length, table.size)
    const target = r.bytes(32)
    const want = referenceClosest(present.map(c => c.key), target, 20).map(i => present[i])
    assert.equal(keysOf(table.closestPeers(target, 20)), keysOf(want))
    table.remove(present[r.int(present.length)].key)
  }
})

test('refresh hooks: due buckets, random keys and ids inside a bucket', async () => {
  const r = rng(9)
  let now = 1000
  const self = r.bytes(32)
  const table = new RoutingTable(self, { now: () => now })
  for (const bits of [0, 1, 3]) await table.add(contactIn(r, self, bits))
  assert.equal(table.bucketsNeedingRefresh(), [])
  now += 10 * 60_000
  assert.equal(table.bucketsNeedingRefresh(), [0, 1, 2, 3])
  table.markRefreshed(2)
  assert.equal(table.bucketsNeedingRefresh(), [0, 1, 3])
  for (let i = 0; i < 256; i += 17) assert.is(commonPrefixLength(self, table.randomKeyInBucket(i)), i)
  for (const i of [0, 3, 8]) {
    const id = randomIdInBucket(self, i)
    assert.is(id.length, 34)
    assert.is(commonPrefixLength(self, contactOf(id).key), i)
  }
})

test('contactsOf hashes a batch exactly like contactOf, for equal and mixed id lengths', () => {
  const r = rng(10)
  const equal = Array.from({ length: 50 }, () => r.bytes(38))
  const mixed = Array.from({ length: 20 }, (_, i) => r.bytes(30 + i))
  for (const ids of [equal, mixed, []]) {
    const batch = contactsOf(ids)
    assert.is(batch.length, ids.length)
    batch.forEach((c, i) => { assert.equal(c.key, contactOf(ids[i]).key); assert.is(c.id, ids[i]) })
  }
  assert.equal(contactOf(new Uint8Array(0)).key, kadKey(new Uint8Array(0)))
})

test.run()
