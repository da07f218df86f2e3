// The DHT record and provider stores on a datastore: a store reopened on the same
// datastore serves what was put, with its expiry carried over; deletes, expiries and
// prunes reach the datastore; undecodable entries are dropped on open. In-memory
// datastore everywhere, IndexedDB in browsers (LevelDB behind the same contract: test/datastore/).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { RecordStore, ProviderStore, RECORD_STORE_PREFIX, PROVIDER_STORE_PREFIX, RECORD_TTL_MS, PROVIDER_TTL_MS, PROVIDER_ADDRS_TTL_MS } from '../../dist/dht/index.js'
import { MemoryDatastore, IndexedDbDatastore } from '../../dist/datastore/index.js'
import { rng } from './helpers/random.js'

const r = rng(91)
const utf8 = s => new TextEncoder().encode(s)
const concat = (...parts) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let at = 0; for (const p of parts) { out.set(p, at); at += p.length } return out }
function pkRecord () {
  const value = concat([0x08, 0x01, 0x12, 0x20], r.bytes(32))
  return { key: concat(utf8('/pk/'), [0x00, value.length], value), value, timeReceived: '' }
}
const clockAt = start => { const now = () => now.t; now.t = start; return now }

async function keys (datastore, prefix) {
  const out = []
  for await (const { key } of datastore.query({ prefix })) out.push(key)
  return out
}

function storeChecks (name, openDatastore) {
  test(`${name}: records survive a reopen, keep their expiry, and deletes reach the datastore`, async () => {
    const now = clockAt(Date.parse('2026-01-01T00:00:00Z'))
    let ds = await openDatastore()
    let store = await RecordStore.open(ds, { now })
    const [a, b, c] = [pkRecord(), pkRecord(), pkRecord()]
    for (const rec of [a, b, c]) assert.ok(await store.put(rec))
    store.delete(c.key)
    await store.flush()
    await ds.close()

    ds = await openDatastore()
    now.t += RECORD_TTL_MS - 1000
    store = await RecordStore.open(ds, { now })
    assert.is(store.size, 2)
    assert.equal([...store.get(a.key).value], [...a.value])
    assert.equal([...store.get(b.key).value], [...b.value])
    assert.is(store.get(c.key), undefined)
    now.t += 1000
    assert.is(store.get(a.key), undefined, 'the reloaded record expires when it would have')
    assert.is(store.prune(), 1)
    await store.flush()
    assert.equal(await keys(ds, RECORD_STORE_PREFIX), [], 'expiry and prune deleted both from the datastore')
    await ds.put(RECORD_STORE_PREFIX + 'junk', new Uint8Array([0xff, 0xff]))
    await ds.close()
    ds = await openDatastore()
    store = await RecordStore.open(ds, { now })
    assert.is(store.size, 0)
    assert.is(await ds.has(RECORD_STORE_PREFIX + 'junk'), false, 'an undecodable entry is dropped')
    await ds.close()
  })

  test(`${name}: providers survive a reopen with their ages; addresses and providers expire on time`, async () => {
    const now = clockAt(1_000_000_000)
    let ds = await openDatastore()
    let store = await ProviderStore.open(ds, { now })
    const key = r.bytes(32)
    const p1 = { id: r.bytes(34), addrs: [r.bytes(8)] }
    const p2 = { id: r.bytes(34), addrs: [r.bytes(8), r.bytes(8)] }
    store.add(key, p1)
    now.t += 10
    store.add(key, p2)
    await store.flush()
    await ds.close()

    ds = await openDatastore()
    store = await ProviderStore.open(ds, { now })
    let got = store.get(key)
    assert.equal(got.map(p => [...p.id]), [[...p2.id], [...p1.id]], 'most recent first')
    assert.equal(got[0].addrs.map(a => [...a]), p2.addrs.map(a => [...a]))
    now.t += PROVIDER_ADDRS_TTL_MS
    got = store.get(key)
    assert.equal(got.map(p => p.addrs.length), [0, 0], 'addresses are stale after PROVIDER_ADDRS_TTL_MS')
    now.t = 1_000_000_000 + PROVIDER_TTL_MS
    got = store.get(key)
    assert.is(got.length, 1, 'the first provider expired')
    await store.flush()
    await ds.close()
    ds = await openDatastore()
    store = await ProviderStore.open(ds, { now })
    assert.is(store.get(key).length, 1, 'its expiry was written through')
    now.t += 10
    assert.is(store.prune(), 1)
    await store.flush()
    assert.equal(await keys(ds, PROVIDER_STORE_PREFIX), [])
    await ds.close()
  })
}

const shared = new MemoryDatastore()
storeChecks('memory datastore', async () => ({
  get: k => shared.get(k), put: (k, v) => shared.put(k, v), delete: k => shared.delete(k), has: k => shared.has(k),
  query: q => shared.query(q), close: async () => {}
}))

test('without a datastore the stores stay in memory (the default)', async () => {
  const store = new RecordStore()
  assert.ok(await store.put(pkRecord()))
  await store.flush()
  assert.is(store.size, 1)
})

if (typeof indexedDB !== 'undefined') {
  const name = `wasp2p-dht-${Date.now()}`
  storeChecks('IndexedDB', async () => await IndexedDbDatastore.open(name))
}

test.run()
