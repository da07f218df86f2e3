// Same source → same bytes: compiling a kernel again gives exactly the module the build embedded.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createHash } from 'node:crypto'
import { compileKernel, listKernels } from '../../build/build.js'

const sha = bytes => createHash('sha256').update(bytes).digest('hex')

test('every kernel recompiles to the embedded bytes, both builds', async () => {
  const kernels = await listKernels()
  assert.ok(kernels.includes('sha256'))
  for (const name of kernels) {
    const embedded = await import(`../../dist/wasm/generated/${name}.js`)
    assert.ok(embedded.simd.length > 0 && embedded.scalar.length > 0, `${name} has both builds embedded`)
    for (const target of ['simd', 'scalar']) {
      const again = await compileKernel(name, target)
      assert.is(sha(again), sha(Buffer.from(embedded[target], 'base64')), `${name}.${target} differs from the embedded build`)
    }
  }
})

test('the SIMD and scalar builds are separate modules (selftest differs by design)', async () => {
  const embedded = await import('../../dist/wasm/generated/selftest.js')
  assert.is.not(embedded.simd, embedded.scalar)
  const scalar = Buffer.from(embedded.scalar, 'base64')
  // The scalar build must validate on an engine without SIMD: it must not use the 0xfd prefix opcodes.
  assert.ok(WebAssembly.validate(scalar))
})

test.run()
