// `backends.wasm` / `backends.js` from wasp2p/crypto: each primitive pinned to
// one backend whatever useBackend() says, checked against node:crypto.
// Node-only: backends.wasm compiles synchronously (a browser main thread needs init() first).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createCipheriv, createHash, randomBytes } from 'node:crypto'
import { backends, useBackend } from '../../dist/crypto/index.js'
import { chacha20poly1305Kernel } from '../../dist/crypto/_chacha20poly1305-wasm.js'

test.after.each(() => useBackend('auto'))

const hex = b => Buffer.from(b).toString('hex')

function reference (key, nonce, plaintext, aad) {
  const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
  c.setAAD(aad, { plaintextLength: plaintext.length })
  return Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()])
}

for (const forced of ['js', 'wasm', 'wasm-simd', 'auto']) {
  test(`with useBackend('${forced}'), backends.wasm and backends.js both match node:crypto`, () => {
    useBackend(forced)
    const key = randomBytes(32)
    const nonce = randomBytes(12)
    const aad = randomBytes(32)
    const plaintext = randomBytes(1000)
    const expected = hex(reference(key, nonce, plaintext, aad))
    for (const [name, pinned] of Object.entries(backends)) {
      const cipher = pinned.chacha20poly1305(key)
      assert.is(hex(cipher.encrypt(nonce, plaintext, aad)), expected, `backends.${name} seal`)
      assert.is(hex(cipher.decrypt(nonce, Buffer.from(expected, 'hex'), aad)), hex(plaintext), `backends.${name} open`)
      assert.is(hex(pinned.sha256(plaintext)), createHash('sha256').update(plaintext).digest('hex'), `backends.${name} sha256`)
      assert.is(hex(pinned.sha256.create().update(plaintext.subarray(0, 10)).update(plaintext.subarray(10)).digest()),
        createHash('sha256').update(plaintext).digest('hex'), `backends.${name} streaming sha256`)
      cipher.dispose()
    }
  })
}

test('backends.wasm runs on the WASM kernel even when js is forced; backends.js never touches it', () => {
  useBackend('js')
  const instance = chacha20poly1305Kernel.wasm()
  assert.is(instance.backend, 'wasm-simd')
  const keyAt = instance.exports.KEY.value
  // The kernel zeroes its key after each call, but the (public) nonce stays: it shows who used the kernel.
  const nonceAt = instance.exports.NONCE.value
  const kernelNonce = () => Buffer.from(instance.bytes.subarray(nonceAt, nonceAt + 12))
  const key = randomBytes(32)
  const viaJs = backends.js.chacha20poly1305(key)
  const jsNonce = randomBytes(12)
  viaJs.encrypt(jsNonce, randomBytes(10))
  assert.not.ok(kernelNonce().equals(jsNonce), 'backends.js used the kernel')
  const viaWasm = backends.wasm.chacha20poly1305(key)
  const wasmNonce = randomBytes(12)
  viaWasm.encrypt(wasmNonce, randomBytes(10))
  assert.ok(kernelNonce().equals(wasmNonce), 'backends.wasm did not use the kernel')
  assert.ok(instance.bytes.subarray(keyAt, keyAt + 32).every(b => b === 0), 'the key is zeroed after the call')
  viaWasm.dispose()
  assert.ok(instance.bytes.subarray(keyAt, keyAt + 32).every(b => b === 0))
  viaJs.dispose()
})

test('the backends object is frozen', () => {
  assert.ok(Object.isFrozen(backends) && Object.isFrozen(backends.wasm) && Object.isFrozen(backends.js))
})

test.run()
