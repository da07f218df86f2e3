// The address manager wired into real nodes (loopback TCP): getMultiaddrs() follows
// announce / noAnnounce and AutoNAT's verdicts, a change emits self:peer:update,
// identify pushes a re-sealed signed peer record (a higher seq) that a connected peer stores,
// and a /p2p-circuit listener's addresses are announced until a direct address is confirmed public.
import { test } from 'uvu'
import { waitFor } from '../helpers/wait.js'
import * as assert from 'uvu/assert'
import { createNode, identifyService, tcp } from '../../dist/index.js'
import { multiaddr } from '@multiformats/multiaddr'
import { PeerRecord } from '../../dist/record/index.js'

const WAIT_MS = 10_000
const bare = addrs => addrs.map(a => a.toString().replace(/\/p2p\/[^/]+$/, ''))

const PUBLIC = '/ip6/3fff:9::1/tcp/4001'
const LOCAL_NAME = '/dns4/localhost/tcp/4002'
let a, b
test.before(async () => {
  a = await createNode({
    listen: ['/ip4/127.0.0.1/tcp/0'],
    addresses: { announce: [PUBLIC, LOCAL_NAME, '/ip4/127.0.0.1/tcp/4003'], noAnnounce: ['/ip4/127.0.0.1/tcp/4003'] },
    services: { identify: identifyService({ pushDebounce: 20 }) }
  })
  b = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'] })
})
test.after(async () => { await Promise.all([a, b].map(async n => { await n?.stop() })) })

test('without announce options, getMultiaddrs() is the listen addresses, as before', () => {
  assert.equal(bare(b.getMultiaddrs()), bare(b.addressManager.getAddresses().map(x => x.multiaddr)))
  assert.ok(b.getMultiaddrs()[0].toString().startsWith('/ip4/127.0.0.1/tcp/'))
})

test('announce replaces the listen addresses, noAnnounce removes one', () => {
  assert.equal(bare(a.getMultiaddrs()), [PUBLIC, LOCAL_NAME])
})

test('AutoNAT finding the public address private: self:peer:update, and the peer gets a re-sealed record without it', async () => {
  // b dials a where a really listens: listed by the address manager, not announced.
  const listen = a.addressManager.getAddresses().find(x => x.source === 'listen')
  assert.is(listen.announced, false)
  await b.dial(`${listen.multiaddr.toString()}/p2p/${a.peerId.toString()}`)
  await waitFor(async () => (await b.peerStore.get(a.peerId))?.peerRecordEnvelope !== undefined, 'b identified a', WAIT_MS)
  const first = await b.peerStore.get(a.peerId)
  assert.equal(first.addresses.filter(x => x.certified).map(x => x.multiaddr.toString()).sort(), [PUBLIC, LOCAL_NAME].sort())

  let updates = 0
  a.addEventListener('self:peer:update', () => { updates++ })
  a.addressManager.setReachability(multiaddr(PUBLIC), 'private')
  assert.is(updates, 1)
  assert.equal(bare(a.getMultiaddrs()), [LOCAL_NAME])
  a.addressManager.setReachability(multiaddr(PUBLIC), 'private')
  assert.is(updates, 1, 'no change, no event')

  const hex = bytes => Buffer.from(bytes).toString('hex')
  await waitFor(async () => hex((await b.peerStore.get(a.peerId)).peerRecordEnvelope) !== hex(first.peerRecordEnvelope), 'the push reached b', WAIT_MS)
  const { record } = await PeerRecord.consumeEnvelope((await b.peerStore.get(a.peerId)).peerRecordEnvelope)
  assert.equal(record.multiaddrs.map(String), [LOCAL_NAME], 'the re-sealed record holds only what a announces now')
  // The address the newer record withdrew is gone from b's store, not kept as certified until its TTL.
  const stored = (await b.peerStore.get(a.peerId)).addresses.map(x => x.multiaddr.toString())
  assert.ok(!stored.includes(PUBLIC), `withdrawn address dropped: ${stored}`)
  assert.ok(stored.includes(LOCAL_NAME))
  assert.ok(record.seqNumber > (await PeerRecord.consumeEnvelope(first.peerRecordEnvelope)).record.seqNumber)
})

test('relay addresses from a listener: announced while unreachable, withdrawn once a direct address is confirmed public', async () => {
  // A stand-in for the circuit-relay transport: its listener reports one /p2p-circuit address.
  const relayPeer = b.peerId.toString()
  const circuit = multiaddr(`/ip4/127.0.0.1/tcp/4005/p2p/${relayPeer}/p2p-circuit`)
  const relayTransport = {
    name: 'fake-circuit',
    dial: async () => { throw new Error('not dialable') },
    dialFilter: () => [],
    listenFilter: addrs => addrs.filter(x => x.toString().includes('p2p-circuit')),
    createListener: () => ({ listen: async () => {}, getAddrs: () => [circuit], close: async () => {} })
  }
  const node = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'], addresses: { announce: [PUBLIC] }, transports: [tcp(), relayTransport] })
  try {
    let updates = 0
    node.addEventListener('self:peer:update', () => { updates++ })
    await node.listen('/p2p-circuit')
    assert.is(updates, 1, 'listening through the relay changed what we announce')
    assert.equal(bare(node.getMultiaddrs()), [PUBLIC, circuit.toString()])
    node.addressManager.setReachability(multiaddr(PUBLIC), 'private')
    assert.equal(bare(node.getMultiaddrs()), [circuit.toString()], 'unreachable: only the relay address')
    node.addressManager.setReachability(multiaddr(PUBLIC), 'public')
    assert.equal(bare(node.getMultiaddrs()), [PUBLIC], 'confirmed public: the relay address is withdrawn')
    assert.ok(node.getMultiaddrs().every(x => x.toString().endsWith(`/p2p/${node.peerId.toString()}`)))
  } finally { await node.stop() }
})

test('a node on 0.0.0.0 announces its interface addresses: the peer\'s identify stores no wildcard', async () => {
  const wild = await createNode({ listen: ['/ip4/0.0.0.0/tcp/0'] })
  try {
    const own = bare(wild.getMultiaddrs())
    assert.ok(own.length > 0 && !own.some(x => x.startsWith('/ip4/0.0.0.0/')), `no wildcard: ${own}`)
    const port = own[0].split('/')[4]
    assert.ok(own.includes(`/ip4/127.0.0.1/tcp/${port}`), `loopback listed: ${own}`)
    await b.dial(`/ip4/127.0.0.1/tcp/${port}/p2p/${wild.peerId.toString()}`)
    await waitFor(async () => (await b.peerStore.get(wild.peerId))?.peerRecordEnvelope !== undefined, 'b identified the wildcard node', WAIT_MS)
    const { record } = await PeerRecord.consumeEnvelope((await b.peerStore.get(wild.peerId)).peerRecordEnvelope)
    assert.equal(record.multiaddrs.map(String).sort(), own.sort(), 'the signed record lists the interface addresses')
  } finally {
    await wild.stop()
  }
})

test.run()
