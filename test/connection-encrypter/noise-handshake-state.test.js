// Noise's state objects on their own (Noise §5): the XX handshake against a
// fixed-key transcript from an independent implementation, both roles, the
// nonce limit, and what a failed decryption does to the nonce.
import { x25519 } from '@noble/curves/ed25519.js'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { CipherState } from '../../dist/connection-encrypter/noise/cipher-state.js'
import { HandshakeState } from '../../dist/connection-encrypter/noise/handshake-state.js'
import { XX_VECTOR, bytesToHex, hexToBytes } from './_noise-xx-vector.js'

const encoder = new TextEncoder()
const keyPair = hex => { const privateKey = hexToBytes(hex); return { privateKey, publicKey: x25519.getPublicKey(privateKey) } }

function vectorStates () {
  const k = XX_VECTOR.keys
  return {
    initiator: new HandshakeState({ initiator: true, staticKeyPair: keyPair(k.initiatorStatic), ephemeralKeyPair: keyPair(k.initiatorEphemeral) }),
    responder: new HandshakeState({ initiator: false, staticKeyPair: keyPair(k.responderStatic), ephemeralKeyPair: keyPair(k.responderEphemeral) })
  }
}

test('XX with fixed keys reproduces the reference transcript byte for byte', async () => {
  const { initiator, responder } = vectorStates()
  const [p1, p2, p3] = XX_VECTOR.payloads.map(p => encoder.encode(p))
  const m1 = await initiator.writeMessage(p1)
  assert.is(bytesToHex(m1), XX_VECTOR.messages[0])
  assert.equal(await responder.readMessage(m1), p1)
  const m2 = await responder.writeMessage(p2)
  assert.is(bytesToHex(m2), XX_VECTOR.messages[1])
  assert.equal(await initiator.readMessage(m2), p2)
  const m3 = await initiator.writeMessage(p3)
  assert.is(bytesToHex(m3), XX_VECTOR.messages[2])
  assert.equal(await responder.readMessage(m3), p3)
  assert.is(bytesToHex(initiator.handshakeHash), XX_VECTOR.handshakeHash)
  assert.is(bytesToHex(responder.handshakeHash), XX_VECTOR.handshakeHash)
  assert.equal(initiator.remoteStaticKey, keyPair(XX_VECTOR.keys.responderStatic).publicKey)
  assert.equal(responder.remoteStaticKey, keyPair(XX_VECTOR.keys.initiatorStatic).publicKey)

  const i = initiator.split()
  const r = responder.split()
  XX_VECTOR.transport.forEach((text, n) => {
    const plaintext = encoder.encode(text)
    const toResponder = i.send.encrypt(plaintext)
    assert.is(bytesToHex(toResponder), XX_VECTOR.toResponder[n])
    assert.equal(r.receive.decrypt(toResponder), plaintext)
    const toInitiator = r.send.encrypt(plaintext)
    assert.is(bytesToHex(toInitiator), XX_VECTOR.toInitiator[n])
    assert.equal(i.receive.decrypt(toInitiator), plaintext)
  })
})

test('message sizes follow Noise §3 for XX with 32-byte keys (32, 96+payload, 64+payload)', async () => {
  const { initiator, responder } = vectorStates()
  const m1 = await initiator.writeMessage(new Uint8Array(0))
  assert.is(m1.length, 32)
  await responder.readMessage(m1)
  const m2 = await responder.writeMessage(new Uint8Array(5))
  assert.is(m2.length, 32 + 48 + 5 + 16)
  await initiator.readMessage(m2)
  const m3 = await initiator.writeMessage(new Uint8Array(0))
  assert.is(m3.length, 48 + 16)
})

test('random ephemeral keys: both sides agree and transport works', async () => {
  const s1 = keyPair(XX_VECTOR.keys.initiatorStatic)
  const s2 = keyPair(XX_VECTOR.keys.responderStatic)
  const a = new HandshakeState({ initiator: true, staticKeyPair: s1 })
  const b = new HandshakeState({ initiator: false, staticKeyPair: s2 })
  await b.readMessage(await a.writeMessage(new Uint8Array(0)))
  await a.readMessage(await b.writeMessage(new Uint8Array(0)))
  await b.readMessage(await a.writeMessage(new Uint8Array(0)))
  assert.ok(a.isComplete && b.isComplete)
  assert.equal(a.handshakeHash, b.handshakeHash)
  assert.is.not(bytesToHex(a.handshakeHash), XX_VECTOR.handshakeHash)
  const x = a.split()
  const y = b.split()
  assert.equal(y.receive.decrypt(x.send.encrypt(encoder.encode('ping'))), encoder.encode('ping'))
})

test('out-of-turn messages and short messages are NoiseHandshakeErrors', async () => {
  const { initiator, responder } = vectorStates()
  await assertRejects(() => responder.writeMessage(new Uint8Array(0)), 'NoiseHandshakeError')
  await assertRejects(() => responder.readMessage(new Uint8Array(31)), 'NoiseHandshakeError')
  const fresh = vectorStates()
  await fresh.responder.readMessage(await fresh.initiator.writeMessage(new Uint8Array(0)))
  const m2 = await fresh.responder.writeMessage(new Uint8Array(0))
  await assertRejects(() => fresh.initiator.readMessage(m2.subarray(0, 32 + 48)), 'NoiseHandshakeError')
  void initiator
})

test('a flipped bit anywhere in message 2 fails authentication', async () => {
  for (const position of [0, 31, 32, 60, 79, 80, 95]) {
    const { initiator, responder } = vectorStates()
    await responder.readMessage(await initiator.writeMessage(new Uint8Array(0)))
    const m2 = await responder.writeMessage(new Uint8Array(0))
    m2[position] ^= 0x80
    await assertRejects(() => initiator.readMessage(m2), 'NoiseHandshakeError', `bit flip at ${position}`)
  }
})

test('CipherState: nonce 2^64-1 is reserved; 2^64-2 is the last usable', () => {
  const send = new CipherState()
  const receive = new CipherState()
  const key = hexToBytes(XX_VECTOR.keys.initiatorStatic)
  send.initializeKey(key)
  receive.initializeKey(key)
  send.setNonce(0xfffffffffffffffen)
  receive.setNonce(0xfffffffffffffffen)
  const last = send.encrypt(encoder.encode('last'))
  assert.equal(receive.decrypt(last), encoder.encode('last'))
  assert.is(send.nonce, 0xffffffffffffffffn)
  assert.throws(() => send.encrypt(encoder.encode('one more')), err => err.name === 'NonceExhaustedError')
  assert.throws(() => receive.decrypt(last), err => err.name === 'NonceExhaustedError')
})

test('CipherState: the nonce crosses 2^32 exactly (64-bit counter, little-endian in the last 8 bytes)', () => {
  const a = new CipherState()
  const b = new CipherState()
  const key = hexToBytes(XX_VECTOR.keys.responderStatic)
  a.initializeKey(key)
  b.initializeKey(key)
  a.setNonce(0xffffffffn)
  const c1 = a.encrypt(encoder.encode('x'))
  const c2 = a.encrypt(encoder.encode('x'))
  assert.is(a.nonce, 0x100000001n)
  b.setNonce(0x100000000n)
  assert.throws(() => b.decrypt(c1), err => err.name === 'NoiseDecryptionError')
  assert.equal(b.decrypt(c2), encoder.encode('x'))
})

test('CipherState: a failed decryption leaves the nonce unchanged (Noise §5.1)', () => {
  const a = new CipherState()
  const b = new CipherState()
  const key = hexToBytes(XX_VECTOR.keys.initiatorEphemeral)
  a.initializeKey(key)
  b.initializeKey(key)
  const good = a.encrypt(encoder.encode('message'))
  const bad = good.slice()
  bad[0] ^= 1
  assert.throws(() => b.decrypt(bad), err => err.name === 'NoiseDecryptionError' && err instanceof Error)
  assert.throws(() => b.decrypt(good.subarray(0, 15)), err => err.name === 'NoiseDecryptionError')
  assert.is(b.nonce, 0n)
  assert.equal(b.decrypt(good), encoder.encode('message'))
  assert.is(b.nonce, 1n)
})

test('CipherState without a key passes data through (handshake before the first DH)', () => {
  const c = new CipherState()
  assert.not.ok(c.hasKey())
  const data = encoder.encode('clear')
  assert.is(c.encrypt(data), data)
  assert.is(c.nonce, 0n)
})

async function assertRejects (fn, name, message) {
  try {
    await fn()
  } catch (err) {
    assert.is(err.name, name, message)
    return
  }
  assert.unreachable(message ?? `expected ${name}`)
}

test.run()
