// The DHT codec against js-libp2p's own (protons-generated, from @libp2p/kad-dht) in both
// directions: same fields, same bytes where the encodings are canonical.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Message as JsMessage, Record as JsRecord } from '../../node_modules/@libp2p/kad-dht/dist/src/message/dht.js'
import { MessageType, decodeMessage, decodeRecord, dhtMessage, encodeMessage, encodeRecord } from '../../dist/dht/message.js'
import { rng } from './helpers/random.js'

const r = rng(5)
const TYPE_NAMES = Object.keys(MessageType)
const CONNECTION_NAMES = ['NOT_CONNECTED', 'CONNECTED', 'CAN_CONNECT', 'CANNOT_CONNECT']
const peer = () => ({ id: r.bytes(38), addrs: [r.bytes(8), r.bytes(20)], connection: r.int(4) })

test('js-libp2p decodes what we encode', () => {
  for (const type of Object.values(MessageType)) {
    const record = { key: r.bytes(40), value: r.bytes(64), timeReceived: '2026-11-26T21:00:00Z' }
    const msg = dhtMessage({ type, key: r.bytes(34), record, closerPeers: [peer(), peer()], providerPeers: [peer()] })
    const js = JsMessage.decode(encodeMessage(msg))
    assert.is(js.type, TYPE_NAMES[type])
    assert.equal(js.key, msg.key)
    const jsRecord = JsRecord.decode(js.record)
    assert.equal(jsRecord.key, record.key)
    assert.equal(jsRecord.value, record.value)
    assert.is(jsRecord.timeReceived, record.timeReceived)
    assert.is(js.closer.length, 2)
    assert.equal(js.closer[1].id, msg.closerPeers[1].id)
    assert.equal(js.closer[1].multiaddrs, msg.closerPeers[1].addrs)
    assert.is(js.closer[1].connection ?? 'NOT_CONNECTED', CONNECTION_NAMES[msg.closerPeers[1].connection])
    assert.equal(js.providers[0].id, msg.providerPeers[0].id)
  }
})

test('we decode what js-libp2p encodes, including its omitted PUT_VALUE type', () => {
  for (const name of TYPE_NAMES) {
    const record = { key: r.bytes(40), value: r.bytes(64), timeReceived: '2026-11-26T21:00:00Z' }
    const js = {
      type: name,
      key: r.bytes(34),
      record: JsRecord.encode(record),
      closer: [{ id: r.bytes(38), multiaddrs: [r.bytes(8)], connection: 'CONNECTED' }],
      providers: [{ id: r.bytes(38), multiaddrs: [] }]
    }
    const ours = decodeMessage(JsMessage.encode(js))
    assert.is(ours.type, MessageType[name])
    assert.equal(ours.key, js.key)
    assert.equal(ours.record, record)
    assert.equal(ours.closerPeers, [{ id: js.closer[0].id, addrs: js.closer[0].multiaddrs, connection: 1 }])
    assert.equal(ours.providerPeers, [{ id: js.providers[0].id, addrs: [], connection: 0 }])
    assert.equal(decodeRecord(encodeRecord(record)), decodeRecord(JsRecord.encode(record)))
  }
})

test('a FIND_NODE request encodes to the same bytes as js-libp2p', () => {
  const key = r.bytes(38)
  assert.equal(encodeMessage(dhtMessage({ type: MessageType.FIND_NODE, key })), JsMessage.encode({ type: 'FIND_NODE', key, closer: [], providers: [] }))
})

test.run()
