// A private key kept in a datastore (how a page keeps its peer id across visits):
// created once, then the same key (and peer id) on every later load; the bytes are the
// libp2p protobuf key format; garbage under the key is a named error. On the in-memory
// datastore everywhere and on IndexedDB in browsers, reopening the database in between.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { loadOrCreateStoredPrivateKey, PRIVATE_KEY_DATASTORE_KEY, privateKeyFromProtobuf, peerIdFromPrivateKey, MemoryDatastore, IndexedDbDatastore } from '../../dist/index.js'
import { InvalidPrivateKeyError } from '../../dist/keys/index.js'

function checks (name, open) {
  test(`${name}: created once, then kept`, async () => {
    let ds = await open()
    const first = await loadOrCreateStoredPrivateKey(ds)
    assert.ok(first.created)
    assert.ok(privateKeyFromProtobuf(await ds.get(PRIVATE_KEY_DATASTORE_KEY)).publicKey.equals(first.key.publicKey), 'stored as a key protobuf')
    await ds.close()
    ds = await open()
    const again = await loadOrCreateStoredPrivateKey(ds)
    assert.not.ok(again.created)
    assert.is(peerIdFromPrivateKey(again.key).toString(), peerIdFromPrivateKey(first.key).toString())
    await ds.put(PRIVATE_KEY_DATASTORE_KEY, new Uint8Array([8, 1, 18, 3, 1, 2, 3]))
    assert.instance(await loadOrCreateStoredPrivateKey(ds).catch(e => e), InvalidPrivateKeyError)
    await ds.close()
  })
}

const shared = new MemoryDatastore()
checks('memory datastore', async () => ({ get: k => shared.get(k), put: (k, v) => shared.put(k, v), delete: k => shared.delete(k), has: k => shared.has(k), query: q => shared.query(q), close: async () => {} }))
if (typeof indexedDB !== 'undefined') {
  const name = `wasp2p-key-${Date.now()}`
  checks('IndexedDB', async () => await IndexedDbDatastore.open(name))
}

test.run()
