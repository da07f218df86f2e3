// The DHT request handler and RPC framing over in-memory streams: every request type,
// stream reuse, and hostile or malformed requests (named errors, stream aborted).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { RoutingTable } from '../../dist/dht/routing-table.js'
import { RecordStore } from '../../dist/dht/record-store.js'
import { ProviderStore } from '../../dist/dht/provider-store.js'
import { contactOf, kadKey } from '../../dist/dht/contact.js'
import { DhtRequestError, handleRequest } from '../../dist/dht/handler.js'
import { DhtStreamTimeoutError, frameMessage, readMessage, requestOverStream, serveStream, MAX_REQUESTS_PER_STREAM } from '../../dist/dht/rpc.js'
import { DhtMessageError, MAX_MESSAGE_BYTES, MessageType, dhtMessage } from '../../dist/dht/message.js'
import { InvalidRecordError } from '../../dist/dht/validators.js'
import { ByteReader, encodeVarint } from '../../dist/stream/byte-reader.js'
import { referenceClosest, rng } from './helpers/random.js'
import { streamPair } from './helpers/stream-pair.js'

const r = rng(99)
const newId = () => new Uint8Array([0x00, 0x24, 0x08, 0x01, 0x12, 0x20, ...r.bytes(32)])
const keyStrings = list => list.map(p => p.id.join())

async function server () {
  const self = contactOf(newId())
  const routingTable = new RoutingTable(self.key)
  const peers = Array.from({ length: 300 }, () => ({ ...contactOf(newId()), addrs: [r.bytes(8)] }))
  for (const p of peers) await routingTable.add(p)
  return { self, peers, server: { routingTable, records: new RecordStore(), providers: new ProviderStore() } }
}

function pkRecord () {
  const value = new Uint8Array([0x08, 0x01, 0x12, 0x20, ...r.bytes(32)])
  return { key: new Uint8Array([...new TextEncoder().encode('/pk/'), 0x00, 0x24, ...value]), value, timeReceived: '' }
}

async function rejects (promise, check) {
  try { await promise } catch (err) { assert.ok(check(err), String(err)); return }
  assert.unreachable('expected a rejection')
}

test('FIND_NODE answers the k closest it knows, never the requester', async () => {
  const { server: s, peers } = await server()
  const present = [...s.routingTable.contacts()]
  const requester = present[0]
  const key = requester.id // looking up the requester itself: it must not come back
  const response = await handleRequest(s, dhtMessage({ type: MessageType.FIND_NODE, key }), requester.id)
  const others = present.filter(p => p !== requester)
  const want = referenceClosest(others.map(p => p.key), kadKey(key), 20).map(i => others[i])
  assert.equal(keyStrings(response.closerPeers), keyStrings(want))
  assert.equal(response.closerPeers[0].addrs, want[0].addrs)
  assert.ok(peers.length > 0)
})

test('FIND_NODE for the server\'s own id answers with itself and its addresses', async () => {
  const { server: s, self } = await server()
  const addrs = [r.bytes(8)]
  const withSelf = { ...s, self: { id: self.id, addrs } }
  const response = await handleRequest(withSelf, dhtMessage({ type: MessageType.FIND_NODE, key: self.id }), newId())
  assert.equal(response.closerPeers.map(p => [p.id, p.addrs]), [[self.id, addrs]])
  const other = await handleRequest(withSelf, dhtMessage({ type: MessageType.FIND_NODE, key: newId() }), newId())
  assert.is(other.closerPeers.length, 20)
})

test('PUT_VALUE then GET_VALUE; bad records and mismatched keys are refused', async () => {
  const { server: s } = await server()
  const from = newId()
  const record = pkRecord()
  const put = dhtMessage({ type: MessageType.PUT_VALUE, key: record.key, record })
  assert.equal(await handleRequest(s, put, from), put)
  const got = await handleRequest(s, dhtMessage({ type: MessageType.GET_VALUE, key: record.key }), from)
  assert.equal(got.record.value, record.value)
  assert.is(got.closerPeers.length, 20)
  const missing = await handleRequest(s, dhtMessage({ type: MessageType.GET_VALUE, key: pkRecord().key }), from)
  assert.is(missing.record, undefined)
  const forged = { ...pkRecord(), value: new Uint8Array([1, 2, 3]) }
  await rejects(handleRequest(s, dhtMessage({ type: MessageType.PUT_VALUE, key: forged.key, record: forged }), from), e => e instanceof InvalidRecordError)
  await rejects(handleRequest(s, dhtMessage({ type: MessageType.PUT_VALUE, key: pkRecord().key, record }), from), e => e instanceof DhtRequestError && e.name === 'DhtRequestError')
  await rejects(handleRequest(s, dhtMessage({ type: MessageType.PUT_VALUE, key: record.key }), from), e => e instanceof DhtRequestError)
  await rejects(handleRequest(s, dhtMessage({ type: MessageType.GET_VALUE }), from), e => e instanceof DhtRequestError)
})

test('ADD_PROVIDER stores only the sender; GET_PROVIDERS returns it', async () => {
  const { server: s } = await server()
  const sender = newId(), other = newId()
  const cid = new Uint8Array([0x12, 0x20, ...r.bytes(32)])
  const add = dhtMessage({ type: MessageType.ADD_PROVIDER, key: cid, providerPeers: [{ id: other, addrs: [], connection: 0 }, { id: sender, addrs: [r.bytes(8)], connection: 0 }] })
  assert.is(await handleRequest(s, add, sender), undefined)
  const got = await handleRequest(s, dhtMessage({ type: MessageType.GET_PROVIDERS, key: cid }), newId())
  assert.equal(got.providerPeers.map(p => p.id), [sender])
  assert.is(got.closerPeers.length, 20)
  assert.is((await handleRequest(s, dhtMessage({ type: MessageType.PING }), sender)).type, MessageType.PING)
  // Provider keys must read as CIDs (a bare sha256 multihash is a CIDv0).
  for (const type of [MessageType.ADD_PROVIDER, MessageType.GET_PROVIDERS]) {
    await rejects(handleRequest(s, dhtMessage({ type, key: new Uint8Array([0x12, 0x20, 1, 2]) }), sender), e => e instanceof DhtRequestError)
  }
})

test('requests over a stream: one per stream, and several on one stream', async () => {
  const { server: s } = await server()
  const from = newId()
  const [client, remote] = streamPair()
  const serving = serveStream(remote, s, from)
  const key = newId()
  const response = await requestOverStream(client, dhtMessage({ type: MessageType.FIND_NODE, key }))
  assert.is(response.closerPeers.length, 20)
  assert.is(await serving, 1)
  assert.ok(client.closed && remote.closed)

  const [c2, r2] = streamPair()
  const serving2 = serveStream(r2, s, from)
  const reader = new ByteReader(c2)
  const record = pkRecord()
  await c2.write(frameMessage(dhtMessage({ type: MessageType.PUT_VALUE, key: record.key, record })))
  assert.equal((await readMessage(reader)).record.value, record.value)
  const cid = new Uint8Array([0x12, 0x20, ...r.bytes(32)])
  await c2.write(frameMessage(dhtMessage({ type: MessageType.ADD_PROVIDER, key: cid, providerPeers: [{ id: from, addrs: [], connection: 0 }] })))
  await c2.write(frameMessage(dhtMessage({ type: MessageType.GET_VALUE, key: record.key })))
  assert.equal((await readMessage(reader)).record.value, record.value)
  await c2.closeWrite()
  assert.is(await serving2, 3)
  assert.equal(s.providers.get(cid).map(p => p.id), [from])
  assert.is(await readMessage(reader), undefined)
})

test('hostile streams: oversized, truncated, garbage → DhtMessageError and an aborted stream', async () => {
  const { server: s } = await server()
  const cases = [
    encodeVarint(MAX_MESSAGE_BYTES + 1), // claims more than the limit
    new Uint8Array([0x80, 0x80]), // ends inside the length
    new Uint8Array([...encodeVarint(50), 1, 2, 3]), // ends inside the message
    new Uint8Array([3, 0x08, 0x09, 0x00]), // message type 9
    new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]) // varint too long
  ]
  for (const bytes of cases) {
    const [client, remote] = streamPair()
    const serving = serveStream(remote, s, newId())
    await client.write(bytes)
    await client.closeWrite()
    await rejects(serving, e => e instanceof DhtMessageError && e.name === 'DhtMessageError')
    assert.ok(remote.aborted instanceof DhtMessageError)
  }
  // A bad request (GET_VALUE without a key) is a DhtRequestError.
  const [client, remote] = streamPair()
  const serving = serveStream(remote, s, newId())
  await client.write(frameMessage(dhtMessage({ type: MessageType.GET_VALUE })))
  await rejects(serving, e => e instanceof DhtRequestError)
  assert.ok(remote.aborted instanceof DhtRequestError)
})

test('a silent or trickling requester loses the stream after the request timeout', async () => {
  const { server: s } = await server()
  const [, silentRemote] = streamPair()
  await rejects(serveStream(silentRemote, s, newId(), 30), e => e instanceof DhtStreamTimeoutError && e.name === 'DhtStreamTimeoutError')
  assert.ok(silentRemote.aborted instanceof DhtStreamTimeoutError)
  const [trickle, trickleRemote] = streamPair()
  const serving = serveStream(trickleRemote, s, newId(), 30)
  const frame = frameMessage(dhtMessage({ type: MessageType.PING }))
  await trickle.write(frame.subarray(0, 2)) // the rest never comes
  await rejects(serving, e => e instanceof DhtStreamTimeoutError)
})

test('a stream serves at most MAX_REQUESTS_PER_STREAM requests', async () => {
  const { server: s } = await server()
  const [client, remote] = streamPair()
  const serving = serveStream(remote, s, newId())
  for (let i = 0; i < MAX_REQUESTS_PER_STREAM + 5; i++) await client.write(frameMessage(dhtMessage({ type: MessageType.PING })))
  assert.is(await serving, MAX_REQUESTS_PER_STREAM)
})

test('a requester whose peer closes without answering gets a DhtMessageError; abort aborts the stream', async () => {
  const [client, remote] = streamPair()
  const pending = requestOverStream(client, dhtMessage({ type: MessageType.FIND_NODE, key: newId() }))
  await remote.close()
  await rejects(pending, e => e instanceof DhtMessageError)
  assert.ok(client.aborted !== undefined)

  const [c2] = streamPair()
  const controller = new AbortController()
  const pending2 = requestOverStream(c2, dhtMessage({ type: MessageType.FIND_NODE, key: newId() }), controller.signal)
  controller.abort(new Error('stop'))
  await rejects(pending2, e => e.message === 'stop')
  assert.is(c2.aborted.message, 'stop')
})

test.run()
