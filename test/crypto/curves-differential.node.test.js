// Curves against node:crypto (OpenSSL), an implementation independent of both of ours.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createECDH, createPrivateKey, createPublicKey, diffieHellman, sign as nodeSign, verify as nodeVerify, randomBytes } from 'node:crypto'
import { x25519, ed25519, secp256k1 } from '../../dist/crypto/index.js'
import { x25519Paths } from '../../dist/crypto/curves/x25519.js'
import { ed25519Paths } from '../../dist/crypto/curves/ed25519.js'

const ROUNDS = 30
const b64u = (u) => Buffer.from(u).toString('base64url')
const okpPrivate = (crv, d, x) => createPrivateKey({ key: { kty: 'OKP', crv, d: b64u(d), x: b64u(x) }, format: 'jwk' })
const okpPublic = (crv, x) => createPublicKey({ key: { kty: 'OKP', crv, x: b64u(x) }, format: 'jwk' })

test('x25519: both paths equal OpenSSL on random keys', async () => {
  for (let i = 0; i < ROUNDS; i++) {
    const a = await x25519.generateKeyPair()
    const b = x25519.generateKeyPairSync()
    const expected = diffieHellman({ privateKey: okpPrivate('X25519', a.privateKey, a.publicKey), publicKey: okpPublic('X25519', b.publicKey) })
    assert.is(Buffer.from(await x25519.sharedSecret(a.privateKey, b.publicKey)).toString('hex'), expected.toString('hex'))
    assert.is(Buffer.from(x25519Paths.noble.sharedSecret(b.privateKey, a.publicKey)).toString('hex'), expected.toString('hex'))
  }
})

test('ed25519: signatures equal OpenSSL byte for byte and verify both ways', async () => {
  for (let i = 0; i < ROUNDS; i++) {
    const { privateKey, publicKey } = await ed25519.generateKeyPair()
    const m = randomBytes(i * 11)
    const ours = await ed25519.sign(m, privateKey, publicKey)
    const theirs = nodeSign(null, m, okpPrivate('Ed25519', privateKey, publicKey))
    assert.is(Buffer.from(ours).toString('hex'), theirs.toString('hex'))
    assert.is(Buffer.from(ed25519Paths.noble.sign(m, privateKey)).toString('hex'), theirs.toString('hex'))
    assert.ok(nodeVerify(null, m, okpPublic('Ed25519', publicKey), ours))
    assert.ok(await ed25519.verify(theirs, m, publicKey))
  }
})

test('secp256k1: our DER signatures verify in OpenSSL and theirs here', () => {
  for (let i = 0; i < 10; i++) {
    const { privateKey, publicKey } = secp256k1.generateKeyPair()
    const m = randomBytes(50 + i)
    const jwkPrivate = createPrivateKey({ key: secp256k1Jwk(privateKey, publicKey), format: 'jwk' })
    const jwkPublic = createPublicKey(jwkPrivate)
    assert.ok(nodeVerify('sha256', m, jwkPublic, secp256k1.sign(m, privateKey)))
    assert.ok(secp256k1.verify(nodeSign('sha256', m, jwkPrivate), m, publicKey))
  }
})

function secp256k1Jwk (privateKey, compressed) {
  // node:crypto wants x and y: derive the uncompressed point with its ECDH, and check our compressed one.
  const ecdh = createECDH('secp256k1')
  ecdh.setPrivateKey(Buffer.from(privateKey))
  const point = ecdh.getPublicKey(null, 'uncompressed')
  assert.is(Buffer.from(ecdh.getPublicKey(null, 'compressed')).toString('hex'), Buffer.from(compressed).toString('hex'))
  return { kty: 'EC', crv: 'secp256k1', d: b64u(privateKey), x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) }
}
test.run()
