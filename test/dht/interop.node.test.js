// DHT RPCs against js-libp2p's @libp2p/kad-dht (a separate process, helpers/js-dht-peer.mjs)
// over a real wasp2p connection (TCP, Noise, yamux): our framing, codec and record
// format as js-libp2p reads them, and its answers as we read them.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createNode } from '../../dist/index.js'
import { generateKeyPair, publicKeyToProtobuf } from '../../dist/keys/index.js'
import { PROTOCOL_ID, MessageType, dhtMessage, requestOverStream, serveStream, RoutingTable, RecordStore, ProviderStore, contactOf } from '../../dist/dht/index.js'
import { sha256 } from '../../dist/crypto/index.js'
import { KadDht } from '../../dist/dht/index.js'
import { peerIdFromMultihash, peerIdFromString } from '../../dist/peer-id/index.js'
import { multiaddr } from '../../dist/multiaddr/index.js'

/** js-libp2p imports in ~1 s here; allow for a busy machine. */
const START_TIMEOUT_MS = 30_000
const REQUEST_TIMEOUT_MS = 20_000

async function startJsDhtPeer () {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./helpers/js-dht-peer.mjs', import.meta.url))], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', d => { stderr += d })
  const exited = new Promise(resolve => child.once('exit', resolve))
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = timeoutMs => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`js peer silent for ${timeoutMs} ms: ${stderr.slice(-2000)}`)), timeoutMs)
    lines.next().then(({ value, done }) => {
      clearTimeout(timer)
      if (done) reject(new Error(`js peer exited: ${stderr.slice(-2000)}`))
      else resolve(JSON.parse(value))
    }, reject)
  })
  const info = await next(START_TIMEOUT_MS)
  return {
    ...info,
    async command (cmd) {
      child.stdin.write(JSON.stringify(cmd) + '\n')
      return await next(START_TIMEOUT_MS)
    },
    async stop () {
      child.stdin.end('exit\n')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
  }
}

let js, node
async function request (message) {
  const stream = await node.dialProtocol(js.addrs[0], PROTOCOL_ID)
  assert.is(stream.protocol, PROTOCOL_ID)
  return await requestOverStream(stream, message, AbortSignal.timeout(REQUEST_TIMEOUT_MS))
}

let server
test.before(async () => {
  js = await startJsDhtPeer()
  node = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'] })
  // Our side as a DHT server: js-libp2p's queries are answered by handleRequest.
  server = { routingTable: new RoutingTable(contactOf(node.peerId.multihash).key), records: new RecordStore(), providers: new ProviderStore() }
  node.handle(PROTOCOL_ID, (stream, connection) => { serveStream(stream, server, connection.remotePeer.multihash).catch(() => {}) })
  // js-libp2p pings a peer before it enters its routing table: the node serves ping by default.
})

let second, dht
test.after(async () => {
  dht?.stop()
  await second?.stop()
  await node?.stop()
  await js?.stop()
})

test('FIND_NODE: js-libp2p answers our request with a well-formed response', async () => {
  const target = new Uint8Array([0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...sha256(new Uint8Array([1]))])
  const response = await request(dhtMessage({ type: MessageType.FIND_NODE, key: target }))
  assert.is(response.type, MessageType.FIND_NODE)
  assert.ok(Array.isArray(response.closerPeers))
})

test('PUT_VALUE then GET_VALUE of our /pk/ record: js-libp2p validates, stores and serves it', async () => {
  const value = publicKeyToProtobuf(node.privateKey.publicKey)
  const key = new Uint8Array([...new TextEncoder().encode('/pk/'), ...node.peerId.multihash])
  const put = dhtMessage({ type: MessageType.PUT_VALUE, key, record: { key, value, timeReceived: '' } })
  const echoed = await request(put)
  assert.is(echoed.type, MessageType.PUT_VALUE)
  assert.equal(echoed.record.key, key)
  assert.equal(echoed.record.value, value)
  const got = await request(dhtMessage({ type: MessageType.GET_VALUE, key }))
  assert.is(got.type, MessageType.GET_VALUE)
  assert.equal(got.record.value, value)
  assert.ok(!Number.isNaN(Date.parse(got.record.timeReceived)), `timeReceived ${got.record.timeReceived}`)
})

test('a forged /pk/ record is refused by js-libp2p (the stream fails, no record stored)', async () => {
  const otherKey = new Uint8Array([...new TextEncoder().encode('/pk/'), 0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...sha256(new Uint8Array([7]))])
  const forged = dhtMessage({ type: MessageType.PUT_VALUE, key: otherKey, record: { key: otherKey, value: publicKeyToProtobuf(node.privateKey.publicKey), timeReceived: '' } })
  let refused = false
  try { await request(forged) } catch { refused = true }
  assert.ok(refused, 'js-libp2p must not echo an invalid record')
  const got = await request(dhtMessage({ type: MessageType.GET_VALUE, key: otherKey }))
  assert.is(got.record, undefined)
})

test('ADD_PROVIDER then GET_PROVIDERS: js-libp2p records us as provider with our address', async () => {
  const cid = new Uint8Array([0x12, 0x20, ...sha256(new Uint8Array([9, 9]))])
  const addrs = node.getMultiaddrs().map(a => a.bytes)
  assert.ok(addrs.length > 0)
  const none = await request(dhtMessage({ type: MessageType.ADD_PROVIDER, key: cid, providerPeers: [{ id: node.peerId.multihash, addrs, connection: 1 }] }))
  assert.is(none, undefined)
  // js-libp2p stores the provider asynchronously after the stream ends: poll briefly (bounded).
  let providers = []
  for (let i = 0; i < 20 && providers.length === 0; i++) {
    providers = (await request(dhtMessage({ type: MessageType.GET_PROVIDERS, key: cid }))).providerPeers
    if (providers.length === 0) await new Promise(resolve => setTimeout(resolve, 100))
  }
  assert.equal(providers.map(p => p.id), [node.peerId.multihash])
})

test('js-libp2p\'s dht.get finds a record our node serves (our handler and framing as js reads them)', async () => {
  const publicKey = publicKeyToProtobuf((await generateKeyPair('Ed25519')).publicKey)
  const key = new Uint8Array([...new TextEncoder().encode('/pk/'), 0x00, publicKey.length, ...publicKey])
  assert.ok(await server.records.put({ key, value: publicKey, timeReceived: '' }))
  const tcp = node.getMultiaddrs().map(String).find(a => a.includes('/tcp/'))
  const ours = tcp.includes('/p2p/') ? tcp : `${tcp}/p2p/${node.peerId.toString()}`
  const answer = await js.command({ get: Buffer.from(key).toString('hex'), peer: ours })
  assert.is(answer.error, undefined, answer.error)
  assert.ok(answer.values.length >= 1)
  for (const value of answer.values) assert.is(value, Buffer.from(publicKey).toString('hex'))
})

test('KadDht with js-libp2p as its only bootstrap peer: put, get, provide, findProviders', async () => {
  second = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'] }) // serves ping by default, as js-libp2p requires
  dht = new KadDht(second, { refreshIntervalMs: 0 })
  dht.start()
  const jsAddr = multiaddr(js.addrs[0])
  assert.is(await dht.addPeer(peerIdFromString(js.peerId).multihash, [jsAddr.bytes]), 'added')
  await dht.refresh()
  // A fresh /pk/ record: js must validate it, store it, and hand it back.
  const publicKey = publicKeyToProtobuf((await generateKeyPair('Ed25519')).publicKey)
  const key = new Uint8Array([...new TextEncoder().encode('/pk/'), 0x00, publicKey.length, ...publicKey])
  const stored = await dht.put(key, publicKey)
  assert.ok(stored.some(p => peerIdFromMultihash(p.id).toString() === js.peerId), 'js stored the record')
  dht.records.delete(key)
  const got = await dht.get(key, { quorum: 1 })
  assert.equal(got.value, publicKey)
  // Holders: js, and the first wasp2p node if js introduced it (it serves the DHT too).
  const holders = new Set([js.peerId, node.peerId.toString()])
  assert.ok(got.from.length >= 1 && got.from.every(p => holders.has(peerIdFromMultihash(p.id).toString())))
  const cid = new Uint8Array([0x12, 0x20, ...sha256(publicKey)])
  const announced = await dht.provide(cid)
  assert.ok(announced.some(p => peerIdFromMultihash(p.id).toString() === js.peerId), `announced to ${announced.map(p => peerIdFromMultihash(p.id).toString()).join(",")} not js ${js.peerId}`)
  // js-libp2p stores providers after the stream ends: poll it (bounded) with GET_PROVIDERS.
  let providers = []
  for (let i = 0; i < 20 && providers.length === 0; i++) {
    providers = (await request(dhtMessage({ type: MessageType.GET_PROVIDERS, key: cid }))).providerPeers
    if (providers.length === 0) await new Promise(resolve => setTimeout(resolve, 100))
  }
  assert.equal(providers.map(p => peerIdFromMultihash(p.id).toString()), [second.peerId.toString()])
})

test.run()
