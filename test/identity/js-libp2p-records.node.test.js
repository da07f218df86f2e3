// Envelopes and peer records against js-libp2p (@libp2p/peer-record), in process:
// records sealed by either side open, verify and decode on the other, byte-identically.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as jsKeys from '@libp2p/crypto/keys'
import * as jsPeerId from '@libp2p/peer-id'
import { RecordEnvelope as JsEnvelope, PeerRecord as JsPeerRecord } from '@libp2p/peer-record'
import { multiaddr as jsMultiaddr } from '@multiformats/multiaddr'
import {
  RecordEnvelope, PeerRecord, InvalidSignatureError, generateKeyPair, peerIdFromPrivateKey, privateKeyToProtobuf
} from '../../dist/index.js'

const toHex = (u) => Buffer.from(u).toString('hex')
const ADDRS = ['/ip4/127.0.0.1/tcp/4001', '/ip4/127.0.0.1/tcp/4002/ws', '/ip6/::1/tcp/4003']

for (const type of ['Ed25519', 'secp256k1']) {
  test(`${type}: js-libp2p seals, wasp2p opens`, async () => {
    const jsKey = await jsKeys.generateKeyPair(type)
    const jsRecord = new JsPeerRecord({ peerId: jsPeerId.peerIdFromPrivateKey(jsKey), multiaddrs: ADDRS.map((a) => jsMultiaddr(a)) })
    const bytes = (await JsEnvelope.seal(jsRecord, jsKey)).marshal()
    const { envelope, record } = await PeerRecord.consumeEnvelope(bytes)
    assert.is(record.peerId.toString(), jsRecord.peerId.toString())
    assert.is(record.seqNumber, jsRecord.seqNumber)
    assert.equal(record.multiaddrs.map(String), ADDRS)
    assert.is(toHex(envelope.marshal()), toHex(bytes))
    assert.is(toHex(record.marshal()), toHex(jsRecord.marshal()))
    let caught
    try { await RecordEnvelope.openAndCertify(bytes, 'wrong-domain') } catch (err) { caught = err }
    assert.instance(caught, InvalidSignatureError)
  })

  test(`${type}: wasp2p seals, js-libp2p opens`, async () => {
    const key = await generateKeyPair(type)
    const record = new PeerRecord({ peerId: peerIdFromPrivateKey(key), multiaddrs: ADDRS })
    const bytes = (await RecordEnvelope.seal(record, key)).marshal()
    const jsEnvelope = await JsEnvelope.openAndCertify(bytes, JsPeerRecord.DOMAIN)
    assert.is(toHex(jsEnvelope.payloadType), toHex(JsPeerRecord.CODEC))
    const jsRecord = JsPeerRecord.createFromProtobuf(jsEnvelope.payload)
    assert.is(jsRecord.peerId.toString(), record.peerId.toString())
    assert.is(jsRecord.seqNumber, record.seqNumber)
    assert.equal(jsRecord.multiaddrs.map(String), ADDRS)
    assert.is(toHex(jsEnvelope.marshal()), toHex(bytes))
    // js-libp2p signs the same bytes we do: its signature over our record verifies here.
    const jsKey = jsKeys.privateKeyFromProtobuf(privateKeyToProtobuf(key))
    const jsSealed = await JsEnvelope.seal(jsRecord, jsKey)
    const ours = RecordEnvelope.createFromProtobuf(jsSealed.marshal())
    assert.ok(await ours.validate(PeerRecord.DOMAIN))
    if (type === 'Ed25519') assert.is(toHex(jsSealed.marshal()), toHex(bytes)) // Ed25519 is deterministic
  })
}

test.run()
