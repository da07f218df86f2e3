// Same source → same bytes: compiling a kernel again gives exactly the module the build embedded.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createHash } from 'node:crypto'
import { inflateRawSync } from 'node:zlib'
import { BOOTSTRAP_MODULES, compileKernel, listKernels, packBuilds } from '../../build/build.js'
import { inflateRaw } from '../../dist/wasm/inflate.js'

const sha = bytes => createHash('sha256').update(bytes).digest('hex')

/** The embedded builds, unpacked the way the loader does (our inflate), checked against node:zlib. */
function unpack (embedded) {
  const packed = Buffer.from(embedded.packed, 'base64')
  const both = inflateRaw(packed, embedded.simdLength + embedded.scalarLength)
  assert.is(sha(both), sha(inflateRawSync(packed)), 'our inflate agrees with node:zlib')
  return { simd: both.subarray(0, embedded.simdLength), scalar: both.subarray(embedded.simdLength) }
}

test('every kernel recompiles to the embedded bytes, both builds', async () => {
  const kernels = await listKernels()
  assert.ok(kernels.includes('sha256'))
  for (const name of kernels) {
    const module = await import(`../../dist/wasm/generated/${name}.js`)
    const embedded = unpack(module)
    assert.ok(embedded.simd.length > 0 && embedded.scalar.length > 0, `${name} has both builds embedded`)
    const again = {}
    for (const target of ['simd', 'scalar']) {
      again[target] = await compileKernel(name, target)
      assert.is(sha(again[target]), sha(embedded[target]), `${name}.${target} differs from the embedded build`)
    }
    assert.is(packBuilds(again).toString('base64'), module.packed, `${name}: packing the same builds gives the same stream`)
  }
})

test('the loader\'s bootstrap modules (the DEFLATE decoder) recompile to the embedded bytes', async () => {
  assert.ok(BOOTSTRAP_MODULES.includes('inflate'))
  for (const name of BOOTSTRAP_MODULES) {
    const embedded = Buffer.from((await import(`../../dist/wasm/generated/${name}.js`)).wasm, 'base64')
    assert.is(sha(await compileKernel(name, 'bootstrap')), sha(embedded), `${name} differs from the embedded build`)
    // Small enough for a browser's main thread to compile synchronously.
    assert.ok(embedded.length < 4096, `${name} is ${embedded.length} bytes`)
  }
})

test('the SIMD and scalar builds are separate modules (selftest differs by design)', async () => {
  const embedded = unpack(await import('../../dist/wasm/generated/selftest.js'))
  assert.is.not(sha(embedded.simd), sha(embedded.scalar))
  const scalar = embedded.scalar
  // The scalar build must validate on an engine without SIMD: it must not use the 0xfd prefix opcodes.
  assert.ok(WebAssembly.validate(scalar))
})

test.run()
