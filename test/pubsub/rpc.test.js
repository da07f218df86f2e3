// The RPC codec (pubsub README "The RPC", gossipsub-v1.0.md "Protobuf"), the signature policies
// (pubsub README "Message Signing") and the default message ids.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { generateKeyPair, publicKeyToProtobuf } from '../../dist/keys/index.js'
import { peerIdFromPrivateKey } from '../../dist/peer-id/index.js'
import { sha256 } from '../../dist/crypto/index.js'
import {
  encodeRpc, decodeRpc, encodeMessage, buildMessage, checkMessageSignature, SeqnoCounter, SIGN_PREFIX,
  msgIdFromOrigin, msgIdFromData, msgIdLax, InvalidRpcError, MAX_RPC_FIELDS, resolveOptions, PubSubUsageError
} from '../../dist/pubsub/index.js'
import { AuthorCache } from '../../dist/pubsub/signing.js'

const bytes = fc.uint8Array({ maxLength: 64 })
const topic = fc.string({ minLength: 1, maxLength: 20 })
const message = fc.record({ from: fc.option(bytes, { nil: undefined }), data: fc.option(bytes, { nil: undefined }), seqno: fc.option(bytes, { nil: undefined }), topic, signature: fc.option(bytes, { nil: undefined }), key: fc.option(bytes, { nil: undefined }) })
  .map(m => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)))
const rpc = fc.record({
  subscriptions: fc.array(fc.record({ subscribe: fc.boolean(), topic }), { maxLength: 4 }),
  messages: fc.array(message, { maxLength: 4 }),
  control: fc.record({
    ihave: fc.array(fc.record({ topic, messageIds: fc.array(bytes, { maxLength: 4 }) }), { maxLength: 3 }),
    iwant: fc.array(fc.record({ messageIds: fc.array(bytes, { minLength: 1, maxLength: 4 }) }), { maxLength: 3 }),
    graft: fc.array(fc.record({ topic }), { maxLength: 3 }),
    prune: fc.array(fc.record({ topic, peers: fc.array(fc.record({ peerId: bytes, signedPeerRecord: bytes }), { maxLength: 2 }), backoff: fc.integer({ min: 1, max: 3600 }) }), { maxLength: 2 }),
    idontwant: fc.array(fc.record({ messageIds: fc.array(bytes, { minLength: 1, maxLength: 4 }) }), { maxLength: 2 })
  })
})

test('RPCs round-trip through encode/decode (property)', () => {
  fc.assert(fc.property(rpc, generated => {
    const r = structuredClone(generated) // plain prototypes, as decode builds them
    const decoded = decodeRpc(encodeRpc(r))
    const empty = Object.values(r.control).every(a => a.length === 0)
    const expected = empty ? { subscriptions: r.subscriptions, messages: r.messages } : r
    assert.equal(decoded, expected)
  }), { numRuns: 200 })
})

test('a hand-built RPC decodes to the fields it was built with (field numbers of the spec)', () => {
  // subscriptions { subscribe: true, topicid: "a" }, publish { data: 0x01, topic: "a" }
  const wire = Uint8Array.from([0x0a, 0x05, 0x08, 0x01, 0x12, 0x01, 0x61, 0x12, 0x06, 0x12, 0x01, 0x01, 0x22, 0x01, 0x61])
  assert.equal(decodeRpc(wire), { subscriptions: [{ subscribe: true, topic: 'a' }], messages: [{ data: Uint8Array.of(1), topic: 'a' }] })
  assert.equal(encodeRpc(decodeRpc(wire)), wire)
})

test('malformed RPCs and RPCs with too many fields are InvalidRpcError', () => {
  assert.throws(() => decodeRpc(Uint8Array.of(0x0a, 0x05, 0x08)), e => e instanceof InvalidRpcError && e.name === 'InvalidRpcError')
  // MAX_RPC_FIELDS + 1 empty IWANT entries (2 bytes each) inside one control message.
  const inner = new Uint8Array((MAX_RPC_FIELDS + 1) * 2)
  for (let i = 0; i < inner.length; i += 2) { inner[i] = 0x12; inner[i + 1] = 0 }
  const len = []
  let n = inner.length
  while (n >= 0x80) { len.push((n & 0x7f) | 0x80); n >>>= 7 }
  len.push(n)
  const wire = Uint8Array.from([0x1a, ...len, ...inner])
  assert.throws(() => decodeRpc(wire), e => e instanceof InvalidRpcError)
})

test('StrictSign: our signature covers "libp2p-pubsub:" ‖ the message without signature and key, and verifies', async () => {
  const key = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(key)
  const m = await buildMessage('StrictSign', { peerId, privateKey: key }, new SeqnoCounter(), 'topic', Uint8Array.of(1, 2, 3))
  assert.equal(m.from, peerId.multihash)
  assert.is(m.seqno.length, 8)
  assert.is(m.key, undefined, 'an Ed25519 key is inlined in from')
  const signed = new Uint8Array([...SIGN_PREFIX, ...encodeMessage(m, false)])
  assert.ok(await key.publicKey.verify(signed, m.signature))
  const check = await checkMessageSignature('StrictSign', m)
  assert.ok(check.valid)
  assert.ok(check.from.equals(peerId))
})

test('StrictSign rejects tampered data, missing fields, a wrong key and a bad seqno', async () => {
  const key = await generateKeyPair('Ed25519')
  const other = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(key)
  const m = await buildMessage('StrictSign', { peerId, privateKey: key }, new SeqnoCounter(), 't', Uint8Array.of(9))
  const reason = async x => (await checkMessageSignature('StrictSign', x)).reason
  assert.is(await reason({ ...m, data: Uint8Array.of(8) }), 'invalid-signature')
  assert.is(await reason({ ...m, topic: 'u' }), 'invalid-signature')
  assert.is(await reason({ ...m, signature: undefined }), 'missing-signature')
  assert.is(await reason({ ...m, seqno: undefined }), 'missing-seqno')
  assert.is(await reason({ ...m, seqno: Uint8Array.of(1) }), 'invalid-seqno')
  assert.is(await reason({ ...m, from: undefined }), 'missing-from')
  assert.is(await reason({ ...m, from: Uint8Array.of(0x00, 0x02, 0xff, 0xff) }), 'invalid-from')
  assert.is(await reason({ ...m, key: publicKeyToProtobuf(other.publicKey) }), 'key-mismatch')
  assert.is(await reason({ ...m, signature: new Uint8Array(3) }), 'invalid-signature')
})

test('the author cache gives one PeerId per author (so its key is parsed once) and stays bounded', async () => {
  const cache = new AuthorCache(2)
  const keys = await Promise.all([1, 2, 3].map(() => generateKeyPair('Ed25519')))
  const ids = keys.map(k => peerIdFromPrivateKey(k))
  const first = cache.get(ids[0].multihash.slice())
  assert.ok(first.equals(ids[0]))
  assert.is(cache.get(ids[0].multihash.slice()), first, 'the same object for the same bytes')
  const m = await buildMessage('StrictSign', { peerId: ids[0], privateKey: keys[0] }, new SeqnoCounter(), 't', Uint8Array.of(1))
  assert.ok((await checkMessageSignature('StrictSign', m, cache)).valid)
  assert.is((await checkMessageSignature('StrictSign', { ...m, data: Uint8Array.of(2) }, cache)).reason, 'invalid-signature')
  cache.get(ids[1].multihash); cache.get(ids[2].multihash)
  assert.not.ok(cache.get(ids[0].multihash.slice()) === first, 'the oldest author was evicted beyond the bound')
})

test('StrictNoSign sends no origin fields and rejects messages carrying any', async () => {
  const key = await generateKeyPair('Ed25519')
  const m = await buildMessage('StrictNoSign', { peerId: peerIdFromPrivateKey(key), privateKey: key }, new SeqnoCounter(), 't', Uint8Array.of(1))
  assert.equal(Object.keys(m).sort(), ['data', 'topic'])
  assert.ok((await checkMessageSignature('StrictNoSign', m)).valid)
  for (const [field, reason] of [['signature', 'signature-present'], ['seqno', 'seqno-present'], ['from', 'from-present'], ['key', 'key-present']]) {
    assert.is((await checkMessageSignature('StrictNoSign', { ...m, [field]: Uint8Array.of(1) })).reason, reason)
  }
})

test('message ids: origin key ‖ seqno for signed messages; SHA-256 of the data for unsigned ones', async () => {
  const key = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(key)
  const seqno = new SeqnoCounter()
  const m = await buildMessage('StrictSign', { peerId, privateKey: key }, seqno, 't', Uint8Array.of(1))
  assert.equal(msgIdFromOrigin(m), new Uint8Array([...publicKeyToProtobuf(key.publicKey), ...m.seqno]))
  const m2 = await buildMessage('StrictSign', { peerId, privateKey: key }, seqno, 't', Uint8Array.of(1))
  assert.not.equal(msgIdFromOrigin(m2), msgIdFromOrigin(m), 'seqnos increase, so ids differ')
  assert.equal(msgIdFromData({ topic: 't', data: Uint8Array.of(1, 2) }), sha256(Uint8Array.of(1, 2)))
})

test('LaxSign: we sign; unsigned messages are accepted, a signature present must verify', async () => {
  const key = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(key)
  const m = await buildMessage('LaxSign', { peerId, privateKey: key }, new SeqnoCounter(), 't', Uint8Array.of(1))
  assert.equal(m.from, peerId.multihash)
  assert.is(m.seqno.length, 8)
  assert.ok((await checkMessageSignature('StrictSign', m)).valid, 'signed as under StrictSign')
  const check = await checkMessageSignature('LaxSign', m)
  assert.ok(check.valid)
  assert.ok(check.from.equals(peerId), 'a verified signature names the author')
  assert.is((await checkMessageSignature('LaxSign', { ...m, data: Uint8Array.of(2) })).reason, 'invalid-signature')
  assert.is((await checkMessageSignature('LaxSign', { ...m, seqno: undefined })).reason, 'missing-seqno', 'a signed message still needs its seqno')
  const unsigned = await checkMessageSignature('LaxSign', { topic: 't', data: Uint8Array.of(1) })
  assert.ok(unsigned.valid)
  assert.is(unsigned.from, undefined)
  const stamped = await checkMessageSignature('LaxSign', { from: peerId.multihash, seqno: m.seqno, topic: 't', data: Uint8Array.of(7) })
  assert.ok(stamped.valid, 'an origin-stamped but unsigned message is accepted...')
  assert.is(stamped.from, undefined, '...but nothing vouches for its from')
  assert.is((await checkMessageSignature('LaxSign', { topic: 't', seqno: Uint8Array.of(1) })).reason, 'invalid-seqno')
})

test('LaxNoSign: we publish no origin fields; signed and unsigned messages are accepted, bad signatures rejected', async () => {
  const key = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(key)
  const m = await buildMessage('LaxNoSign', { peerId, privateKey: key }, new SeqnoCounter(), 't', Uint8Array.of(1))
  assert.equal(Object.keys(m).sort(), ['data', 'topic'])
  assert.ok((await checkMessageSignature('LaxNoSign', m)).valid)
  assert.is((await checkMessageSignature('StrictSign', m)).reason, 'missing-seqno', 'a StrictSign router refuses it')
  const signed = await buildMessage('StrictSign', { peerId, privateKey: key }, new SeqnoCounter(), 't', Uint8Array.of(1))
  assert.ok((await checkMessageSignature('LaxNoSign', signed)).from.equals(peerId))
  assert.is((await checkMessageSignature('LaxNoSign', { ...signed, topic: 'u' })).reason, 'invalid-signature')
  assert.is((await checkMessageSignature('StrictNoSign', signed)).reason, 'signature-present', 'a StrictNoSign router refuses the signed one')
})

test('Lax policies: default id by origin for stamped messages, by data hash otherwise; a deprecation warning once', async () => {
  const key = await generateKeyPair('Ed25519')
  const peerId = peerIdFromPrivateKey(key)
  const signed = await buildMessage('LaxSign', { peerId, privateKey: key }, new SeqnoCounter(), 't', Uint8Array.of(1))
  assert.equal(msgIdLax(signed), msgIdFromOrigin(signed))
  assert.equal(msgIdLax({ topic: 't', data: Uint8Array.of(1) }), sha256(Uint8Array.of(1)))
  const warnings = []
  const warn = console.warn
  console.warn = (...args) => { warnings.push(args.join(' ')) }
  try {
    for (const policy of ['LaxNoSign', 'LaxNoSign', 'StrictSign']) assert.is(resolveOptions({ signaturePolicy: policy }).signaturePolicy, policy)
    assert.is(resolveOptions({ signaturePolicy: 'LaxNoSign' }).msgIdFn, msgIdLax)
  } finally { console.warn = warn }
  assert.is(warnings.length, 1, 'warned once, for LaxNoSign only')
  assert.match(warnings[0], /LaxNoSign is deprecated/)
  assert.throws(() => resolveOptions({ signaturePolicy: 'Lax' }), e => e instanceof PubSubUsageError)
})

test.run()
