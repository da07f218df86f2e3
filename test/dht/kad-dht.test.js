// KadDht on in-process hosts: streams are in-memory pairs (helpers/stream-pair.js), the
// dial by `/p2p/<id>` finds the remote host; the RPC path, routing-table learning,
// refresh, client mode and the operations run as they would over libp2p.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { KadDht, PROTOCOL_ID } from '../../dist/dht/index.js'
import { peerIdFromMultihash } from '../../dist/peer-id/index.js'
import { multiaddr } from '../../dist/multiaddr/index.js'
import { rng } from './helpers/random.js'
import { streamPair } from './helpers/stream-pair.js'

const r = rng(2024)
const utf8 = s => new TextEncoder().encode(s)
const hosts = new Map()
let streamsOpened = 0

function createHost (port) {
  const multihash = new Uint8Array([0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...r.bytes(32)])
  const text = peerIdFromMultihash(multihash).toString()
  const handlers = new Map()
  const host = {
    peerId: { multihash },
    text,
    addrs: [multiaddr(`/ip4/127.0.0.1/tcp/${port}`).bytes],
    handle: (protocol, handler) => { handlers.set(protocol, handler) },
    unhandle: protocol => { handlers.delete(protocol) },
    getMultiaddrs: () => host.addrs.map(bytes => ({ bytes })),
    async dialProtocol (target, protocol, { signal } = {}) {
      signal?.throwIfAborted()
      const remote = hosts.get(target.split('/p2p/').at(-1))
      const handler = remote?.handlers.get(protocol)
      if (handler === undefined) throw new Error(`cannot reach ${target} for ${protocol}`)
      const [local, inbound] = streamPair()
      streamsOpened++
      void handler(inbound, { remotePeer: { multihash } })
      return local
    },
    handlers
  }
  hosts.set(text, host)
  return host
}

const N = 40
const nodes = Array.from({ length: N }, (_, i) => {
  const host = createHost(4000 + i)
  const dht = new KadDht(host, { refreshIntervalMs: 0 })
  dht.start()
  return { host, dht }
})
const client = (() => {
  const host = createHost(5000)
  const dht = new KadDht(host, { clientMode: true, refreshIntervalMs: 0 })
  dht.start()
  return { host, dht }
})()

test('servers register the protocol, clients do not', () => {
  assert.ok(nodes[0].host.handlers.has(PROTOCOL_ID))
  assert.not.ok(client.host.handlers.has(PROTOCOL_ID))
})

test('bootstrap from three peers each, then refresh: tables fill from answers alone', async () => {
  for (const [i, n] of nodes.entries()) {
    for (const j of [1, 2, 3]) {
      const other = nodes[(i + j * 7) % N]
      await n.dht.addPeer(other.host.peerId.multihash, other.host.addrs)
    }
  }
  await client.dht.addPeer(nodes[0].host.peerId.multihash, nodes[0].host.addrs)
  for (let round = 0; round < 2; round++) for (const n of nodes) await n.dht.refresh()
  for (const n of nodes) assert.ok(n.dht.routingTable.size >= 20, `table of ${n.dht.routingTable.size}`)
  // The client queried no one yet, and nobody learned of it from its requests.
  for (const n of nodes) assert.not.ok(n.dht.routingTable.has(client.dht.routingTable.self))
  assert.ok(streamsOpened > 0)
})

test('put from one server, get from the client; the record sits at the k closest', async () => {
  const publicKey = new Uint8Array([0x08, 0x01, 0x12, 0x20, ...r.bytes(32)])
  const key = new Uint8Array([...utf8('/pk/'), 0x00, publicKey.length, ...publicKey])
  const stored = await nodes[5].dht.put(key, publicKey)
  assert.ok(stored.length >= 19, `${stored.length} stored`)
  const got = await client.dht.get(key, { quorum: 3 })
  assert.equal(got.value, publicKey)
  // The client learned servers by asking them, and still serves nobody.
  assert.ok(client.dht.routingTable.size > 1)
  for (const n of nodes) assert.not.ok(n.dht.routingTable.has(client.dht.routingTable.self))
})

test('provide and findProviders; findPeer returns the addresses', async () => {
  const key = new Uint8Array([0x12, 0x20, ...r.bytes(32)])
  const provider = nodes[9]
  assert.ok((await provider.dht.provide(key)).length >= 19)
  const found = await client.dht.findProviders(key, { maxProviders: 1 })
  assert.equal(found.map(p => p.id), [provider.host.peerId.multihash])
  assert.equal(found[0].addrs, provider.host.addrs)
  const target = nodes[17]
  const peer = await nodes[30].dht.findPeer(target.host.peerId.multihash)
  assert.equal(peer.addrs, target.host.addrs)
})

test('a stopped server fails requests and leaves the tables of those who ask it', async () => {
  const gone = nodes[12]
  gone.dht.stop()
  assert.not.ok(gone.host.handlers.has(PROTOCOL_ID))
  const asker = nodes.find(n => n !== gone && n.dht.routingTable.has(gone.dht.routingTable.self))
  assert.ok(asker !== undefined)
  await asker.dht.getClosestPeers(gone.host.peerId.multihash)
  assert.not.ok(asker.dht.routingTable.has(gone.dht.routingTable.self))
})

test.after(() => { for (const n of [...nodes, client]) n.dht.stop() })
test.run()
