// ChaCha20-Poly1305 against the RFC 8439 test vectors, on every backend
// (wasm-simd, wasm, js). Runs in Node and in the browser.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { chacha20poly1305, DecryptionError, useBackend, init, activeBackend } from '../../dist/crypto/index.js'
import { activeChacha20Poly1305 } from '../../dist/crypto/backends.js'
import { chacha20poly1305Kernel } from '../../dist/crypto/_chacha20poly1305-wasm.js'

const BACKENDS = ['wasm-simd', 'wasm', 'js']

const hex = s => {
  const clean = s.replace(/\s+/g, '')
  const out = new Uint8Array(clean.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16)
  return out
}
const toHex = b => Array.from(b, x => x.toString(16).padStart(2, '0')).join('')
const utf8 = s => new TextEncoder().encode(s)

const SUNSCREEN = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."

// RFC 8439 §2.4.2: ChaCha20 encryption, counter 1.
const CIPHER_2_4_2 = {
  key: hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f'),
  nonce: hex('000000000000004a00000000'),
  counter: 1,
  plaintext: utf8(SUNSCREEN),
  ciphertext: hex(`6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b
    f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8
    07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736
    5af90bbf74a35be6b40b8eedf2785e42874d`)
}

// RFC 8439 §2.5.2: Poly1305.
const POLY_2_5_2 = {
  key: hex('85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b'),
  message: utf8('Cryptographic Forum Research Group'),
  tag: hex('a8061dc1305136c6c22b8baf0c0127a9')
}

// RFC 8439 Appendix A.3 #5–#11: Poly1305 edge cases of the final reduction mod 2^130 − 5
// (accumulator at or just below p, carries that run the whole length, 131-bit intermediates).
const FF = 'ff'.repeat(16)
const Z16 = '00'.repeat(16)
const R1 = '01' + '00'.repeat(15)
const R2 = '02' + '00'.repeat(15)
const R10 = '0100000000000000' + '0400000000000000'
const M10 = 'e33594d7505e43b900000000000000003394d7505e4379cd0100000000000000' + Z16
const POLY_A_3 = [
  ['#5', R2 + Z16, FF, '03' + '00'.repeat(15)],
  ['#6', R2 + FF, R2, '03' + '00'.repeat(15)],
  ['#7', R1 + Z16, FF + 'f0' + 'ff'.repeat(15) + '11' + '00'.repeat(15), '05' + '00'.repeat(15)],
  ['#8', R1 + Z16, FF + 'fb' + 'fe'.repeat(15) + '01'.repeat(16), Z16],
  ['#9', R2 + Z16, 'fd' + 'ff'.repeat(15), 'fa' + 'ff'.repeat(15)],
  ['#10', R10 + Z16, M10 + '01' + '00'.repeat(15), '14000000000000005500000000000000'],
  ['#11', R10 + Z16, M10, '13' + '00'.repeat(15)]
].map(([name, key, message, tag]) => ({ name, key: hex(key), message: hex(message), tag: hex(tag) }))

// RFC 8439 §2.8.2: AEAD encryption.
const AEAD_2_8_2 = {
  key: hex('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f'),
  nonce: hex('070000004041424344454647'),
  aad: hex('50515253c0c1c2c3c4c5c6c7'),
  plaintext: utf8(SUNSCREEN),
  ciphertext: hex(`d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6
    3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36
    92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc
    3ff4def08e4b7a9de576d26586cec64b6116`),
  tag: hex('1ae10b594f09e26a7e902ecbd0600691')
}

// RFC 8439 Appendix A.5: AEAD decryption.
const AEAD_A_5 = {
  key: hex('1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0'),
  nonce: hex('000000000102030405060708'),
  aad: hex('f33388860000000000004e91'),
  ciphertext: hex(`64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2
    4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf
    332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855
    9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4
    b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e
    af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a
    0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10
    49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29
    a6ad5cb4022b02709b`),
  tag: hex('eead9d67890cbb22392336fea1851f38'),
  plaintext: utf8('Internet-Drafts are draft documents valid for a maximum of six months and may be ' +
    'updated, replaced, or obsoleted by other documents at any time. It is inappropriate to use ' +
    'Internet-Drafts as reference material or to cite them other than as /\u201cwork in progress./\u201d')
}

/** uvu's assert.throws takes a predicate, not a class. */
const isA = Class => err => err instanceof Class && err.name === Class.name
const concat = (a, b) => { const out = new Uint8Array(a.length + b.length); out.set(a); out.set(b, a.length); return out }

async function on (backend) {
  useBackend(backend)
  await init() // browsers compile WASM asynchronously; a no-op once compiled
  assert.is(chacha20poly1305Kernel.backend(), backend)
  assert.is(activeBackend(), backend)
}

for (const backend of BACKENDS) {
  test(`[${backend}] RFC 8439 §2.4.2 ChaCha20 encryption`, async () => {
    await on(backend)
    const v = CIPHER_2_4_2
    const out = activeChacha20Poly1305().chacha20(v.key, v.nonce, v.plaintext, v.counter)
    assert.is(toHex(out), toHex(v.ciphertext))
    assert.is(toHex(activeChacha20Poly1305().chacha20(v.key, v.nonce, out, v.counter)), toHex(v.plaintext))
  })

  test(`[${backend}] RFC 8439 §2.5.2 Poly1305`, async () => {
    await on(backend)
    const v = POLY_2_5_2
    assert.is(toHex(activeChacha20Poly1305().poly1305(v.key, v.message)), toHex(v.tag))
  })

  test(`[${backend}] RFC 8439 Appendix A.3 Poly1305 reduction edge cases #5–#11`, async () => {
    await on(backend)
    for (const v of POLY_A_3) assert.is(toHex(activeChacha20Poly1305().poly1305(v.key, v.message)), toHex(v.tag), v.name)
  })

  test(`[${backend}] RFC 8439 §2.8.2 AEAD encryption and decryption`, async () => {
    await on(backend)
    const v = AEAD_2_8_2
    const cipher = chacha20poly1305(v.key)
    const sealed = cipher.encrypt(v.nonce, v.plaintext, v.aad)
    assert.is(toHex(sealed), toHex(concat(v.ciphertext, v.tag)))
    assert.is(toHex(cipher.decrypt(v.nonce, sealed, v.aad)), toHex(v.plaintext))
    cipher.dispose()
  })

  test(`[${backend}] RFC 8439 Appendix A.5 AEAD decryption`, async () => {
    await on(backend)
    const v = AEAD_A_5
    const cipher = chacha20poly1305(v.key)
    const sealed = concat(v.ciphertext, v.tag)
    assert.is(toHex(cipher.decrypt(v.nonce, sealed, v.aad)), toHex(v.plaintext))
    assert.is(toHex(cipher.encrypt(v.nonce, v.plaintext, v.aad)), toHex(sealed))
    cipher.dispose()
  })

  test(`[${backend}] a flipped tag bit throws DecryptionError and leaves the input untouched`, async () => {
    await on(backend)
    const v = AEAD_2_8_2
    const cipher = chacha20poly1305(v.key)
    const forged = concat(v.ciphertext, v.tag)
    forged[forged.length - 1] ^= 0x01
    const before = toHex(forged)
    assert.throws(() => cipher.decrypt(v.nonce, forged, v.aad), isA(DecryptionError))
    assert.is(toHex(forged), before)
    cipher.dispose()
  })

  test(`[${backend}] several ciphers interleave on the one kernel`, async () => {
    await on(backend)
    const a = chacha20poly1305(AEAD_2_8_2.key)
    const b = chacha20poly1305(AEAD_A_5.key)
    const sealedA = a.encrypt(AEAD_2_8_2.nonce, AEAD_2_8_2.plaintext, AEAD_2_8_2.aad)
    const openedB = b.decrypt(AEAD_A_5.nonce, concat(AEAD_A_5.ciphertext, AEAD_A_5.tag), AEAD_A_5.aad)
    const openedA = a.decrypt(AEAD_2_8_2.nonce, sealedA, AEAD_2_8_2.aad)
    assert.is(toHex(sealedA), toHex(concat(AEAD_2_8_2.ciphertext, AEAD_2_8_2.tag)))
    assert.is(toHex(openedB), toHex(AEAD_A_5.plaintext))
    assert.is(toHex(openedA), toHex(AEAD_2_8_2.plaintext))
    a.dispose(); b.dispose()
  })

  test(`[${backend}] edge checks: types, lengths, short messages, use after dispose`, async () => {
    await on(backend)
    assert.throws(() => chacha20poly1305(new Uint8Array(31)), isA(RangeError))
    assert.throws(() => chacha20poly1305('k'.repeat(32)), isA(TypeError))
    const cipher = chacha20poly1305(AEAD_2_8_2.key)
    assert.throws(() => cipher.encrypt(new Uint8Array(8), new Uint8Array(1)), isA(RangeError))
    assert.throws(() => cipher.encrypt(AEAD_2_8_2.nonce, [1, 2, 3]), isA(TypeError))
    assert.throws(() => cipher.encrypt(AEAD_2_8_2.nonce, new Uint8Array(1), 'aad'), isA(TypeError))
    assert.throws(() => cipher.decrypt(AEAD_2_8_2.nonce, new Uint8Array(15)), isA(DecryptionError))
    // Empty plaintext and no AAD: the tag alone, and it opens back to nothing.
    const sealed = cipher.encrypt(AEAD_2_8_2.nonce, new Uint8Array(0))
    assert.is(sealed.length, 16)
    assert.is(cipher.decrypt(AEAD_2_8_2.nonce, sealed).length, 0)
    cipher.dispose()
    assert.throws(() => cipher.encrypt(AEAD_2_8_2.nonce, new Uint8Array(1)), /disposed/)
  })
}

test('backend reset', () => {
  useBackend('auto')
  assert.ok(BACKENDS.includes(chacha20poly1305Kernel.backend()))
  console.log(`  chacha20poly1305 vectors ran on: ${BACKENDS.join(', ')}; auto selects ${chacha20poly1305Kernel.backend()}`)
})

test.run()
