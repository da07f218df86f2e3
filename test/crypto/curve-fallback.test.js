// The pure-JS curve fallback (src/crypto/curves/fallback.ts): on by default in Node; in a browser
// bundle everything a node does runs on WebCrypto alone, what needs the fallback says so with a
// CurveUnavailableError, and enableCurveFallback(nobleCurves) brings it in. Runs in both.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { x25519, ed25519, enableCurveFallback, nobleCurves, CurveUnavailableError } from '../../dist/crypto/index.js'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '../../dist/index.js'

const inNode = typeof globalThis.process?.versions?.node === 'string'
const message = new TextEncoder().encode('curve fallback')

test('the async curve functions work before any fallback is enabled (WebCrypto here)', async () => {
  const key = await generateKeyPair()
  const signature = await key.sign(message)
  assert.ok(await key.publicKey.verify(message, signature))
  assert.not.ok(await key.publicKey.verify(message.slice(1), signature))
  const a = await x25519.generateKeyPair()
  const b = await x25519.generateKeyPair()
  assert.equal([...await x25519.sharedSecret(a.privateKey, b.publicKey)], [...await x25519.sharedSecret(b.privateKey, a.publicKey)])
  // A key that WebCrypto refuses still verifies to false, never a rejection.
  assert.is(await ed25519.verify(new Uint8Array(64), message, new Uint8Array(32).fill(0xff)), false)
})

test('a saved identity round-trips and signs before any fallback is enabled', async () => {
  const key = await generateKeyPair()
  const again = privateKeyFromProtobuf(privateKeyToProtobuf(key))
  assert.ok(await key.publicKey.verify(message, await again.sign(message)))
})

test('without the fallback a browser bundle names it; Node has it by default', () => {
  const seed = new Uint8Array(32).fill(7)
  if (inNode) {
    assert.is(ed25519.getPublicKey(seed).length, 32)
    assert.is(x25519.getPublicKey(seed).length, 32)
    return
  }
  for (const call of [() => ed25519.getPublicKey(seed), () => x25519.getPublicKey(seed), () => ed25519.signSync(message, seed), () => x25519.generateKeyPairSync()]) {
    assert.throws(call, err => err instanceof CurveUnavailableError && err.name === 'CurveUnavailableError' && /enableCurveFallback\(nobleCurves\)/.test(err.message))
  }
})

test('enableCurveFallback(nobleCurves): the sync functions run and agree with WebCrypto', async () => {
  enableCurveFallback(nobleCurves)
  const key = await ed25519.generateKeyPair()
  assert.equal([...ed25519.getPublicKey(key.privateKey)], [...key.publicKey])
  const signature = ed25519.signSync(message, key.privateKey)
  assert.ok(await ed25519.verify(signature, message, key.publicKey))
  assert.ok(ed25519.verifySync(await ed25519.sign(message, key.privateKey, key.publicKey), message, key.publicKey))
  const a = await x25519.generateKeyPair()
  const b = x25519.generateKeyPairSync()
  assert.equal([...x25519.sharedSecretSync(b.privateKey, a.publicKey)], [...await x25519.sharedSecret(a.privateKey, b.publicKey)])
})

test.run()
