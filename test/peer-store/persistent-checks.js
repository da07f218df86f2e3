// What a persistent peer store adds to the compliance suite, for any datastore:
// a reopened store reads back every field as it was (expiry times and tags included),
// deletes and evictions reach the datastore, corrupt records are dropped on load.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '@multiformats/multiaddr'
import { PersistentPeerStore, PEER_STORE_PREFIX } from '../../dist/peer-store/index.js'
import { generateKeyPair } from '../../dist/keys/index.js'
import { peerIdFromPrivateKey } from '../../dist/peer-id/index.js'
import { fakeClock } from './suite.js'

const view = p => ({
  ...p,
  publicKey: p.publicKey?.toString(),
  addresses: p.addresses.map(a => [a.multiaddr.toString(), a.certified, a.expires]),
  metadata: [...p.metadata].map(([k, v]) => [k, [...v]]),
  tags: [...p.tags],
  peerRecordEnvelope: p.peerRecordEnvelope && [...p.peerRecordEnvelope]
})

const byId = (a, b) => a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/** `open()` resolves with a datastore over the same storage each time (a reopen); `close(ds)` closes one. */
export function persistentChecks (name, open) {
  const test = suite(`persistent peer store: ${name}`)

  test('a reopened store reads back every field as it was', async () => {
    const clock = fakeClock()
    const key = await generateKeyPair('Ed25519')
    const id = peerIdFromPrivateKey(key).toString()
    let datastore = await open()
    let store = await PersistentPeerStore.open(datastore, { clock })
    await store.merge(id, {
      addresses: [{ multiaddr: multiaddr('/ip4/10.0.0.1/tcp/4001'), certified: true }, { multiaddr: multiaddr('/ip4/10.0.0.2/tcp/4001'), ttl: 60_000 }],
      protocols: ['/ipfs/id/1.0.0', '/ipfs/ping/1.0.0'],
      publicKey: key.publicKey,
      peerRecordEnvelope: new Uint8Array([1, 2, 3]),
      metadata: { AgentVersion: new TextEncoder().encode('wasp2p/0.1.0') },
      tags: { keep: { value: 50 }, brief: { value: 5, ttl: 10_000 } }
    })
    await store.merge('12D3KooWOther', { protocols: ['/x/1'] })
    const before = (await store.all()).map(view).sort(byId)
    await datastore.close()

    datastore = await open()
    store = await PersistentPeerStore.open(datastore, { clock })
    assert.equal((await store.all()).map(view).sort(byId), before)
    const peer = await store.get(id)
    assert.ok(peer.publicKey.equals(key.publicKey), 'the public key comes back as a key')
    clock.now += 10_000
    assert.equal([...(await store.get(id)).tags.keys()], ['keep'], 'a tag expires after a reopen as it would have before')
    await datastore.close()
  })

  test('deletes and evictions reach the datastore', async () => {
    const clock = fakeClock()
    let datastore = await open()
    let store = await PersistentPeerStore.open(datastore, { clock, maxPeers: 2 })
    for (const p of (await store.all())) await store.delete(p.id)
    await store.merge('p1', { protocols: ['/a'] }); clock.now++
    await store.merge('p2', { protocols: ['/a'] }); clock.now++
    await store.merge('p3', { protocols: ['/a'] }) // evicts p1
    await store.delete('p2')
    await datastore.close()
    datastore = await open()
    store = await PersistentPeerStore.open(datastore, { clock, maxPeers: 2 })
    assert.equal((await store.all()).map(p => p.id), ['p3'])
    await datastore.close()
  })

  test('a corrupt record is dropped on load, and the rest loads', async () => {
    let datastore = await open()
    let store = await PersistentPeerStore.open(datastore)
    await store.merge('good', { protocols: ['/a'] })
    await datastore.put(PEER_STORE_PREFIX + 'garbage', new Uint8Array([0xff, 0x00, 0x7b]))
    await datastore.put(PEER_STORE_PREFIX + 'badversion', new TextEncoder().encode('{"v":99}'))
    await datastore.put(PEER_STORE_PREFIX + 'badaddr', new TextEncoder().encode('{"v":1,"id":"badaddr","addresses":[["/ip4/x",false,null]],"protocols":[],"publicKey":null,"envelope":null,"metadata":[],"tags":[],"updated":1}'))
    await datastore.put(PEER_STORE_PREFIX + 'mismatch', (await datastore.get(PEER_STORE_PREFIX + 'good')))
    await datastore.close()
    datastore = await open()
    store = await PersistentPeerStore.open(datastore)
    assert.ok(await store.has('good'))
    assert.is(store.droppedOnLoad, 4)
    assert.is(await datastore.has(PEER_STORE_PREFIX + 'garbage'), false, 'dropped from the datastore too')
    await datastore.close()
  })

  test.run()
}
