// The peer-store compliance suite: patch vs merge, address TTLs, limits that bound what a
// remote can make us keep, tags with expiry, eviction order, events, copy-on-read. Run
// against every PeerStore: `peerStoreSuite(name, make)` where `make(options)` resolves
// with a store built with MemoryPeerStoreOptions ({ maxPeers, clock }).
import { suite as uvuSuite } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '@multiformats/multiaddr'
import {
  PeerStoreLimitError, MAX_ADDRESSES_PER_PEER, MAX_PROTOCOLS_PER_PEER,
  MAX_PROTOCOL_LENGTH, MAX_METADATA_VALUE_SIZE, MAX_METADATA_ENTRIES, MAX_TAGS_PER_PEER, DEFAULT_MAX_PEERS
} from '../../dist/peer-store/index.js'

const A = '12D3KooWA'
const B = '12D3KooWB'
const C = '12D3KooWC'
const addr = port => multiaddr(`/ip4/127.0.0.1/tcp/${port}`)

export function fakeClock (start = 1_000_000) {
  const clock = () => clock.now
  clock.now = start
  return clock
}

export function peerStoreSuite (name, make) {
  const test = uvuSuite(`peer store: ${name}`)
  test('an unknown peer is absent; patch creates it; delete removes it', async () => {
    const store = await make()
    assert.is(await store.get(A), undefined)
    assert.is(await store.has(A), false)
    const peer = await store.patch(A, { protocols: ['/a/1'] })
    assert.is(peer.id, A)
    assert.ok(await store.has({ toString: () => A }), 'a PeerId-like object names the same peer')
    await store.delete(A)
    assert.is(await store.has(A), false)
    assert.is((await store.all()).length, 0)
  })

  test('patch replaces, merge adds', async () => {
    const store = await make()
    await store.patch(A, { protocols: ['/a/1', '/b/1'], addresses: [{ multiaddr: addr(1) }], metadata: { x: new Uint8Array([1]) } })
    let peer = await store.merge(A, { protocols: ['/c/1', '/a/1'], addresses: [{ multiaddr: addr(2) }], metadata: { y: new Uint8Array([2]) } })
    assert.equal(peer.protocols, ['/a/1', '/b/1', '/c/1'])
    assert.equal(peer.addresses.map(a => a.multiaddr.toString()).sort(), [addr(1).toString(), addr(2).toString()])
    assert.equal([...peer.metadata.keys()].sort(), ['x', 'y'])
    peer = await store.patch(A, { protocols: ['/d/1'], addresses: [{ multiaddr: addr(3) }] })
    assert.equal(peer.protocols, ['/d/1'])
    assert.equal(peer.addresses.map(a => a.multiaddr.toString()), [addr(3).toString()])
    assert.equal([...peer.metadata.keys()].sort(), ['x', 'y'], 'fields not given are untouched')
    peer = await store.merge(A, { metadata: { x: undefined } })
    assert.equal([...peer.metadata.keys()], ['y'], 'undefined removes a key')
  })

  test('addresses expire after their TTL and are dropped on read', async () => {
    const clock = fakeClock()
    const store = await make({ clock })
    await store.merge(A, { addresses: [{ multiaddr: addr(1), ttl: 1000 }, { multiaddr: addr(2) }] })
    assert.is((await store.get(A)).addresses.length, 2)
    clock.now += 999
    assert.is((await store.get(A)).addresses.length, 2)
    clock.now += 1
    const peer = await store.get(A)
    assert.equal(peer.addresses.map(a => a.multiaddr.toString()), [addr(2).toString()])
    assert.is(peer.addresses[0].expires, Infinity)
  })

  test('re-adding an address refreshes its expiry instead of duplicating it', async () => {
    const clock = fakeClock()
    const store = await make({ clock })
    await store.merge(A, { addresses: [{ multiaddr: addr(1), ttl: 1000 }] })
    clock.now += 900
    await store.merge(A, { addresses: [{ multiaddr: addr(1), ttl: 1000 }] })
    clock.now += 900
    const peer = await store.get(A)
    assert.is(peer.addresses.length, 1)
    assert.is(peer.addresses[0].expires, clock.now + 100)
  })

  test('certified addresses come first and a plain sighting keeps the certification', async () => {
    const store = await make()
    await store.merge(A, { addresses: [{ multiaddr: addr(1) }, { multiaddr: addr(2), certified: true }] })
    let peer = await store.merge(A, { addresses: [{ multiaddr: addr(2) }] })
    assert.equal(peer.addresses.map(a => [a.multiaddr.toString(), a.certified]), [[addr(2).toString(), true], [addr(1).toString(), false]])
    peer = await store.merge(A, { addresses: [{ multiaddr: addr(2), certified: false }] })
    assert.is(peer.addresses.find(a => a.multiaddr.equals(addr(2))).certified, false, 'an explicit false does clear it')
  })

  test(`at most ${MAX_ADDRESSES_PER_PEER} addresses are kept, certified and long-lived first`, async () => {
    const store = await make()
    const many = Array.from({ length: MAX_ADDRESSES_PER_PEER * 3 }, (_, i) => ({ multiaddr: addr(1000 + i), ttl: 60_000 }))
    await store.merge(A, { addresses: [{ multiaddr: addr(1), certified: true, ttl: 1000 }] })
    const peer = await store.merge(A, { addresses: [...many, { multiaddr: addr(2) }] })
    assert.is(peer.addresses.length, MAX_ADDRESSES_PER_PEER)
    assert.ok(peer.addresses[0].multiaddr.equals(addr(1)), 'the certified address survives')
    assert.ok(peer.addresses.some(a => a.multiaddr.equals(addr(2))), 'the permanent address survives')
  })

  test(`protocols: deduplicated, at most ${MAX_PROTOCOLS_PER_PEER}, over-long ids dropped`, async () => {
    const store = await make()
    const many = Array.from({ length: MAX_PROTOCOLS_PER_PEER * 4 }, (_, i) => `/p/${i}`)
    const peer = await store.patch(A, { protocols: ['/x/1', '/x/1', '/' + 'y'.repeat(MAX_PROTOCOL_LENGTH), '', ...many] })
    assert.is(peer.protocols.length, MAX_PROTOCOLS_PER_PEER)
    assert.is(peer.protocols[0], '/x/1')
    assert.is(peer.protocols[1], '/p/0')
    const merged = await store.merge(A, { protocols: ['/late/1'] })
    assert.is(merged.protocols.length, MAX_PROTOCOLS_PER_PEER)
    assert.not.ok(merged.protocols.includes('/late/1'))
  })

  test('metadata and tag limits reject the write and leave the peer unchanged', async () => {
    const store = await make()
    await store.patch(A, { protocols: ['/a/1'], metadata: { ok: new Uint8Array(1) } })
    let err = await store.merge(A, { protocols: ['/b/1'], metadata: { big: new Uint8Array(MAX_METADATA_VALUE_SIZE + 1) } }).catch(e => e)
    assert.instance(err, PeerStoreLimitError)
    const tooMany = Object.fromEntries(Array.from({ length: MAX_METADATA_ENTRIES }, (_, i) => [`k${i}`, new Uint8Array(1)]))
    err = await store.merge(A, { metadata: tooMany }).catch(e => e)
    assert.instance(err, PeerStoreLimitError)
    const tags = Object.fromEntries(Array.from({ length: MAX_TAGS_PER_PEER + 1 }, (_, i) => [`t${i}`, { value: 1 }]))
    err = await store.merge(A, { tags }).catch(e => e)
    assert.instance(err, PeerStoreLimitError)
    const peer = await store.get(A)
    assert.equal(peer.protocols, ['/a/1'])
    assert.equal([...peer.metadata.keys()], ['ok'])
    assert.is(peer.tags.size, 0)
  })

  test('tags carry values and expire', async () => {
    const clock = fakeClock()
    const store = await make({ clock })
    await store.merge(A, { tags: { keep: { value: 50 }, dht: { value: 10, ttl: 100 } } })
    let peer = await store.get(A)
    assert.equal(peer.tags.get('keep'), { value: 50 })
    assert.equal(peer.tags.get('dht'), { value: 10, expires: clock.now + 100 })
    clock.now += 100
    peer = await store.get(A)
    assert.equal([...peer.tags.keys()], ['keep'])
    peer = await store.merge(A, { tags: { keep: undefined } })
    assert.is(peer.tags.size, 0)
  })

  test('over maxPeers the lowest-valued, then least recently updated, peer is evicted', async () => {
    const clock = fakeClock()
    const store = await make({ maxPeers: 3, clock })
    const evicted = []
    store.addEventListener('peer:delete', e => { evicted.push([e.detail.peer.id, e.detail.reason]) })
    await store.merge('old-untagged', {}); clock.now++
    await store.merge('tagged', { tags: { friend: { value: 100 } } }); clock.now++
    await store.merge('new-untagged', {}); clock.now++
    await store.merge('newest', {}); clock.now++
    assert.equal(evicted, [['old-untagged', 'evicted']])
    await store.merge('new-untagged', { protocols: ['/touch'] }); clock.now++ // now more recent than 'newest'
    await store.merge('another', {})
    assert.equal(evicted[1], ['newest', 'evicted'])
    assert.ok(await store.has('tagged'))
    assert.is(store.size, 3)
  })

  test('an expired tag no longer protects its peer', async () => {
    const clock = fakeClock()
    const store = await make({ maxPeers: 2, clock })
    await store.merge(A, { tags: { temp: { value: 100, ttl: 10 } } }); clock.now++
    await store.merge(B, {}); clock.now += 20
    await store.merge(C, {})
    assert.is(await store.has(A), false)
    assert.ok(await store.has(B))
  })

  test('events: peer:update with the previous state, peer:delete on delete', async () => {
    const store = await make()
    const updates = []
    const deletes = []
    store.addEventListener('peer:update', e => updates.push(e.detail))
    store.addEventListener('peer:delete', e => deletes.push(e.detail))
    await store.merge(A, { protocols: ['/a/1'] })
    await store.merge(A, { protocols: ['/b/1'] })
    await store.delete(A)
    await store.delete(A)
    assert.is(updates.length, 2)
    assert.is(updates[0].previous, undefined)
    assert.equal(updates[1].previous.protocols, ['/a/1'])
    assert.equal(updates[1].peer.protocols, ['/a/1', '/b/1'])
    assert.equal(deletes.map(d => [d.peer.id, d.reason]), [[A, 'deleted']])
  })

  test('reads are copies: changing them does not change the store', async () => {
    const store = await make()
    const value = new Uint8Array([7])
    await store.patch(A, { protocols: ['/a/1'], metadata: { v: value } })
    value[0] = 0
    const peer = await store.get(A)
    peer.protocols.push('/evil')
    peer.metadata.get('v')[0] = 9
    const again = await store.get(A)
    assert.equal(again.protocols, ['/a/1'])
    assert.equal([...again.metadata.get('v')], [7])
  })

  test('bad local input is a TypeError or RangeError', async () => {
    const store = await make()
    assert.instance(await store.merge(A, { addresses: [{ multiaddr: addr(1), ttl: -1 }] }).catch(e => e), RangeError)
    assert.instance(await store.merge(A, { metadata: { x: 'text' } }).catch(e => e), TypeError)
    assert.instance(await store.merge(A, { tags: { t: { value: NaN } } }).catch(e => e), RangeError)
    assert.is(DEFAULT_MAX_PEERS, 1024)
  })

  test.run()
  test.run()
}
