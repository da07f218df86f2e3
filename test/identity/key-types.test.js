// Which key types a program carries (src/keys/registry.ts): Ed25519 always; secp256k1, ECDSA
// and RSA by default in Node, and in a browser bundle only once enabled. Runs in both.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  enableKeyTypes, enabledKeyTypes, secp256k1Keys, ecdsaKeys, rsaKeys, generateKeyPair,
  publicKeyFromProtobuf, UnsupportedKeyTypeError
} from '../../dist/index.js'
import * as V from './spec-vectors.js'

const hex = s => Uint8Array.from(s.match(/../g) ?? [], b => parseInt(b, 16))

const inNode = typeof globalThis.process?.versions?.node === 'string'

test('Ed25519 needs no enabling', async () => {
  assert.ok(enabledKeyTypes().includes('Ed25519'))
  const key = await generateKeyPair()
  assert.is(key.type, 'Ed25519')
  assert.is(publicKeyFromProtobuf(hex(V.ED25519_PUBLIC)).type, 'Ed25519')
})

test('before enableKeyTypes: all types in Node, only Ed25519 in a browser bundle', () => {
  if (inNode) {
    assert.equal(enabledKeyTypes().sort(), ['ECDSA', 'Ed25519', 'RSA', 'secp256k1'])
    assert.is(publicKeyFromProtobuf(hex(V.SECP256K1_PUBLIC)).type, 'secp256k1')
    return
  }
  assert.equal(enabledKeyTypes(), ['Ed25519'])
  for (const bytes of [V.SECP256K1_PUBLIC, V.ECDSA_PUBLIC, V.RSA_PUBLIC].map(hex)) {
    assert.throws(() => publicKeyFromProtobuf(bytes), err => err instanceof UnsupportedKeyTypeError && /enableKeyTypes\(\w+Keys\)/.test(err.message))
  }
})

test('after enableKeyTypes: every type decodes and generates', async () => {
  enableKeyTypes(secp256k1Keys, ecdsaKeys, rsaKeys)
  assert.equal(enabledKeyTypes().sort(), ['ECDSA', 'Ed25519', 'RSA', 'secp256k1'])
  assert.is(publicKeyFromProtobuf(hex(V.SECP256K1_PUBLIC)).type, 'secp256k1')
  assert.is(publicKeyFromProtobuf(hex(V.ECDSA_PUBLIC)).type, 'ECDSA')
  assert.is(publicKeyFromProtobuf(hex(V.RSA_PUBLIC)).type, 'RSA')
  const key = await generateKeyPair('secp256k1')
  const message = new TextEncoder().encode('key types')
  assert.ok(await key.publicKey.verify(message, await key.sign(message)))
})

test('an unknown key type is still an UnsupportedKeyTypeError', async () => {
  try {
    await generateKeyPair('DSA')
    assert.unreachable('generated a DSA key')
  } catch (err) {
    assert.instance(err, UnsupportedKeyTypeError)
  }
})

test.run()
