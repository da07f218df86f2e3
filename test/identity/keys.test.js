// Keys: the spec's protobuf vectors for every type, sign/verify, hostile key bytes.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf, publicKeyFromProtobuf, publicKeyToProtobuf,
  UnsupportedKeyTypeError, InvalidPublicKeyError, InvalidPrivateKeyError
} from '../../dist/index.js'
import * as V from './spec-vectors.js'
import { enableKeyTypes, secp256k1Keys, ecdsaKeys, rsaKeys } from '../../dist/index.js'

// Node enables every key type by default; a browser bundle only Ed25519 until asked (src/keys/registry.ts).
enableKeyTypes(secp256k1Keys, ecdsaKeys, rsaKeys)

const inNode = typeof globalThis.process?.versions?.node === 'string'
const hex = (s) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16))
const toHex = (u) => Array.from(u, (b) => b.toString(16).padStart(2, '0')).join('')
const random = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n))

/** Bounded fuzz budget per key type. */
const MUTATIONS_PER_TYPE = 300

const VECTORS = [
  ['Ed25519', V.ED25519_PRIVATE, V.ED25519_PUBLIC],
  ['secp256k1', V.SECP256K1_PRIVATE, V.SECP256K1_PUBLIC],
  ['ECDSA', V.ECDSA_PRIVATE, V.ECDSA_PUBLIC],
  ['RSA', V.RSA_PRIVATE, V.RSA_PUBLIC]
]

for (const [type, priv, pub] of VECTORS) {
  test(`${type}: spec vectors decode, re-encode byte-exact, private yields the public key, signatures verify`, async () => {
    const privateKey = privateKeyFromProtobuf(hex(priv))
    assert.is(privateKey.type, type)
    assert.is(toHex(privateKeyToProtobuf(privateKey)), priv)
    assert.is(toHex(publicKeyToProtobuf(privateKey.publicKey)), pub)
    const publicKey = publicKeyFromProtobuf(hex(pub))
    assert.is(publicKey.type, type)
    assert.is(toHex(publicKeyToProtobuf(publicKey)), pub)
    assert.ok(publicKey.equals(privateKey.publicKey))
    const message = random(100)
    const signature = await privateKey.sign(message)
    assert.ok(await publicKey.verify(message, signature))
    const other = message.slice(); other[0] ^= 1
    assert.not.ok(await publicKey.verify(other, signature))
    const bad = signature.slice(); bad[bad.length >> 1] ^= 0x10
    assert.not.ok(await publicKey.verify(message, bad))
  })
}

for (const type of ['Ed25519', 'secp256k1', 'ECDSA', 'RSA']) {
  test(`${type}: generate, protobuf round trip, sign/verify across copies`, async () => {
    const key = await generateKeyPair(type)
    assert.is(key.type, type)
    const copy = privateKeyFromProtobuf(privateKeyToProtobuf(key))
    assert.is(toHex(copy.raw), toHex(key.raw))
    const pub = publicKeyFromProtobuf(publicKeyToProtobuf(key.publicKey))
    assert.ok(pub.equals(key.publicKey))
    const m = random(33)
    assert.ok(await pub.verify(m, await copy.sign(m)))
    assert.ok(await key.publicKey.verify(m, await key.sign(m)))
    const stranger = await generateKeyPair(type === 'RSA' ? 'Ed25519' : type)
    assert.not.ok(stranger.publicKey.equals(key.publicKey))
  })
}

test('Ed25519: the legacy 96-byte private key is accepted only when both public copies match', async () => {
  const raw = hex(V.ED25519_PRIVATE).subarray(4)
  const legacy = new Uint8Array([...raw, ...raw.subarray(32)])
  const proto = (data) => new Uint8Array([0x08, 0x01, 0x12, data.length, ...data])
  assert.is(toHex(privateKeyFromProtobuf(proto(legacy)).raw), toHex(raw))
  legacy[95] ^= 1
  assert.throws(() => privateKeyFromProtobuf(proto(legacy)), (e) => e instanceof InvalidPrivateKeyError)
  const mismatched = raw.slice(); mismatched[63] ^= 1
  if (inNode) {
    // The pure-JS curve is there by default: the seed's public key is computed and compared at decode.
    assert.throws(() => privateKeyFromProtobuf(proto(mismatched)), (e) => e instanceof InvalidPrivateKeyError)
  } else {
    // A WebCrypto-only bundle (src/crypto/curves/fallback.ts): caught by the key's first signature, before it leaves.
    const key = privateKeyFromProtobuf(proto(mismatched))
    try {
      await key.sign(new Uint8Array(8))
      assert.unreachable('a key whose halves differ signed')
    } catch (e) {
      assert.instance(e, InvalidPrivateKeyError)
    }
  }
})

test('unknown key type, missing fields, oversized input', () => {
  assert.throws(() => publicKeyFromProtobuf(hex('08071200')), (e) => e instanceof UnsupportedKeyTypeError)
  assert.throws(() => publicKeyFromProtobuf(hex('0801')), (e) => e instanceof InvalidPublicKeyError)
  assert.throws(() => publicKeyFromProtobuf(hex('1200')), (e) => e instanceof InvalidPublicKeyError)
  assert.throws(() => privateKeyFromProtobuf(new Uint8Array(10000)), (e) => e instanceof InvalidPrivateKeyError)
})

const NAMED = (e) => e instanceof InvalidPublicKeyError || e instanceof InvalidPrivateKeyError || e instanceof UnsupportedKeyTypeError

function mutate (bytes) {
  const m = bytes.slice()
  const r = Math.random()
  if (r < 0.3) m[Math.floor(Math.random() * m.length)] ^= 1 << Math.floor(Math.random() * 8)
  else if (r < 0.6) m[Math.floor(Math.random() * m.length)] = Math.floor(Math.random() * 256)
  else if (r < 0.9) return m.subarray(0, Math.floor(Math.random() * m.length))
  else return new Uint8Array([...m, ...random(1 + Math.floor(Math.random() * 8))])
  return m
}

test(`fuzz: ${MUTATIONS_PER_TYPE} mutations per vector give a key or a named error, never anything else`, () => {
  let rejected = 0
  for (const [, priv, pub] of VECTORS) {
    for (const [vector, parse] of [[priv, privateKeyFromProtobuf], [pub, publicKeyFromProtobuf]]) {
      const bytes = hex(vector)
      for (let i = 0; i < MUTATIONS_PER_TYPE / 2; i++) {
        const input = mutate(bytes)
        try { parse(input) } catch (err) {
          if (!NAMED(err)) throw new Error(`${toHex(input)} threw ${err?.name}: ${err?.message}`)
          rejected++
        }
      }
    }
  }
  assert.ok(rejected > MUTATIONS_PER_TYPE)
})

test.run()
