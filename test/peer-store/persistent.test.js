// The persistent peer store against the peer-store compliance suite and the persistence
// checks: on the in-memory datastore everywhere, on IndexedDB in browsers.
import { MemoryDatastore, IndexedDbDatastore } from '../../dist/datastore/index.js'
import { PersistentPeerStore } from '../../dist/peer-store/index.js'
import { peerStoreSuite } from './suite.js'
import { persistentChecks } from './persistent-checks.js'

peerStoreSuite('persistent on a memory datastore', async options => await PersistentPeerStore.open(new MemoryDatastore(), options))

// One MemoryDatastore stands for the storage; "closing" it would empty it, so reopen hands out a view that ignores close.
const shared = new MemoryDatastore()
persistentChecks('memory datastore', async () => ({
  get: k => shared.get(k), put: (k, v) => shared.put(k, v), delete: k => shared.delete(k), has: k => shared.has(k),
  query: q => shared.query(q), close: async () => {}
}))

if (typeof indexedDB !== 'undefined') {
  let n = 0
  peerStoreSuite('persistent on IndexedDB', async options => await PersistentPeerStore.open(await IndexedDbDatastore.open(`wasp2p-ps-${Date.now()}-${n++}`), options))
  const name = `wasp2p-ps-reopen-${Date.now()}`
  persistentChecks('IndexedDB', async () => await IndexedDbDatastore.open(name))
}
