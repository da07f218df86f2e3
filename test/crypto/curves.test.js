// Curves: RFC vectors on every path, and WebCrypto vs noble on random keys.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { x25519, ed25519, secp256k1, InvalidKeyError, enableCurveFallback, nobleCurves } from '../../dist/crypto/index.js'
import { x25519Paths } from '../../dist/crypto/curves/x25519.js'
import { ed25519Paths } from '../../dist/crypto/curves/ed25519.js'

// Both paths and the sync functions: the pure-JS curves are on by default in Node only (src/crypto/curves/fallback.ts).
enableCurveFallback(nobleCurves)

const hex = (s) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16))
const toHex = (u) => Array.from(u, (b) => b.toString(16).padStart(2, '0')).join('')
const random = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n))

const DIFFERENTIAL_ROUNDS = 40

// RFC 7748 §6.1
const ALICE_PRIV = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a')
const ALICE_PUB = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a'
const BOB_PRIV = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb')
const BOB_PUB = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'
const SHARED = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742'
// RFC 7748 §5.2, first vector
const SCALAR = hex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4')
const U = hex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c')
const U_OUT = 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552'

test('paths in use', async () => {
  console.log(`  x25519 WebCrypto: ${await x25519Paths.webcrypto.supported()}, Ed25519 WebCrypto: ${await ed25519Paths.webcrypto.supported()}`)
})

test('x25519 RFC 7748 vectors: public API, async and sync', async () => {
  assert.is(toHex(x25519.getPublicKey(ALICE_PRIV)), ALICE_PUB)
  assert.is(toHex(x25519.getPublicKey(BOB_PRIV)), BOB_PUB)
  assert.is(toHex(await x25519.sharedSecret(ALICE_PRIV, hex(BOB_PUB))), SHARED)
  assert.is(toHex(await x25519.getSharedSecret(BOB_PRIV, hex(ALICE_PUB))), SHARED)
  assert.is(toHex(x25519.sharedSecretSync(ALICE_PRIV, hex(BOB_PUB))), SHARED)
  assert.is(toHex(await x25519.sharedSecret(SCALAR, U)), U_OUT)
})

test('x25519 RFC 7748 vectors: WebCrypto path (JWK and pkcs8 imports)', async () => {
  if (!(await x25519Paths.webcrypto.supported())) { console.log('  (no WebCrypto X25519 here)'); return }
  assert.is(toHex(await x25519Paths.webcrypto.sharedSecret(ALICE_PRIV.slice(), hex(BOB_PUB))), SHARED)
  assert.is(toHex(await x25519Paths.webcrypto.sharedSecret(BOB_PRIV.slice(), hex(ALICE_PUB), hex(BOB_PUB))), SHARED)
  assert.is(toHex(await x25519Paths.webcrypto.sharedSecret(SCALAR.slice(), U)), U_OUT)
})

test('x25519 RFC 7748 vectors: fast path (node:crypto KeyObjects in Node; JWK and pkcs8 imports)', async () => {
  assert.is(toHex(await x25519Paths.fast.sharedSecret(ALICE_PRIV.slice(), hex(BOB_PUB))), SHARED)
  assert.is(toHex(await x25519Paths.fast.sharedSecret(BOB_PRIV.slice(), hex(ALICE_PUB), hex(BOB_PUB))), SHARED)
  assert.is(toHex(await x25519Paths.fast.sharedSecret(SCALAR.slice(), U)), U_OUT)
  // Keys it made are plain arrays of their own (no Buffer pool view), cached by identity, checked by bytes.
  const a = await x25519Paths.fast.generateKeyPair()
  assert.is(Object.getPrototypeOf(a.privateKey), Uint8Array.prototype)
  assert.is(a.privateKey.byteLength, a.privateKey.buffer.byteLength)
  assert.is(toHex(a.publicKey), toHex(x25519.getPublicKey(a.privateKey)))
  const peer = x25519.generateKeyPairSync()
  assert.is(toHex(await x25519Paths.fast.sharedSecret(a.privateKey, peer.publicKey)), toHex(x25519Paths.noble.sharedSecret(peer.privateKey, a.publicKey)))
  let refused = false
  try { await x25519Paths.fast.sharedSecret(a.privateKey, new Uint8Array(32)) } catch { refused = true }
  assert.ok(refused, 'an all-zero result is refused')
})

test('x25519 differential: WebCrypto vs noble on random keys and random public bytes', async () => {
  const wc = await x25519Paths.webcrypto.supported()
  for (let i = 0; i < DIFFERENTIAL_ROUNDS; i++) {
    const a = await x25519.generateKeyPair()
    const b = x25519.generateKeyPairSync()
    assert.is(a.privateKey.length, 32)
    assert.is(toHex(a.publicKey), toHex(x25519.getPublicKey(a.privateKey)))
    const s1 = await x25519.sharedSecret(a.privateKey, b.publicKey)
    const s2 = x25519Paths.noble.sharedSecret(b.privateKey, a.publicKey)
    assert.is(toHex(s1), toHex(s2))
    if (wc) {
      const w = await x25519Paths.webcrypto.generateKeyPair()
      assert.is(toHex(w.publicKey), toHex(x25519.getPublicKey(w.privateKey)))
      // Arbitrary 32 bytes as the peer key: high bit set, non-canonical u, anything.
      const peer = random(32)
      let viaNoble, viaWebCrypto
      try { viaNoble = toHex(x25519Paths.noble.sharedSecret(w.privateKey, peer)) } catch (err) { viaNoble = err.name }
      try { viaWebCrypto = toHex(await x25519Paths.webcrypto.sharedSecret(w.privateKey, peer)) } catch (err) { viaWebCrypto = 'failed' }
      assert.is(viaWebCrypto, viaNoble)
      const fromNobleKey = await x25519Paths.webcrypto.sharedSecret(b.privateKey.slice(), w.publicKey)
      assert.is(toHex(fromNobleKey), toHex(x25519Paths.noble.sharedSecret(w.privateKey, b.publicKey)))
    }
  }
})

test('x25519 low-order public keys give InvalidKeyError on every path', async () => {
  const { privateKey } = await x25519.generateKeyPair()
  const zero = new Uint8Array(32)
  const one = new Uint8Array(32); one[0] = 1
  for (const peer of [zero, one]) {
    let caught
    try { await x25519.sharedSecret(privateKey, peer) } catch (err) { caught = err }
    assert.instance(caught, InvalidKeyError)
    assert.throws(() => x25519.sharedSecretSync(privateKey, peer), (err) => err instanceof InvalidKeyError)
  }
})

test('x25519 input checks at the edge', async () => {
  let caught
  try { await x25519.sharedSecret(new Uint8Array(31), new Uint8Array(32)) } catch (err) { caught = err }
  assert.instance(caught, RangeError)
  caught = undefined
  try { await x25519.sharedSecret('nope', new Uint8Array(32)) } catch (err) { caught = err }
  assert.instance(caught, TypeError)
})

// RFC 8032 §7.1, tests 1 and 2
const ED_VECTORS = [
  { secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', message: '', signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b' },
  { secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', message: '72', signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00' }
]

test('ed25519 RFC 8032 vectors on both paths', async () => {
  const wc = await ed25519Paths.webcrypto.supported()
  for (const v of ED_VECTORS) {
    const sk = hex(v.secret); const pk = hex(v.public); const m = hex(v.message)
    assert.is(toHex(ed25519.getPublicKey(sk)), v.public)
    assert.is(toHex(await ed25519.sign(m, sk)), v.signature)
    assert.is(toHex(ed25519.signSync(m, sk)), v.signature)
    assert.ok(await ed25519.verify(hex(v.signature), m, pk))
    assert.ok(ed25519.verifySync(hex(v.signature), m, pk))
    if (wc) {
      assert.is(toHex(await ed25519Paths.webcrypto.sign(m, sk.slice(), pk)), v.signature)
      assert.is(toHex(await ed25519Paths.webcrypto.sign(m, sk.slice())), v.signature)
      assert.ok(await ed25519Paths.webcrypto.verify(hex(v.signature), m, pk))
    }
  }
})

test('ed25519 RFC 8032 vectors: fast path (node:crypto KeyObjects in Node)', async () => {
  for (const v of ED_VECTORS) {
    const sk = hex(v.secret); const pk = hex(v.public); const m = hex(v.message)
    assert.is(toHex(await ed25519Paths.fast.sign(m, sk.slice(), pk)), v.signature)
    assert.is(toHex(await ed25519Paths.fast.sign(m, sk.slice())), v.signature)
    assert.ok(await ed25519Paths.fast.verify(hex(v.signature), m, pk))
    const bad = hex(v.signature); bad[5] ^= 4
    let badResult
    try { badResult = await ed25519Paths.fast.verify(bad, m, pk) } catch { badResult = false }
    assert.not.ok(badResult)
  }
  const { privateKey, publicKey } = await ed25519Paths.fast.generateKeyPair()
  assert.is(Object.getPrototypeOf(privateKey), Uint8Array.prototype)
  assert.is(toHex(publicKey), toHex(ed25519.getPublicKey(privateKey)))
  const m = random(100)
  assert.ok(ed25519Paths.noble.verify(await ed25519Paths.fast.sign(m, privateKey), m, publicKey))
})

test('ed25519 fast path: a remembered verification answers only for the same key, message and signature', async () => {
  const { privateKey, publicKey } = await ed25519.generateKeyPair()
  const other = await ed25519.generateKeyPair()
  const m = random(56)
  const sig = await ed25519.sign(m, privateKey, publicKey)
  assert.ok(await ed25519Paths.fast.verify(sig, m, publicKey))
  assert.ok(await ed25519Paths.fast.verify(sig, m.slice(), publicKey.slice()), 'remembered, by bytes')
  const changed = m.slice(); changed[0] ^= 1
  assert.not.ok(await ed25519Paths.fast.verify(sig, changed, publicKey), 'another message, same signature')
  let otherKey
  try { otherKey = await ed25519Paths.fast.verify(sig, m, other.publicKey) } catch { otherKey = false }
  assert.not.ok(otherKey, 'another key, same signature')
  // The caller's arrays may change afterwards: what was remembered is a copy.
  m[1] ^= 1
  assert.not.ok(await ed25519Paths.fast.verify(sig, m, publicKey))
})

test('ed25519 differential: WebCrypto vs noble, signatures cross-verify, tampering fails on both', async () => {
  const wc = await ed25519Paths.webcrypto.supported()
  for (let i = 0; i < DIFFERENTIAL_ROUNDS; i++) {
    const { privateKey, publicKey } = await ed25519.generateKeyPair()
    assert.is(toHex(publicKey), toHex(ed25519.getPublicKey(privateKey)))
    const m = random(i * 7)
    const sig = await ed25519.sign(m, privateKey, publicKey)
    assert.is(toHex(sig), toHex(ed25519Paths.noble.sign(m, privateKey)))
    assert.ok(ed25519Paths.noble.verify(sig, m, publicKey))
    const bad = sig.slice(); bad[i % 64] ^= 1 << (i % 8)
    assert.not.ok(ed25519Paths.noble.verify(bad, m, publicKey))
    assert.not.ok(await ed25519.verify(bad, m, publicKey))
    if (wc) {
      assert.ok(await ed25519Paths.webcrypto.verify(sig, m, publicKey))
      let wcBad
      try { wcBad = await ed25519Paths.webcrypto.verify(bad, m, publicKey) } catch { wcBad = false }
      assert.not.ok(wcBad)
    }
  }
})

test('ed25519 verify resolves false on malformed input of the right types', async () => {
  const { privateKey, publicKey } = await ed25519.generateKeyPair()
  const sig = await ed25519.sign(new Uint8Array(3), privateKey)
  assert.not.ok(await ed25519.verify(sig.subarray(0, 63), new Uint8Array(3), publicKey))
  assert.not.ok(await ed25519.verify(sig, new Uint8Array(3), publicKey.subarray(0, 31)))
  assert.not.ok(await ed25519.verify(sig, new Uint8Array(3), new Uint8Array(32).fill(0xff)))
  assert.not.ok(ed25519.verifySync(sig, new Uint8Array(3), new Uint8Array(32).fill(0xff)))
})

test('secp256k1 sign/verify (DER, SHA-256 prehash), tampering, bad keys', () => {
  for (let i = 0; i < 10; i++) {
    const { privateKey, publicKey } = secp256k1.generateKeyPair()
    assert.is(publicKey.length, 33)
    assert.is(toHex(secp256k1.getPublicKey(privateKey)), toHex(publicKey))
    const m = random(i * 13)
    const sig = secp256k1.sign(m, privateKey)
    assert.is(sig[0], 0x30) // DER SEQUENCE
    assert.ok(secp256k1.verify(sig, m, publicKey))
    const bad = sig.slice(); bad[bad.length - 1] ^= 1
    assert.not.ok(secp256k1.verify(bad, m, publicKey))
    assert.not.ok(secp256k1.verify(sig, random(5), publicKey))
    assert.not.ok(secp256k1.verify(sig, m, random(33)))
  }
  assert.throws(() => secp256k1.getPublicKey(new Uint8Array(32)), (err) => err instanceof InvalidKeyError)
  assert.throws(() => secp256k1.compressPublicKey(new Uint8Array(33)), (err) => err instanceof InvalidKeyError)
})

test.run()
