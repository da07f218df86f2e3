// Differential: our HandshakeState/CipherState against @chainsafe/libp2p-noise
// v17's XXHandshakeState (the real package's code), with the same fixed keys:
// every handshake message, the handshake hash and transport ciphertexts must
// be identical. Also re-derives the vendored vector in _noise-xx-vector.js.
import { x25519 } from '@noble/curves/ed25519.js'
import { randomBytes } from 'node:crypto'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { HandshakeState } from '../../dist/connection-encrypter/noise/handshake-state.js'
import { chainsafeTranscript } from './_chainsafe-xx.js'
import { XX_VECTOR, bytesToHex, hexToBytes } from './_noise-xx-vector.js'

const encoder = new TextEncoder()
const keyPair = privateKey => ({ privateKey, publicKey: x25519.getPublicKey(privateKey) })

async function ourTranscript (keys, payloads, transport) {
  const initiator = new HandshakeState({ initiator: true, staticKeyPair: keys.initiatorStatic, ephemeralKeyPair: keys.initiatorEphemeral })
  const responder = new HandshakeState({ initiator: false, staticKeyPair: keys.responderStatic, ephemeralKeyPair: keys.responderEphemeral })
  const m1 = await initiator.writeMessage(payloads[0]); await responder.readMessage(m1)
  const m2 = await responder.writeMessage(payloads[1]); await initiator.readMessage(m2)
  const m3 = await initiator.writeMessage(payloads[2]); await responder.readMessage(m3)
  const i = initiator.split()
  const r = responder.split()
  return {
    messages: [m1, m2, m3],
    handshakeHash: initiator.handshakeHash,
    toResponder: transport.map(p => i.send.encrypt(p)),
    toInitiator: transport.map(p => r.send.encrypt(p))
  }
}

const hexAll = t => ({
  messages: t.messages.map(bytesToHex),
  handshakeHash: bytesToHex(t.handshakeHash),
  toResponder: t.toResponder.map(bytesToHex),
  toInitiator: t.toInitiator.map(bytesToHex)
})

test('the vendored vector is what @chainsafe/libp2p-noise produces for its keys', () => {
  const keys = Object.fromEntries(Object.entries(XX_VECTOR.keys).map(([name, hex]) => [name, keyPair(hexToBytes(hex))]))
  const t = hexAll(chainsafeTranscript(keys, XX_VECTOR.payloads.map(p => encoder.encode(p)), XX_VECTOR.transport.map(p => encoder.encode(p))))
  assert.equal(t, {
    messages: XX_VECTOR.messages, handshakeHash: XX_VECTOR.handshakeHash, toResponder: XX_VECTOR.toResponder, toInitiator: XX_VECTOR.toInitiator
  })
})

test('random keys and payloads: identical transcripts (25 runs)', async () => {
  for (let run = 0; run < 25; run++) {
    const keys = {
      initiatorStatic: keyPair(new Uint8Array(randomBytes(32))),
      initiatorEphemeral: keyPair(new Uint8Array(randomBytes(32))),
      responderStatic: keyPair(new Uint8Array(randomBytes(32))),
      responderEphemeral: keyPair(new Uint8Array(randomBytes(32)))
    }
    const payloads = [0, 1 + run * 37, run * 101].map(n => new Uint8Array(randomBytes(n)))
    const transport = [0, 1, 1000 + run, 65519].map(n => new Uint8Array(randomBytes(n)))
    const ours = hexAll(await ourTranscript(keys, payloads, transport))
    const theirs = hexAll(chainsafeTranscript(keys, payloads, transport))
    assert.equal(ours, theirs, `run ${run}`)
  }
})

test.run()
