// Signed envelopes and peer records: round trips, domain separation, tampering, hostile bytes.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  RecordEnvelope, PeerRecord, PEER_RECORD_DOMAIN, InvalidEnvelopeError, InvalidSignatureError, InvalidPeerRecordError,
  generateKeyPair, peerIdFromPrivateKey, publicKeyToProtobuf
} from '../../dist/index.js'
import { envelopeSignedData } from '../../dist/record/envelope.js'
import { enableKeyTypes, secp256k1Keys, ecdsaKeys, rsaKeys } from '../../dist/index.js'

// Node enables every key type by default; a browser bundle only Ed25519 until asked (src/keys/registry.ts).
enableKeyTypes(secp256k1Keys, ecdsaKeys, rsaKeys)

const toHex = (u) => Array.from(u, (b) => b.toString(16).padStart(2, '0')).join('')
const MUTATIONS = 1500
const ADDRS = ['/ip4/127.0.0.1/tcp/4001', '/ip6/::1/tcp/4002/ws', '/dns4/example.com/tcp/443/wss']

const isNamed = (e) => e instanceof InvalidEnvelopeError || e instanceof InvalidSignatureError || e instanceof InvalidPeerRecordError

async function recordAndKey (type = 'Ed25519') {
  const key = await generateKeyPair(type)
  const record = new PeerRecord({ peerId: peerIdFromPrivateKey(key), multiaddrs: ADDRS })
  return { key, record }
}

test('signed data layout: uvarint-prefixed domain, payload type, payload (RFC 0002)', () => {
  const payload = new Uint8Array(200).fill(9)
  const data = envelopeSignedData('ab', Uint8Array.of(3, 1), payload)
  assert.is(toHex(data.subarray(0, 8)), '02' + '6162' + '02' + '0301' + 'c801')
  assert.is(data.length, 8 + 200)
})

for (const type of ['Ed25519', 'secp256k1', 'ECDSA']) {
  test(`${type}: seal → marshal → consumeEnvelope round trip`, async () => {
    const { key, record } = await recordAndKey(type)
    const envelope = await RecordEnvelope.seal(record, key)
    const bytes = envelope.marshal()
    const opened = await RecordEnvelope.openAndCertify(bytes, PEER_RECORD_DOMAIN)
    assert.ok(opened.equals(envelope))
    assert.is(toHex(publicKeyToProtobuf(opened.publicKey)), toHex(publicKeyToProtobuf(key.publicKey)))
    const { record: back } = await PeerRecord.consumeEnvelope(bytes)
    assert.ok(back.equals(record))
    assert.equal(back.multiaddrs.map(String), ADDRS)
    assert.is(back.seqNumber, record.seqNumber)
    assert.ok(back.peerId.equals(peerIdFromPrivateKey(key)))
  })
}

test('domain separation: another domain fails with InvalidSignatureError', async () => {
  const { key, record } = await recordAndKey()
  const bytes = (await RecordEnvelope.seal(record, key)).marshal()
  let caught
  try { await RecordEnvelope.openAndCertify(bytes, 'libp2p-routing-state') } catch (err) { caught = err }
  assert.instance(caught, InvalidSignatureError)
})

test('tampered payload or signature fails; a record signed by another peer is refused', async () => {
  const { key, record } = await recordAndKey()
  const envelope = await RecordEnvelope.seal(record, key)
  const payload = envelope.payload.slice(); payload[payload.length - 1] ^= 1
  const tampered = new RecordEnvelope({ ...envelope, publicKey: envelope.publicKey, payloadType: envelope.payloadType, payload, signature: envelope.signature })
  assert.not.ok(await tampered.validate(PEER_RECORD_DOMAIN))
  let caught
  try { await PeerRecord.consumeEnvelope(tampered.marshal()) } catch (err) { caught = err }
  assert.instance(caught, InvalidSignatureError)
  const noSig = new RecordEnvelope({ publicKey: envelope.publicKey, payloadType: envelope.payloadType, payload: envelope.payload, signature: new Uint8Array(0) })
  assert.not.ok(await noSig.validate(PEER_RECORD_DOMAIN))
  // A valid envelope by `other` over a record that names `key`'s peer.
  const other = await generateKeyPair()
  const forged = (await RecordEnvelope.seal(record, other)).marshal()
  caught = undefined
  try { await PeerRecord.consumeEnvelope(forged) } catch (err) { caught = err }
  assert.instance(caught, InvalidPeerRecordError)
  // A valid envelope of another payload type.
  const notARecord = { domain: PEER_RECORD_DOMAIN, codec: Uint8Array.of(0x2f, 0x78), marshal: () => record.marshal() }
  caught = undefined
  try { await PeerRecord.consumeEnvelope((await RecordEnvelope.seal(notARecord, key)).marshal()) } catch (err) { caught = err }
  assert.instance(caught, InvalidPeerRecordError)
})

test('seq numbers default to the clock and strictly increase', async () => {
  const { record } = await recordAndKey()
  const seqs = Array.from({ length: 5 }, () => new PeerRecord({ peerId: record.peerId }).seqNumber)
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1])
  assert.ok(seqs[0] >= BigInt(Date.now()) - 60_000n)
  const explicit = new PeerRecord({ peerId: record.peerId, seqNumber: 0n })
  assert.ok(PeerRecord.createFromProtobuf(explicit.marshal()).equals(explicit))
})

test('hostile input: malformed envelopes and records give named errors', async () => {
  const cases = [new Uint8Array(0), Uint8Array.of(0x0a, 0x05, 1), Uint8Array.of(0x12, 0x01, 0x00), new Uint8Array(70 * 1024)]
  for (const bytes of cases) assert.throws(() => RecordEnvelope.createFromProtobuf(bytes), (e) => e instanceof InvalidEnvelopeError)
  const { record } = await recordAndKey()
  const good = record.marshal()
  for (const bytes of [new Uint8Array(0), good.subarray(0, 10), Uint8Array.of(0x1a, 0x02, 0x0a, 0x01), Uint8Array.of(0x0a, 0x02, 0x12, 0x00)]) {
    assert.throws(() => PeerRecord.createFromProtobuf(bytes), (e) => e instanceof InvalidPeerRecordError)
  }
})

test(`fuzz: ${MUTATIONS} mutations of a sealed peer record give a record or a named error`, async () => {
  const { key, record } = await recordAndKey()
  const bytes = (await RecordEnvelope.seal(record, key)).marshal()
  let accepted = 0
  let rejected = 0
  for (let i = 0; i < MUTATIONS; i++) {
    const m = bytes.slice()
    const r = Math.random()
    const at = Math.floor(Math.random() * m.length)
    let input = m
    if (r < 0.4) m[at] ^= 1 << Math.floor(Math.random() * 8)
    else if (r < 0.7) m[at] = Math.floor(Math.random() * 256)
    else input = m.subarray(0, at)
    try {
      await PeerRecord.consumeEnvelope(input)
      accepted++
    } catch (err) {
      if (!isNamed(err)) throw new Error(`${toHex(input)} threw ${err?.name}: ${err?.message}`)
      rejected++
    }
  }
  assert.is(accepted + rejected, MUTATIONS)
  assert.ok(rejected > MUTATIONS / 2)
})

test.run()
