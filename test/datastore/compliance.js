// The datastore compliance suite, run against every Datastore: get/put/has/delete,
// copies in and out, ordered prefix queries with limits (across IndexedDB's query
// batches), the key and value limits, and use after close. `make()` resolves with a
// fresh, empty store.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import {
  DatastoreClosedError, InvalidDatastoreEntryError, MAX_DATASTORE_KEY_LENGTH, MAX_DATASTORE_VALUE_SIZE, INDEXEDDB_QUERY_BATCH
} from '../../dist/datastore/index.js'

const bytes = (...b) => new Uint8Array(b)

async function collect (iterable) {
  const out = []
  for await (const entry of iterable) out.push(entry)
  return out
}

export function datastoreSuite (name, make) {
  const test = suite(`datastore: ${name}`)

  test('put, get, has, delete', async () => {
    const store = await make()
    assert.is(await store.get('/a'), undefined)
    assert.is(await store.has('/a'), false)
    await store.put('/a', bytes(1, 2, 3))
    assert.equal([...await store.get('/a')], [1, 2, 3])
    assert.ok(await store.has('/a'))
    await store.put('/a', bytes(4))
    assert.equal([...await store.get('/a')], [4], 'put replaces')
    await store.delete('/a')
    await store.delete('/a')
    assert.is(await store.get('/a'), undefined, 'deleted (twice, without error)')
    await store.close()
  })

  test('values are copied in and out', async () => {
    const store = await make()
    const value = bytes(7, 7)
    await store.put('/v', value)
    value[0] = 0
    const read = await store.get('/v')
    assert.instance(read, Uint8Array)
    read[1] = 9
    assert.equal([...await store.get('/v')], [7, 7])
    const view = new Uint8Array(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2)
    await store.put('/view', view)
    assert.equal([...await store.get('/view')], [2, 3], 'a view stores its own bytes only')
    await store.close()
  })

  test('query: by prefix, in key order, with a limit', async () => {
    const store = await make()
    for (const key of ['/peers/c', '/peers/a', '/dht/x', '/peers/b', '/peersX', '/peer']) await store.put(key, new TextEncoder().encode(key))
    const peers = await collect(store.query({ prefix: '/peers/' }))
    assert.equal(peers.map(e => e.key), ['/peers/a', '/peers/b', '/peers/c'])
    assert.equal(peers.map(e => new TextDecoder().decode(e.value)), ['/peers/a', '/peers/b', '/peers/c'])
    assert.equal((await collect(store.query({ prefix: '/peers/', limit: 2 }))).map(e => e.key), ['/peers/a', '/peers/b'])
    assert.equal((await collect(store.query())).length, 6)
    assert.equal(await collect(store.query({ prefix: '/none/' })), [])
    assert.equal(await collect(store.query({ limit: 0 })), [])
    await store.close()
  })

  test(`query: more entries than one batch (${INDEXEDDB_QUERY_BATCH}), with awaits between them`, async () => {
    const store = await make()
    const n = INDEXEDDB_QUERY_BATCH * 2 + 3
    for (let i = 0; i < n; i++) await store.put(`/many/${String(i).padStart(4, '0')}`, bytes(i & 0xff))
    const seen = []
    for await (const { key, value } of store.query({ prefix: '/many/' })) {
      await new Promise(resolve => setTimeout(resolve, 0))
      seen.push([key, value[0]])
    }
    assert.is(seen.length, n)
    assert.ok(seen.every(([key, v], i) => key === `/many/${String(i).padStart(4, '0')}` && v === (i & 0xff)))
    assert.is((await collect(store.query({ prefix: '/many/', limit: INDEXEDDB_QUERY_BATCH + 1 }))).length, INDEXEDDB_QUERY_BATCH + 1)
    await store.close()
  })

  test('limits: empty or over-long keys, non-byte or over-large values', async () => {
    const store = await make()
    for (const bad of [() => store.put('', bytes(1)), () => store.get('x'.repeat(MAX_DATASTORE_KEY_LENGTH + 1)),
      () => store.put('/k', 'text'), () => store.put('/k', new Uint8Array(MAX_DATASTORE_VALUE_SIZE + 1))]) {
      const err = await bad().catch(e => e)
      assert.instance(err, InvalidDatastoreEntryError)
    }
    await store.put('x'.repeat(MAX_DATASTORE_KEY_LENGTH), bytes(1))
    assert.ok(await store.has('x'.repeat(MAX_DATASTORE_KEY_LENGTH)), 'a key of exactly the limit is fine')
    assert.instance(await collect(store.query({ limit: -1 })).catch(e => e), RangeError)
    await store.close()
  })

  test('after close every call throws DatastoreClosedError', async () => {
    const store = await make()
    await store.put('/a', bytes(1))
    await store.close()
    await store.close()
    for (const call of [() => store.get('/a'), () => store.put('/a', bytes(1)), () => store.has('/a'), () => store.delete('/a'), () => collect(store.query())]) {
      assert.instance(await call().catch(e => e), DatastoreClosedError)
    }
  })

  test.run()
}
