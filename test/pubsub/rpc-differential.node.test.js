// Our RPC codec against js-libp2p gossipsub's own protobuf codec (@libp2p/gossipsub/message):
// what either encodes, the other decodes to the same fields.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { RPC } from '@libp2p/gossipsub/message'
import { encodeRpc, decodeRpc } from '../../dist/pubsub/index.js'

const bytes = fc.uint8Array({ minLength: 1, maxLength: 48 })
const topic = fc.string({ minLength: 1, maxLength: 16 })
const ours = fc.record({
  subscriptions: fc.array(fc.record({ subscribe: fc.boolean(), topic }), { maxLength: 3 }),
  messages: fc.array(fc.record({ from: bytes, data: bytes, seqno: bytes, topic, signature: bytes }), { maxLength: 3 }),
  control: fc.record({
    ihave: fc.array(fc.record({ topic, messageIds: fc.array(bytes, { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 2 }),
    iwant: fc.array(fc.record({ messageIds: fc.array(bytes, { minLength: 1, maxLength: 3 }) }), { maxLength: 2 }),
    graft: fc.array(fc.record({ topic }), { maxLength: 2 }),
    prune: fc.array(fc.record({ topic, peers: fc.array(fc.record({ peerId: bytes, signedPeerRecord: bytes }), { maxLength: 2 }), backoff: fc.integer({ min: 1, max: 600 }) }), { maxLength: 2 }),
    idontwant: fc.array(fc.record({ messageIds: fc.array(bytes, { minLength: 1, maxLength: 2 }) }), { maxLength: 2 })
  })
}).map(r => structuredClone(r))

/** js-libp2p's field names → ours. */
function fromJs (r) {
  return {
    subscriptions: r.subscriptions.map(s => ({ subscribe: s.subscribe, topic: s.topic })),
    messages: r.messages.map(m => ({ from: m.from, data: m.data, seqno: m.seqno, topic: m.topic, signature: m.signature })),
    control: {
      ihave: r.control.ihave.map(x => ({ topic: x.topicID, messageIds: x.messageIDs })),
      iwant: r.control.iwant.map(x => ({ messageIds: x.messageIDs })),
      graft: r.control.graft.map(x => ({ topic: x.topicID })),
      prune: r.control.prune.map(x => ({ topic: x.topicID, peers: x.peers.map(p => ({ peerId: p.peerID, signedPeerRecord: p.signedPeerRecord })), backoff: x.backoff })),
      idontwant: r.control.idontwant.map(x => ({ messageIds: x.messageIDs }))
    }
  }
}

function toJs (r) {
  return {
    subscriptions: r.subscriptions,
    messages: r.messages,
    control: {
      ihave: r.control.ihave.map(x => ({ topicID: x.topic, messageIDs: x.messageIds })),
      iwant: r.control.iwant.map(x => ({ messageIDs: x.messageIds })),
      graft: r.control.graft.map(x => ({ topicID: x.topic })),
      prune: r.control.prune.map(x => ({ topicID: x.topic, peers: x.peers.map(p => ({ peerID: p.peerId, signedPeerRecord: p.signedPeerRecord })), backoff: x.backoff })),
      idontwant: r.control.idontwant.map(x => ({ messageIDs: x.messageIds }))
    }
  }
}

const plain = x => JSON.parse(JSON.stringify(x, (_k, v) => v instanceof Uint8Array ? Array.from(v) : v))

test('js-libp2p decodes what we encode (property)', () => {
  fc.assert(fc.property(ours, r => {
    assert.equal(plain(fromJs(RPC.decode(encodeRpc(r)))), plain(r))
  }), { numRuns: 150 })
})

test('we decode what js-libp2p encodes (property)', () => {
  fc.assert(fc.property(ours, r => {
    assert.equal(plain(decodeRpc(RPC.encode(toJs(r)))), plain(r))
  }), { numRuns: 150 })
})

test.run()
