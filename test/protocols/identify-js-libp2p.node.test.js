// Identify's wire format against js-libp2p's own code (in this process, no network):
// js-libp2p's Identify protobuf and signed peer records decode and verify here, and
// ours decode and verify there. The network round trip is test/interop/.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '@multiformats/multiaddr'
import { generateKeyPair as jsGenerateKeyPair, publicKeyToProtobuf as jsPublicKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey as jsPeerIdFromPrivateKey } from '@libp2p/peer-id'
import { RecordEnvelope as JsRecordEnvelope, PeerRecord as JsPeerRecord } from '@libp2p/peer-record'
import { Identify as JsIdentify } from '../../node_modules/@libp2p/identify/dist/src/pb/message.js'
import {
  identify, handleIdentify, encodeIdentify, decodeIdentify, sealPeerRecord
} from '../../dist/protocols/identify/index.js'
import { peerIdFromString } from '../../dist/peer-id/index.js'
import { MemoryPeerStore } from '../../dist/peer-store/index.js'
import { encodeVarint } from '../../dist/stream/byte-reader.js'
import { streamPair } from '../helpers/stream-pair.js'
import { realPeer } from '../helpers/test-peer.js'

const addrs = ['/ip4/198.51.100.3/tcp/4001', '/ip4/198.51.100.3/tcp/4002/ws'].map(a => multiaddr(a))

test('a js-libp2p Identify message with its signed peer record is accepted and certified', async () => {
  const key = await jsGenerateKeyPair('Ed25519')
  const jsPeer = jsPeerIdFromPrivateKey(key)
  const envelope = await JsRecordEnvelope.seal(new JsPeerRecord({ peerId: jsPeer, multiaddrs: addrs, seqNumber: 7n }), key)
  const body = JsIdentify.encode({
    protocolVersion: 'ipfs/0.1.0',
    agentVersion: 'js-libp2p/test',
    publicKey: jsPublicKeyToProtobuf(key.publicKey),
    listenAddrs: [multiaddr('/ip4/10.1.1.1/tcp/1').bytes],
    observedAddr: multiaddr('/ip4/192.0.2.1/tcp/9').bytes,
    protocols: ['/ipfs/id/1.0.0', '/ipfs/ping/1.0.0'],
    signedPeerRecord: envelope.marshal()
  })
  const [out, inbound] = streamPair()
  ;(async () => { await inbound.write(Uint8Array.of(...encodeVarint(body.length), ...body)); await inbound.close() })()
  const peerStore = new MemoryPeerStore()
  const remotePeer = peerIdFromString(jsPeer.toString())
  const result = await identify(out, { connection: { remotePeer }, peerStore })
  assert.is(result.peerRecord?.seq, 7n)
  assert.equal(result.listenAddrs.map(String), addrs.map(String))
  assert.is(result.observedAddr.toString(), '/ip4/192.0.2.1/tcp/9')
  const peer = await peerStore.get(remotePeer)
  assert.ok(peer.addresses.every(a => a.certified))
  assert.equal(peer.protocols, ['/ipfs/id/1.0.0', '/ipfs/ping/1.0.0'])
})

test('our Identify message decodes with js-libp2p, and our record verifies there', async () => {
  const self = await realPeer()
  const signedPeerRecord = await sealPeerRecord(self.privateKey, addrs, 9n)
  const [out, inbound] = streamPair()
  const local = { agentVersion: 'wasp2p/test', publicKey: self.publicKey, listenAddrs: addrs, protocols: ['/a/1'], signedPeerRecord }
  const served = handleIdentify(inbound, { connection: { remotePeer: self.peerId, remoteAddr: multiaddr('/ip4/192.0.2.2/tcp/7') }, local })
  const chunks = []
  for await (const chunk of out) chunks.push(...chunk)
  await served
  const bytes = Uint8Array.from(chunks)
  const decoded = JsIdentify.decode(bytes.subarray(encodeVarint(bytes.length - 2).length))
  assert.is(decoded.agentVersion, 'wasp2p/test')
  assert.equal(decoded.listenAddrs.map(a => multiaddr(a).toString()), addrs.map(String))
  assert.equal(decoded.protocols, ['/a/1'])
  assert.is(multiaddr(decoded.observedAddr).toString(), '/ip4/192.0.2.2/tcp/7')
  const opened = await JsRecordEnvelope.openAndCertify(decoded.signedPeerRecord, JsPeerRecord.DOMAIN)
  const record = JsPeerRecord.createFromProtobuf(opened.payload)
  assert.is(record.peerId.toString(), self.peerId.toString())
  assert.is(record.seqNumber, 9n)
  assert.equal(record.multiaddrs.map(String), addrs.map(String))
})

test('codec: each side decodes the other\'s encoding to the same message', () => {
  const message = {
    protocolVersion: 'p', agentVersion: 'a', publicKey: Uint8Array.of(1, 2), listenAddrs: [addrs[0].bytes],
    observedAddr: addrs[1].bytes, protocols: ['/x', '/y'], signedPeerRecord: Uint8Array.of(3)
  }
  // Field order differs (ours: field numbers, as go-libp2p; js-libp2p: declaration order); content must not.
  const theirs = JsIdentify.decode(encodeIdentify(message))
  assert.equal({ ...theirs }, message)
  assert.equal(decodeIdentify(JsIdentify.encode(message)), message)
})

test.run()
