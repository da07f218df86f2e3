// Peer store invariants under random operation sequences (seeded, bounded): the
// peer count never exceeds maxPeers, per-peer caps hold, nothing expired is ever
// read back, and a tagged peer is never evicted while an untagged one remains
// (at most half the slots are ever tagged).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '@multiformats/multiaddr'
import { MemoryPeerStore, PersistentPeerStore, MAX_ADDRESSES_PER_PEER, MAX_PROTOCOLS_PER_PEER } from '../../dist/peer-store/index.js'
import { MemoryDatastore } from '../../dist/datastore/index.js'

// The persistent store runs the same sequences; at the end, a store reopened on its
// datastore must read back exactly what the live one holds.
const BACKENDS = {
  memory: async options => ({ store: new MemoryPeerStore(options) }),
  persistent: async options => {
    const datastore = new MemoryDatastore()
    return { store: await PersistentPeerStore.open(datastore, options), reopen: async () => await PersistentPeerStore.open(datastore, options) }
  }
}

const OPERATIONS = 3000
const MAX_PEERS = 20

function rng (seed) {
  let x = seed | 0 || 1
  return () => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) / 2 ** 32 }
}

for (const [backend, make] of Object.entries(BACKENDS)) for (const seed of [11, 12, 13]) {
  test(`${backend}, seed ${seed}: ${OPERATIONS} random operations keep the invariants`, async () => {
    const random = rng(seed)
    const pick = n => Math.floor(random() * n)
    const clock = () => clock.now
    clock.now = 1_000_000
    const { store, reopen } = await make({ maxPeers: MAX_PEERS, clock })
    const protected_ = new Set()
    store.addEventListener('peer:delete', e => {
      if (e.detail.reason !== 'evicted') return
      // At most half the slots are tagged, so an untagged peer is always there to go first.
      assert.not.ok(protected_.has(e.detail.peer.id), `evicted tagged ${e.detail.peer.id} while untagged peers remained`)
    })
    for (let i = 0; i < OPERATIONS; i++) {
      const id = `peer-${pick(60)}`
      const op = pick(6)
      clock.now += pick(50)
      if (op === 0) {
        const addresses = Array.from({ length: pick(100) }, () => ({ multiaddr: multiaddr(`/ip4/10.0.${pick(4)}.${pick(250)}/tcp/${1 + pick(1000)}`), ttl: random() < 0.5 ? pick(500) : undefined, certified: random() < 0.2 }))
        await store.merge(id, { addresses })
      } else if (op === 1) {
        await store.patch(id, { protocols: Array.from({ length: pick(300) }, () => `/p/${pick(1000)}`) })
      } else if (op === 2 && !protected_.has(id) && protected_.size < MAX_PEERS / 2) {
        await store.merge(id, { tags: { keep: { value: 10 } } })
        protected_.add(id)
      } else if (op === 3) {
        await store.delete(id)
        protected_.delete(id)
      } else {
        await store.merge(id, { protocols: [`/q/${pick(5)}`] })
      }
      assert.ok(store.size <= MAX_PEERS)
      if (i % 50 === 0) {
        for (const peer of await store.all()) {
          assert.ok(peer.addresses.length <= MAX_ADDRESSES_PER_PEER)
          assert.ok(peer.protocols.length <= MAX_PROTOCOLS_PER_PEER)
          assert.is(new Set(peer.protocols).size, peer.protocols.length, 'no duplicate protocols')
          assert.is(new Set(peer.addresses.map(a => a.multiaddr.toString())).size, peer.addresses.length, 'no duplicate addresses')
          assert.ok(peer.addresses.every(a => a.expires > clock.now), 'no expired address is read back')
          for (let k = 1; k < peer.addresses.length; k++) assert.ok(peer.addresses[k - 1].certified || !peer.addresses[k].certified, 'certified first')
        }
      }
    }
    // All protected peers that were not deleted are still there.
    for (const id of protected_) assert.ok(await store.has(id), `${id} (tagged) survived`)
    if (reopen !== undefined) {
      const view = peers => peers.map(p => JSON.stringify({ ...p, addresses: p.addresses.map(a => [a.multiaddr.toString(), a.certified, a.expires]), metadata: [...p.metadata], tags: [...p.tags] })).sort()
      assert.equal(view(await (await reopen()).all()), view(await store.all()), 'reopened store = live store')
    }
  })
}

test.run()
