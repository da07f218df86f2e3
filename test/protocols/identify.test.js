// Identify and identify/push over an in-memory stream pair: round trip into the peer
// store, the public-key/peer check, size and format limits as named errors, push as a
// partial update, signed-record preference, and the service's push fan-out.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '@multiformats/multiaddr'
import {
  handleIdentify, identify, pushIdentify, handleIdentifyPush, createIdentifyService, openPeerRecord, sealPeerRecord,
  encodeIdentify, decodeIdentify, IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL,
  MAX_IDENTIFY_MESSAGE_SIZE, MAX_IDENTIFY_PROTOCOLS, MAX_IDENTIFY_ADDRESSES, MAX_IDENTIFY_VERSION_LENGTH,
  IDENTIFY_ADDRESS_TTL_MS, AGENT_VERSION_KEY, PROTOCOL_VERSION_KEY,
  IdentifyMessageTooLargeError, InvalidIdentifyMessageError, IdentifyPeerMismatchError, IdentifyTimeoutError
} from '../../dist/protocols/identify/index.js'
import { MemoryPeerStore } from '../../dist/peer-store/index.js'
import { encodeVarint } from '../../dist/stream/byte-reader.js'
import { sha256 } from '../../dist/crypto/index.js'
import { streamPair, rejection } from '../helpers/stream-pair.js'
import { testPeer, realPeer } from '../helpers/test-peer.js'

const text = new TextDecoder()
const ma = s => multiaddr(s)

function localInfo (peer, extra = {}) {
  return {
    protocolVersion: 'ipfs/0.1.0',
    agentVersion: 'wasp2p/test',
    publicKey: peer.publicKey,
    listenAddrs: [ma('/ip4/10.0.0.1/tcp/4001'), ma('/ip6/::1/tcp/4002/ws')],
    protocols: ['/ipfs/ping/1.0.0', IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL],
    ...extra
  }
}

/** Runs responder → initiator: `server` identifies itself to `client`. */
async function exchange ({ server, client, local, peerStore, openPeerRecord, observed = ma('/ip4/192.0.2.7/tcp/5555') }) {
  const [out, inbound] = streamPair()
  const served = handleIdentify(inbound, { connection: { remotePeer: client.peerId, remoteAddr: observed }, local })
  const result = await identify(out, { connection: { remotePeer: server.peerId }, peerStore, openPeerRecord })
  await served
  return result
}

/** Feeds raw bytes to an identify initiator and returns what it rejects with. */
async function identifyFrom (bytes, remotePeer, options = {}) {
  const [out, inbound] = streamPair()
  ;(async () => { await inbound.write(bytes); if (options.end !== false) await inbound.close() })().catch(() => {})
  return await rejection(identify(out, { connection: { remotePeer }, ...options }))
}

const framed = body => Uint8Array.of(...encodeVarint(body.length), ...body)

test('round trip: every field arrives and lands in the peer store', async () => {
  const server = testPeer()
  const client = testPeer()
  const peerStore = new MemoryPeerStore()
  const local = localInfo(server)
  const result = await exchange({ server, client, local, peerStore })
  assert.is(result.peerId, server.peerId)
  assert.is(result.protocolVersion, 'ipfs/0.1.0')
  assert.is(result.agentVersion, 'wasp2p/test')
  assert.equal([...result.publicKey], [...server.publicKey])
  assert.equal(result.listenAddrs.map(String), local.listenAddrs.map(String))
  assert.is(result.observedAddr.toString(), '/ip4/192.0.2.7/tcp/5555')
  assert.equal(result.protocols, local.protocols)
  assert.is(result.peerRecord, undefined)

  const peer = await peerStore.get(server.peerId)
  assert.equal(peer.protocols, local.protocols)
  assert.equal(peer.addresses.map(a => a.multiaddr.toString()).sort(), local.listenAddrs.map(String).sort())
  assert.ok(peer.addresses.every(a => !a.certified && a.expires <= Date.now() + IDENTIFY_ADDRESS_TTL_MS && a.expires > Date.now()))
  assert.is(text.decode(peer.metadata.get(AGENT_VERSION_KEY)), 'wasp2p/test')
  assert.is(text.decode(peer.metadata.get(PROTOCOL_VERSION_KEY)), 'ipfs/0.1.0')
})

test('a second identify replaces the protocol list', async () => {
  const server = testPeer()
  const client = testPeer()
  const peerStore = new MemoryPeerStore()
  await exchange({ server, client, local: localInfo(server), peerStore })
  await exchange({ server, client, local: localInfo(server, { protocols: ['/only/1'] }), peerStore })
  assert.equal((await peerStore.get(server.peerId)).protocols, ['/only/1'])
})

test('a public key that is not the remote peer\'s is an IdentifyPeerMismatchError', async () => {
  const server = testPeer()
  const impostor = testPeer()
  const peerStore = new MemoryPeerStore()
  const [out, inbound] = streamPair()
  handleIdentify(inbound, { connection: { remotePeer: testPeer().peerId }, local: localInfo(impostor) }).catch(() => {})
  const err = await rejection(identify(out, { connection: { remotePeer: server.peerId }, peerStore }))
  assert.instance(err, IdentifyPeerMismatchError)
  assert.is(err.name, 'IdentifyPeerMismatchError')
  assert.is(await peerStore.has(server.peerId), false, 'nothing recorded')
})

test('a key too long to inline is matched through its sha2-256 peer id', async () => {
  const longKey = Uint8Array.of(0x08, 0x00, 0x12, 0x80, 0x02, ...crypto.getRandomValues(new Uint8Array(256)))
  const multihash = Uint8Array.of(0x12, 0x20, ...sha256(longKey))
  const peerId = { multihash, toString: () => 'rsa-peer', equals: o => String(o) === 'rsa-peer' }
  const result = await exchange({ server: { peerId, publicKey: longKey }, client: testPeer(), local: localInfo({ publicKey: longKey }) })
  assert.equal([...result.publicKey], [...longKey])
  const other = Uint8Array.of(...longKey)
  other[10] ^= 1
  const err = await rejection(exchange({ server: { peerId }, client: testPeer(), local: localInfo({ publicKey: other }) }))
  assert.instance(err, IdentifyPeerMismatchError)
})

test(`a length prefix above ${MAX_IDENTIFY_MESSAGE_SIZE} bytes is refused before the body is read`, async () => {
  const err = await identifyFrom(encodeVarint(MAX_IDENTIFY_MESSAGE_SIZE + 1), testPeer().peerId, { end: false })
  assert.instance(err, IdentifyMessageTooLargeError)
  assert.throws(() => decodeIdentify(new Uint8Array(MAX_IDENTIFY_MESSAGE_SIZE + 1)), e => e instanceof IdentifyMessageTooLargeError)
})

test('a message of exactly the limit is accepted', async () => {
  const server = testPeer()
  const build = n => encodeIdentify({ publicKey: server.publicKey, listenAddrs: [], protocols: [], agentVersion: 'x'.repeat(n) })
  const guess = MAX_IDENTIFY_MESSAGE_SIZE - 100
  const body = build(guess + MAX_IDENTIFY_MESSAGE_SIZE - build(guess).length)
  assert.is(body.length, MAX_IDENTIFY_MESSAGE_SIZE)
  const [out, inbound] = streamPair()
  ;(async () => { await inbound.write(framed(body)); await inbound.close() })()
  const result = await identify(out, { connection: { remotePeer: server.peerId } })
  assert.is(result.agentVersion.length, MAX_IDENTIFY_VERSION_LENGTH, 'long version strings are clipped')
})

test('malformed protobuf, a truncated body and a bad varint are InvalidIdentifyMessageError', async () => {
  const peer = testPeer().peerId
  for (const bytes of [
    framed(Uint8Array.of(0x0a, 0x10, 1, 2)), // field 1 claims 16 bytes, has 2
    framed(Uint8Array.of(0x2a, 0x02, 0xff, 0xfe)), // protocolVersion that is not UTF-8
    framed(Uint8Array.of(0x0b)), // wire type 3 (group): unsupported
    Uint8Array.of(0x20, 1, 2, 3), // prefix says 32 bytes, stream ends after 3
    Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80) // endless varint
  ]) {
    const err = await identifyFrom(bytes, peer)
    assert.instance(err, InvalidIdentifyMessageError, `bytes ${[...bytes.subarray(0, 6)]}`)
  }
})

test('silence is an IdentifyTimeoutError', async () => {
  const [out] = streamPair()
  const err = await rejection(identify(out, { connection: { remotePeer: testPeer().peerId }, timeout: 20 }))
  assert.instance(err, IdentifyTimeoutError)
})

test('decoding caps repeated fields, skips unknown fields and bad addresses', async () => {
  const server = testPeer()
  const protocols = Array.from({ length: MAX_IDENTIFY_PROTOCOLS + 50 }, (_, i) => `/p/${i}`)
  const addrs = Array.from({ length: MAX_IDENTIFY_ADDRESSES + 10 }, (_, i) => ma(`/ip4/10.0.0.1/tcp/${i + 1}`).bytes)
  const body = encodeIdentify({ listenAddrs: [Uint8Array.of(0xff, 0xff, 0xff), ...addrs], protocols })
  const withUnknown = Uint8Array.of(...body, 0x48, 0x01, 0x52, 0x01, 0x00) // field 9 varint, field 10 bytes
  const message = decodeIdentify(withUnknown)
  assert.is(message.protocols.length, MAX_IDENTIFY_PROTOCOLS)
  assert.is(message.listenAddrs.length, MAX_IDENTIFY_ADDRESSES)
  const [out, inbound] = streamPair()
  ;(async () => { await inbound.write(framed(withUnknown)); await inbound.close() })()
  const result = await identify(out, { connection: { remotePeer: server.peerId } })
  assert.is(result.listenAddrs.length, MAX_IDENTIFY_ADDRESSES - 1, 'the undecodable address is dropped, the rest kept')
})

test('encoding writes fields in field-number order', () => {
  const body = encodeIdentify({
    protocolVersion: 'a', agentVersion: 'b', publicKey: Uint8Array.of(9), listenAddrs: [Uint8Array.of(4)],
    observedAddr: Uint8Array.of(5), protocols: ['c'], signedPeerRecord: Uint8Array.of(8)
  })
  assert.equal([...body], [0x0a, 1, 9, 0x12, 1, 4, 0x1a, 1, 99, 0x22, 1, 5, 0x2a, 1, 97, 0x32, 1, 98, 0x42, 1, 8])
  assert.equal(decodeIdentify(body), {
    publicKey: Uint8Array.of(9), listenAddrs: [Uint8Array.of(4)], protocols: ['c'], observedAddr: Uint8Array.of(5),
    protocolVersion: 'a', agentVersion: 'b', signedPeerRecord: Uint8Array.of(8)
  })
})

test('push is a partial update: absent fields stay as they were', async () => {
  const pusher = testPeer()
  const receiver = testPeer()
  const peerStore = new MemoryPeerStore()
  await exchange({ server: pusher, client: receiver, local: localInfo(pusher), peerStore })
  const push = async local => {
    const [out, inbound] = streamPair()
    const handled = handleIdentifyPush(inbound, { connection: { remotePeer: pusher.peerId }, peerStore })
    await pushIdentify(out, { connection: { remotePeer: receiver.peerId }, local })
    return await handled
  }
  await push({ agentVersion: 'wasp2p/2', listenAddrs: [], protocols: [] })
  let peer = await peerStore.get(pusher.peerId)
  assert.is(text.decode(peer.metadata.get(AGENT_VERSION_KEY)), 'wasp2p/2')
  assert.equal(peer.protocols, localInfo(pusher).protocols)
  assert.is(text.decode(peer.metadata.get(PROTOCOL_VERSION_KEY)), 'ipfs/0.1.0')
  await push({ listenAddrs: [ma('/ip4/10.9.9.9/tcp/1')], protocols: ['/new/1'] })
  peer = await peerStore.get(pusher.peerId)
  assert.ok(peer.protocols.includes('/new/1'))
  assert.ok(peer.addresses.some(a => a.multiaddr.toString() === '/ip4/10.9.9.9/tcp/1'))
})

test('a verified signed peer record wins over listenAddrs; a failed one is ignored; an older one is a replay', async () => {
  const server = testPeer()
  const client = testPeer()
  const peerStore = new MemoryPeerStore()
  const signedAddr = ma('/ip4/198.51.100.1/tcp/4001')
  const records = new Map([[1, 5n], [2, 6n], [3, 4n]]) // envelope byte → seq
  const calls = []
  const openPeerRecord = async (envelope, expected) => {
    calls.push(expected)
    const seq = records.get(envelope[0])
    if (seq === undefined) throw new Error('bad signature')
    return { seq, addresses: [signedAddr] }
  }
  const run = envelope => exchange({ server, client, peerStore, openPeerRecord, local: localInfo(server, { signedPeerRecord: Uint8Array.of(envelope) }) })

  let result = await run(1)
  assert.is(calls[0], server.peerId, 'the record is checked against the connection\'s peer')
  assert.equal(result.listenAddrs.map(String), [signedAddr.toString()])
  assert.is(result.peerRecord.seq, 5n)
  let peer = await peerStore.get(server.peerId)
  assert.equal(peer.addresses.map(a => [a.multiaddr.toString(), a.certified]), [[signedAddr.toString(), true]])
  assert.equal([...peer.peerRecordEnvelope], [1])

  result = await run(9) // fails verification
  assert.is(result.peerRecord, undefined)
  assert.is(result.listenAddrs.length, 2, 'plain addresses used instead')

  await run(2) // newer record: accepted
  assert.equal([...(await peerStore.get(server.peerId)).peerRecordEnvelope], [2])
  await run(3) // older record: a replay, not stored
  peer = await peerStore.get(server.peerId)
  assert.equal([...peer.peerRecordEnvelope], [2])

  const withDefaultVerifier = await exchange({ server, client, local: localInfo(server, { signedPeerRecord: Uint8Array.of(1) }) })
  assert.is(withDefaultVerifier.peerRecord, undefined, 'garbage does not verify')
})

test('real signed peer records: our own sealed record is verified, certified and kept with the key', async () => {
  const server = await realPeer()
  const client = await realPeer()
  const peerStore = new MemoryPeerStore()
  const recordAddrs = [ma('/ip4/198.51.100.7/tcp/4001'), ma('/ip4/198.51.100.7/tcp/4002/ws')]
  const signedPeerRecord = await sealPeerRecord(server.privateKey, recordAddrs, 42n)
  const result = await exchange({ server, client, peerStore, local: localInfo(server, { signedPeerRecord }) })
  assert.is(result.peerRecord?.seq, 42n)
  assert.equal(result.listenAddrs.map(String), recordAddrs.map(String))
  const peer = await peerStore.get(server.peerId)
  assert.equal(peer.addresses.map(a => [a.multiaddr.toString(), a.certified]), recordAddrs.map(a => [a.toString(), true]))
  assert.equal([...peer.peerRecordEnvelope], [...signedPeerRecord])
  assert.ok(peer.publicKey.equals(server.privateKey.publicKey), 'the parsed public key is stored')
  const opened = await openPeerRecord(signedPeerRecord, server.peerId)
  assert.is(opened.seq, 42n)
})

test('a record signed by another peer, or with a broken signature, is not used', async () => {
  const server = await realPeer()
  const other = await realPeer()
  const client = await realPeer()
  const othersRecord = await sealPeerRecord(other.privateKey, [ma('/ip4/203.0.113.66/tcp/1')])
  assert.instance(await rejection(openPeerRecord(othersRecord, server.peerId)), IdentifyPeerMismatchError)
  let result = await exchange({ server, client, local: localInfo(server, { signedPeerRecord: othersRecord }) })
  assert.is(result.peerRecord, undefined)
  assert.equal(result.listenAddrs.map(String), localInfo(server).listenAddrs.map(String))

  const broken = await sealPeerRecord(server.privateKey, [ma('/ip4/203.0.113.66/tcp/1')])
  broken[broken.length - 1] ^= 1 // the signature is the last field
  assert.instance(await rejection(openPeerRecord(broken, server.peerId)), Error)
  result = await exchange({ server, client, local: localInfo(server, { signedPeerRecord: broken }) })
  assert.is(result.peerRecord, undefined)
})

test('service: answers identify, records push-capable peers, pushes on change (debounced), one push per peer at a time', async () => {
  const a = testPeer()
  const b = testPeer()
  const nodes = new Map()
  const makeNode = (self, protocols) => {
    const handlers = new Map()
    const node = { self, handlers, peerStore: new MemoryPeerStore(), connections: [], protocols }
    node.service = createIdentifyService({
      registrar: { handle: (p, h) => { handlers.set(p, h) }, unhandle: p => { handlers.delete(p) } },
      peerStore: node.peerStore,
      local: () => ({ agentVersion: 'wasp2p/test', publicKey: self.publicKey, listenAddrs: [], protocols: node.protocols }),
      connections: () => node.connections,
      pushDebounce: 10
    })
    nodes.set(self.peerId.toString(), node)
    return node
  }
  const nodeA = makeNode(a, [IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL, '/a/1'])
  const nodeB = makeNode(b, [IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL, '/b/1'])
  const connect = (from, to) => ({
    remotePeer: to.self.peerId,
    remoteAddr: ma('/ip4/127.0.0.1/tcp/1'),
    newStream: async protocol => {
      const [out, inbound] = streamPair()
      const handler = to.handlers.get(protocol)
      if (handler === undefined) throw new Error(`no handler for ${protocol}`)
      handler(inbound, { remotePeer: from.self.peerId, remoteAddr: ma('/ip4/127.0.0.1/tcp/2') })
      return out
    }
  })
  nodeA.connections.push(connect(nodeA, nodeB))
  nodeB.connections.push(connect(nodeB, nodeA))
  await nodeA.service.start()
  await nodeB.service.start()
  assert.equal(nodeA.service.protocols, [IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL])

  const result = await nodeA.service.identify(nodeA.connections[0])
  assert.ok(result.protocols.includes('/b/1'))
  assert.ok((await nodeA.peerStore.get(b.peerId)).protocols.includes(IDENTIFY_PUSH_PROTOCOL))

  // B does not know A yet, so B's push goes nowhere; A's push reaches B.
  nodeA.protocols = [...nodeA.protocols, '/a/2']
  nodeA.service.localChanged()
  nodeA.service.localChanged() // coalesced
  await new Promise(resolve => setTimeout(resolve, 60))
  const seenByB = await nodeB.peerStore.get(a.peerId)
  assert.ok(seenByB?.protocols.includes('/a/2'), 'B learned A\'s new protocol from the push')

  // A second push stream from the same peer while one is in flight is reset.
  const first = streamPair()
  const second = streamPair()
  nodeB.handlers.get(IDENTIFY_PUSH_PROTOCOL)(first[1], { remotePeer: a.peerId })
  nodeB.handlers.get(IDENTIFY_PUSH_PROTOCOL)(second[1], { remotePeer: a.peerId })
  assert.instance(second[1].error, Error)
  first[0].reset()

  await nodeA.service.stop()
  await nodeB.service.stop()
  assert.is(nodeA.handlers.size, 0)
})

test('service: a peer that stalls a push costs at most the timeout', async () => {
  const self = testPeer()
  const stalled = testPeer()
  const peerStore = new MemoryPeerStore()
  await peerStore.patch(stalled.peerId, { protocols: [IDENTIFY_PUSH_PROTOCOL] })
  let aborted
  const stream = {
    write: () => new Promise(() => {}), // never accepted
    closeWrite: async () => {}, close: async () => {}, reset () {},
    abort: err => { aborted = err },
    async * [Symbol.asyncIterator] () {}
  }
  const service = createIdentifyService({
    registrar: { handle () {}, unhandle () {} },
    peerStore,
    local: () => ({ publicKey: self.publicKey, listenAddrs: [], protocols: [] }),
    connections: () => [{ remotePeer: stalled.peerId, newStream: async () => stream }],
    timeout: 30
  })
  const started = performance.now()
  await service.push()
  assert.ok(performance.now() - started < 2000)
  assert.instance(aborted, IdentifyTimeoutError)
})

test('we refuse to send a message our peers would refuse', async () => {
  const server = testPeer()
  const protocols = Array.from({ length: 400 }, (_, i) => `/a/rather/long/protocol/name/${i}/1.0.0`)
  const [out, inbound] = streamPair()
  const served = handleIdentify(inbound, { connection: { remotePeer: testPeer().peerId }, local: localInfo(server, { protocols }) })
  assert.instance(await rejection(served), IdentifyMessageTooLargeError)
  assert.instance(await rejection(identify(out, { connection: { remotePeer: server.peerId } })), Error)
})

test.run()
