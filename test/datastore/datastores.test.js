// The in-memory datastore everywhere and, in browsers, the IndexedDB one, against the
// datastore compliance suite; then reopening an IndexedDB database finds what was written.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { MemoryDatastore, IndexedDbDatastore, openPersistentDatastore, persistentDatastoreKind } from '../../dist/datastore/index.js'
import { datastoreSuite } from './compliance.js'

datastoreSuite('memory', async () => new MemoryDatastore())

const hasIndexedDb = typeof indexedDB !== 'undefined'
let counter = 0
const freshName = () => `wasp2p-test-${Date.now()}-${counter++}-${Math.random().toString(36).slice(2)}`

if (hasIndexedDb) {
  datastoreSuite('indexeddb', async () => await IndexedDbDatastore.open(freshName()))

  test('indexeddb: the persistent datastore of a browser, and a reopened database keeps its entries', async () => {
    assert.is(persistentDatastoreKind, 'indexeddb')
    const name = freshName()
    const first = await openPersistentDatastore(name)
    await first.put('/peers/x', new Uint8Array([1, 2]))
    await first.close()
    const second = await openPersistentDatastore(name)
    assert.equal([...await second.get('/peers/x')], [1, 2])
    await second.close()
  })
} else {
  test('outside a browser: no IndexedDB, and opening one says so with a named error', async () => {
    const err = await IndexedDbDatastore.open('x').catch(e => e)
    assert.is(err.name, 'DatastoreUnavailableError')
  })
}

test.run()
