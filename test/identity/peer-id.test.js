// PeerIds: the spec's examples, derivation from the key vectors, text/CID forms, hostile text.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  peerIdFromString, peerIdFromPublicKey, peerIdFromPrivateKey, peerIdFromMultihash, peerIdFromCID,
  publicKeyFromProtobuf, privateKeyFromProtobuf, publicKeyToProtobuf, generateKeyPair, InvalidPeerIdError
} from '../../dist/index.js'
import * as V from './spec-vectors.js'
import { enableKeyTypes, secp256k1Keys, ecdsaKeys, rsaKeys } from '../../dist/index.js'

// Node enables every key type by default; a browser bundle only Ed25519 until asked (src/keys/registry.ts).
enableKeyTypes(secp256k1Keys, ecdsaKeys, rsaKeys)

const hex = (s) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16))
const toHex = (u) => Array.from(u, (b) => b.toString(16).padStart(2, '0')).join('')

const SPEC_CID = 'bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe'
const SPEC_QM = 'QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N'
const SPEC_ED = '12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA'
const MUTATIONS = 1000

test('spec examples parse; text forms round-trip', () => {
  const ed = peerIdFromString(SPEC_ED)
  assert.is(ed.type, 'Ed25519')
  assert.ok(ed.publicKey !== undefined)
  assert.is(ed.toString(), SPEC_ED)
  assert.is(toHex(ed.multihash.subarray(0, 2)), '0024')
  assert.ok(peerIdFromPublicKey(ed.publicKey).equals(ed))

  const qm = peerIdFromString(SPEC_QM)
  assert.is(qm.type, 'RSA')
  assert.is(qm.publicKey, undefined)
  assert.is(qm.toString(), SPEC_QM)
  assert.is(toHex(qm.multihash.subarray(0, 2)), '1220')

  const fromCid = peerIdFromString(SPEC_CID)
  assert.is(fromCid.toCID().toString(), SPEC_CID)
  assert.ok(fromCid.toString().startsWith('Qm'))
  // Both text forms denote the same PeerId, and equals() takes text.
  assert.ok(peerIdFromString(qm.toCID().toString()).equals(qm))
  assert.ok(qm.equals(qm.toCID().toString()))
  assert.ok(qm.equals(SPEC_QM))
  assert.not.ok(qm.equals(SPEC_ED))
  assert.not.ok(qm.equals(undefined))
  assert.not.ok(qm.equals('garbage'))
  assert.ok(ed.toCID().toString().startsWith('bafz'))
  assert.ok(peerIdFromCID(ed.toCID()).equals(ed))
})

test('PeerIds of the spec key vectors: identity for Ed25519/secp256k1, sha256 for ECDSA/RSA', () => {
  const expectations = [
    [V.ED25519_PUBLIC, V.ED25519_PRIVATE, '00', '12D3KooW'],
    [V.SECP256K1_PUBLIC, V.SECP256K1_PRIVATE, '00', '16Uiu2HA'],
    [V.ECDSA_PUBLIC, V.ECDSA_PRIVATE, '12', 'Qm'],
    [V.RSA_PUBLIC, V.RSA_PRIVATE, '12', 'Qm']
  ]
  for (const [pub, priv, code, prefix] of expectations) {
    const key = publicKeyFromProtobuf(hex(pub))
    const id = peerIdFromPublicKey(key)
    assert.is(toHex(id.multihash.subarray(0, 1)), code)
    assert.ok(id.toString().startsWith(prefix), `${id.toString()} starts with ${prefix}`)
    assert.ok(peerIdFromPrivateKey(privateKeyFromProtobuf(hex(priv))).equals(id))
    const parsed = peerIdFromString(id.toString())
    assert.ok(parsed.equals(id))
    if (code === '00') {
      assert.is(toHex(publicKeyToProtobuf(parsed.publicKey)), pub)
      assert.is(parsed.type, key.type)
    } else {
      assert.is(parsed.publicKey, undefined)
      const withKey = peerIdFromMultihash(id.multihash, key)
      assert.is(withKey.type, key.type)
      assert.ok(withKey.publicKey.equals(key))
    }
  }
})

test('a supplied key that does not hash to the PeerId is rejected', async () => {
  const rsa = peerIdFromPublicKey(publicKeyFromProtobuf(hex(V.RSA_PUBLIC)))
  const ecdsaKey = publicKeyFromProtobuf(hex(V.ECDSA_PUBLIC))
  assert.throws(() => peerIdFromMultihash(rsa.multihash, ecdsaKey), (e) => e instanceof InvalidPeerIdError)
  const ed = await generateKeyPair()
  assert.ok(peerIdFromPrivateKey(ed).toString().startsWith('12D3KooW'))
})

test('invalid text gives InvalidPeerIdError', () => {
  const bad = [
    '', 'x', 'Qm', '1', 'QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5', // truncated
    'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi', // dag-pb CID, not libp2p-key
    'Q' + 'm'.repeat(600), '12D3KooW0OIl' // characters outside base58
  ]
  for (const text of bad) assert.throws(() => peerIdFromString(text), (e) => e instanceof InvalidPeerIdError, text)
})

test(`fuzz: ${MUTATIONS} mutations of PeerId text give a PeerId or InvalidPeerIdError`, () => {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0OIl+/'
  const seeds = [SPEC_ED, SPEC_QM, SPEC_CID, peerIdFromString(SPEC_ED).toCID().toString()]
  let rejected = 0
  for (let i = 0; i < MUTATIONS; i++) {
    const s = seeds[i % seeds.length].split('')
    const r = Math.random()
    const at = Math.floor(Math.random() * s.length)
    if (r < 0.5) s[at] = alphabet[Math.floor(Math.random() * alphabet.length)]
    else if (r < 0.8) s.length = at
    else s.splice(at, 0, alphabet[Math.floor(Math.random() * alphabet.length)])
    const text = s.join('')
    try { peerIdFromString(text) } catch (err) {
      if (!(err instanceof InvalidPeerIdError)) throw new Error(`${text} threw ${err?.name}: ${err?.message}`)
      rejected++
    }
  }
  assert.ok(rejected > 0)
})

test.run()
