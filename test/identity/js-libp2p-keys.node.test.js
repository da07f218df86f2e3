// Keys and PeerIds against js-libp2p (@libp2p/crypto, @libp2p/peer-id), in process:
// keys made by either side are read by the other, signatures verify both ways, PeerIds agree.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import * as jsKeys from '@libp2p/crypto/keys'
import * as jsPeerId from '@libp2p/peer-id'
import {
  generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf, publicKeyFromProtobuf, publicKeyToProtobuf,
  peerIdFromString, peerIdFromPrivateKey, peerIdFromPublicKey
} from '../../dist/index.js'
import { randomBytes } from 'node:crypto'

const toHex = (u) => Buffer.from(u).toString('hex')
const ROUNDS = 3

// js-libp2p signs ECDSA as raw r‖s while the spec (and we) use DER; we verify both forms,
// js-libp2p verifies only its own, so ECDSA signatures are checked one way (js → wasp2p);
// js-libp2p derives no PeerId from ECDSA keys, so ECDSA PeerIds are not compared.
for (const type of ['Ed25519', 'secp256k1', 'ECDSA', 'RSA']) {
  test(`${type}: js-libp2p keys → wasp2p`, async () => {
    for (let i = 0; i < (type === 'RSA' ? 1 : ROUNDS); i++) {
      const jsKey = await jsKeys.generateKeyPair(type, type === 'RSA' ? 2048 : undefined)
      const ours = privateKeyFromProtobuf(jsKeys.privateKeyToProtobuf(jsKey))
      assert.is(ours.type, type)
      assert.is(toHex(privateKeyToProtobuf(ours)), toHex(jsKeys.privateKeyToProtobuf(jsKey)))
      const ourPub = publicKeyFromProtobuf(jsKeys.publicKeyToProtobuf(jsKey.publicKey))
      assert.is(toHex(publicKeyToProtobuf(ourPub)), toHex(jsKeys.publicKeyToProtobuf(jsKey.publicKey)))
      const m = randomBytes(64 + i)
      assert.ok(await ourPub.verify(m, await jsKey.sign(m)), 'js signature verifies with our key')
      assert.not.ok(await ourPub.verify(Buffer.concat([m, Buffer.of(0)]), await jsKey.sign(m)))
      if (type !== 'ECDSA') {
        assert.ok(await jsKey.publicKey.verify(m, await ours.sign(m)), 'our signature verifies with the js key')
      }
      // PeerIds (js-libp2p makes none for ECDSA keys: "Unsupported key type")
      if (type === 'ECDSA') continue
      const jsId = jsPeerId.peerIdFromPrivateKey(jsKey)
      const ourId = peerIdFromPrivateKey(ours)
      assert.is(ourId.toString(), jsId.toString())
      assert.ok(ourId.equals(jsId), 'equals() accepts a js-libp2p PeerId')
      assert.is(ourId.toCID().toString(), jsId.toCID().toString())
      assert.ok(peerIdFromString(jsId.toString()).equals(ourId))
      assert.ok(peerIdFromString(jsId.toCID().toString()).equals(ourId))
    }
  })

  test(`${type}: wasp2p keys → js-libp2p`, async () => {
    for (let i = 0; i < (type === 'RSA' ? 1 : ROUNDS); i++) {
      const ours = await generateKeyPair(type)
      const jsKey = jsKeys.privateKeyFromProtobuf(privateKeyToProtobuf(ours))
      assert.is(jsKey.type, type)
      assert.is(toHex(jsKeys.privateKeyToProtobuf(jsKey)), toHex(privateKeyToProtobuf(ours)))
      const m = randomBytes(100 + i)
      if (type !== 'ECDSA') {
        const jsPub = jsKeys.publicKeyFromProtobuf(publicKeyToProtobuf(ours.publicKey))
        assert.ok(await jsPub.verify(m, await ours.sign(m)), 'our signature verifies in js-libp2p')
        assert.not.ok(await jsPub.verify(randomBytes(5), await ours.sign(m)))
      }
      assert.ok(await ours.publicKey.verify(m, await jsKey.sign(m)))
      if (type === 'ECDSA') continue
      const ourId = peerIdFromPublicKey(ours.publicKey)
      const jsId = jsPeerId.peerIdFromString(ourId.toString())
      assert.is(jsId.toString(), ourId.toString())
      assert.is(jsId.type, ourId.type)
      assert.ok(jsPeerId.peerIdFromCID(ourId.toCID()).equals(jsId))
      if (ourId.publicKey !== undefined && (type === 'Ed25519' || type === 'secp256k1')) {
        assert.ok(jsId.publicKey.equals(jsKeys.publicKeyFromProtobuf(publicKeyToProtobuf(ours.publicKey))))
      }
    }
  })
}

test.run()
