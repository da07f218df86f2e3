// Multiaddr helpers: strings accepted everywhere, /p2p/<id> extraction and appending.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  multiaddr, toMultiaddr, getPeerIdFromMultiaddr, withPeerId, withoutPeerId, InvalidMultiaddrError,
  generateKeyPair, peerIdFromPrivateKey
} from '../../dist/index.js'
import { enableKeyTypes, secp256k1Keys, ecdsaKeys, rsaKeys } from '../../dist/index.js'

// Node enables every key type by default; a browser bundle only Ed25519 until asked (src/keys/registry.ts).
enableKeyTypes(secp256k1Keys, ecdsaKeys, rsaKeys)

test('toMultiaddr takes text, bytes and Multiaddr; rejects garbage with a named error', () => {
  const text = '/ip4/127.0.0.1/tcp/4001'
  const ma = toMultiaddr(text)
  assert.is(ma.toString(), text)
  assert.is(toMultiaddr(ma), ma)
  assert.is(toMultiaddr(ma.bytes).toString(), text)
  for (const bad of ['/ip4/999.0.0.1/tcp/1', '/nope/1', 'ip4', '/tcp/notaport']) {
    assert.throws(() => toMultiaddr(bad), (e) => e instanceof InvalidMultiaddrError, bad)
  }
  assert.throws(() => toMultiaddr(42), TypeError)
})

test('/p2p/ helpers', async () => {
  const a = peerIdFromPrivateKey(await generateKeyPair())
  const b = peerIdFromPrivateKey(await generateKeyPair('secp256k1'))
  const base = '/ip4/127.0.0.1/tcp/4001'
  assert.is(getPeerIdFromMultiaddr(base), undefined)
  const withA = withPeerId(base, a)
  assert.is(withA.toString(), `${base}/p2p/${a.toString()}`)
  assert.ok(getPeerIdFromMultiaddr(withA).equals(a))
  assert.ok(getPeerIdFromMultiaddr(withA.toString()).equals(a))
  assert.is(withPeerId(withA, a).toString(), withA.toString())
  assert.throws(() => withPeerId(withA, b), (e) => e instanceof InvalidMultiaddrError)
  assert.is(withoutPeerId(withA).toString(), base)
  assert.is(withoutPeerId(base).toString(), base)
  // circuit address: the last /p2p/ is the target
  const circuit = multiaddr(`${withA.toString()}/p2p-circuit/p2p/${b.toString()}`)
  assert.ok(getPeerIdFromMultiaddr(circuit).equals(b))
  const relayOnly = multiaddr(`${withA.toString()}/p2p-circuit`)
  assert.is(getPeerIdFromMultiaddr(relayOnly), undefined)
  assert.ok(getPeerIdFromMultiaddr(withPeerId(relayOnly, b)).equals(b))
  // a CID-form PeerId in /p2p/ is read too
  assert.ok(getPeerIdFromMultiaddr(`${base}/p2p/${a.toCID().toString()}`).equals(a))
})

test.run()
