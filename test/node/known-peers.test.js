// Reconnecting to known peers (knownPeers() service, reconnectKnownPeers): once the node
// listens it dials the peers its store remembers, best first (tag value, then recency),
// at most maxDials of them, skipping itself, peers without addresses and peers it is
// already connected to; dead ones are reported as failed. On a persistent peer store this
// is what makes a restarted node rejoin (see test/cli/restart.node.test.js).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createNode, knownPeers, reconnectKnownPeers, MemoryPeerStore, PersistentPeerStore, MemoryDatastore, IndexedDbDatastore, generateKeyPair, multiaddr } from '../../dist/index.js'
import { memory } from '../../dist/transport/index.js'
import { waitFor } from '../helpers/wait.js'

const listening = () => createNode({ transports: [memory()], listen: ['/memory/0'] })
const bare = node => node.getMultiaddrs()[0].decapsulateCode(421)

test('dials the best known peers once listening, at most maxDials', async () => {
  const [b, c, d] = await Promise.all([listening(), listening(), listening()])
  // A clock that moves on every read, so each merge below is strictly more recent than the last.
  let now = Date.now()
  const store = new MemoryPeerStore({ clock: () => now++ })
  await store.merge(c.peerId, { addresses: [{ multiaddr: bare(c) }] })
  await store.merge(b.peerId, { addresses: [{ multiaddr: bare(b) }], tags: { friend: { value: 80 } } })
  await store.merge(d.peerId, { addresses: [{ multiaddr: bare(d) }] })
  const a = await createNode({ transports: [memory()], listen: ['/memory/0'], peerStore: store, services: { known: knownPeers({ maxDials: 2 }) } })
  try {
    const result = await a.services.known.done
    assert.equal([...result.connected].sort(), [b.peerId.toString(), d.peerId.toString()].sort(), 'the tagged peer and the most recently updated one')
    assert.equal(result.failed, [])
    assert.is(a.getConnections(b.peerId).length, 1)
    assert.is(a.getConnections(c.peerId).length, 0, 'beyond maxDials')
  } finally {
    await Promise.all([a.stop(), b.stop(), c.stop(), d.stop()])
  }
})

test('skips itself, peers without addresses and connected peers; reports dead ones', async () => {
  const b = await listening()
  const a = await listening()
  try {
    await a.dial(b.getMultiaddrs()[0])
    const ghost = await createNode({ start: false })
    await a.peerStore.merge(a.peerId, { addresses: [{ multiaddr: bare(a) }] })
    await a.peerStore.merge(ghost.peerId, { addresses: [{ multiaddr: multiaddr('/memory/no-such-listener') }] })
    await a.peerStore.merge('12D3KooWNoAddresses', { protocols: ['/x'] })
    const result = await reconnectKnownPeers(a)
    assert.equal(result.connected, [])
    assert.equal(result.failed, [ghost.peerId.toString()])
  } finally {
    await Promise.all([a.stop(), b.stop()])
  }
})

test('a node restarted on a persistent peer store (IndexedDB in browsers) reconnects to the peer it knew', async () => {
  const friend = await listening()
  const name = `wasp2p-known-${Date.now()}`
  const shared = new MemoryDatastore()
  // IndexedDB where there is one (a page reload); a datastore whose close keeps its content otherwise.
  const open = typeof indexedDB !== 'undefined'
    ? async () => await IndexedDbDatastore.open(name)
    : async () => ({ get: k => shared.get(k), put: (k, v) => shared.put(k, v), delete: k => shared.delete(k), has: k => shared.has(k), query: q => shared.query(q), close: async () => {} })
  const privateKey = await generateKeyPair('Ed25519')
  try {
    let datastore = await open()
    let node = await createNode({ transports: [memory()], listen: ['/memory/0'], privateKey, peerStore: await PersistentPeerStore.open(datastore) })
    await node.peerStore.merge(friend.peerId, { addresses: [{ multiaddr: bare(friend) }] })
    await node.stop()
    await datastore.close()

    datastore = await open()
    const peerStore = await PersistentPeerStore.open(datastore)
    assert.ok(await peerStore.has(friend.peerId), 'the friend was kept')
    node = await createNode({ transports: [memory()], listen: ['/memory/0'], privateKey, peerStore, services: { known: knownPeers() } })
    const result = await node.services.known.done
    assert.equal(result.connected, [friend.peerId.toString()])
    await waitFor(() => friend.getConnections(node.peerId).length === 1, 'the friend to see the restarted node', 10_000)
    await node.stop()
    await datastore.close()
  } finally {
    await friend.stop()
  }
})

test.run()
