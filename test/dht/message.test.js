// DHT message codec: round trips of every message type, and hostile inputs.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  ConnectionType, DhtMessageError, MAX_ADDRS_PER_PEER, MAX_KEY_BYTES, MAX_MESSAGE_BYTES, MAX_PEERS_PER_LIST, MessageType,
  decodeMessage, decodeRecord, dhtMessage, encodeMessage, encodeRecord
} from '../../dist/dht/message.js'
import { rng } from './helpers/random.js'

const r = rng(42)
const peer = (n = 2) => ({ id: new Uint8Array([0, 36, 8, 1, 18, 32, ...r.bytes(32)]), addrs: Array.from({ length: n }, () => new Uint8Array([4, 127, 0, 0, 1, 6, r.int(256), r.int(256)])), connection: r.int(4) })

function isMessageError (err) { return err instanceof DhtMessageError && err.name === 'DhtMessageError' }

test('every message type round-trips', () => {
  for (const type of Object.values(MessageType)) {
    const msg = dhtMessage({
      type,
      key: r.bytes(34),
      record: { key: r.bytes(34), value: r.bytes(100), timeReceived: '2026-11-26T21:00:00.000Z' },
      closerPeers: [peer(), peer(0), peer(3)],
      providerPeers: [peer(1)],
      clusterLevelRaw: type === MessageType.PING ? -3 : 0
    })
    assert.equal(decodeMessage(encodeMessage(msg)), msg)
  }
})

test('minimal messages: absent fields decode to defaults; PUT_VALUE is the absent type', () => {
  assert.equal(decodeMessage(new Uint8Array(0)), dhtMessage({ type: MessageType.PUT_VALUE }))
  const find = dhtMessage({ type: MessageType.FIND_NODE, key: r.bytes(38) })
  const bytes = encodeMessage(find)
  assert.is(bytes[0], 0x08) // field 1, varint
  assert.is(bytes[1], 4)
  assert.equal(decodeMessage(bytes), find)
  const record = { key: r.bytes(5), value: new Uint8Array(0), timeReceived: '' }
  assert.equal(decodeRecord(encodeRecord(record)), record)
})

test('unknown fields and removed Record fields (author, signature) are skipped', () => {
  const msg = dhtMessage({ type: MessageType.GET_VALUE, key: r.bytes(10) })
  const extra = [
    0x1a, 0x0a, 0x0a, 0x02, 1, 2, 0x1a, 0x01, 9, 0x22, 0x01, 9, // record: key=[1,2], author=[9], signature=[9]
    0x58, 0x05, // field 11 varint
    0x61, 1, 2, 3, 4, 5, 6, 7, 8, // field 12 fixed64
    0x6d, 1, 2, 3, 4 // field 13 fixed32
  ]
  const bytes = new Uint8Array([...encodeMessage(msg), ...extra])
  const decoded = decodeMessage(bytes)
  assert.equal(decoded.key, msg.key)
  assert.equal(decoded.record, { key: new Uint8Array([1, 2]), value: new Uint8Array(0), timeReceived: '' })
})

test('truncated messages are DhtMessageErrors at every cut', () => {
  const bytes = encodeMessage(dhtMessage({ type: MessageType.GET_PROVIDERS, key: r.bytes(34), closerPeers: [peer(), peer()], providerPeers: [peer()] }))
  let failures = 0
  for (let cut = 1; cut < bytes.length; cut++) {
    try { decodeMessage(bytes.subarray(0, cut)) } catch (err) {
      assert.ok(isMessageError(err), `cut ${cut}: ${err}`)
      failures++
    }
  }
  // A cut exactly between top-level fields is a valid shorter message; most cuts are not.
  assert.ok(failures > bytes.length - 10, `${failures} of ${bytes.length - 1} cuts rejected`)
})

test('oversized inputs are refused with DhtMessageError', () => {
  assert.throws(() => decodeMessage(new Uint8Array(MAX_MESSAGE_BYTES + 1)), isMessageError)
  assert.throws(() => encodeMessage(dhtMessage({ type: 0, record: { key: new Uint8Array(1), value: new Uint8Array(MAX_MESSAGE_BYTES), timeReceived: '' } })), isMessageError)
  assert.throws(() => decodeMessage(encodeMessage(dhtMessage({ type: 1, key: new Uint8Array(MAX_KEY_BYTES + 1) }))), isMessageError)
  const many = dhtMessage({ type: 4, closerPeers: Array.from({ length: MAX_PEERS_PER_LIST + 1 }, () => peer(0)) })
  assert.throws(() => decodeMessage(encodeMessage(many)), isMessageError)
  const fat = dhtMessage({ type: 4, closerPeers: [peer(MAX_ADDRS_PER_PEER + 1)] })
  assert.throws(() => decodeMessage(encodeMessage(fat)), isMessageError)
  // A length prefix claiming more than is there.
  assert.throws(() => decodeMessage(new Uint8Array([0x12, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2])), isMessageError)
})

test('malformed structure is refused with DhtMessageError', () => {
  const cases = [
    [0x08, 0x06], // unknown message type 6
    [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], // varint of 11 bytes
    [0x12, 0x02, 0x01], // key truncated
    [0x10, 0x01], // key as a varint
    [0x0a, 0x00], // type as bytes
    [0x42, 0x02, 0x12, 0x00], // closer peer without an id
    [0x0b], // wire type 3 (start group)
    [0x00, 0x00], // field 0
    [0x1a, 0x04, 0x2a, 0x02, 0xc3, 0x28] // timeReceived not UTF-8
  ]
  for (const bytes of cases) assert.throws(() => decodeMessage(new Uint8Array(bytes)), isMessageError, bytes.join())
  assert.throws(() => decodeMessage('nope'), err => err instanceof TypeError)
})

test('random garbage never escapes as anything but DhtMessageError', () => {
  for (let i = 0; i < 2000; i++) {
    const bytes = r.bytes(1 + r.int(64))
    try { decodeMessage(bytes) } catch (err) { assert.ok(isMessageError(err), String(err)) }
  }
})

test('unknown connection types decode as NOT_CONNECTED', () => {
  const bytes = new Uint8Array([0x08, 0x04, 0x42, 0x05, 0x0a, 0x01, 0x07, 0x18, 0x09])
  assert.is(decodeMessage(bytes).closerPeers[0].connection, ConnectionType.NOT_CONNECTED)
})

test.run()
