// Same source → same bytes: compiling a kernel again gives exactly the module the build embedded.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createHash } from 'node:crypto'
import { inflateRawSync } from 'node:zlib'
import { BOOTSTRAP_MODULES, compileKernel, listKernels, packBuild } from '../../build/build.js'
import { inflateRaw } from '../../dist/wasm/inflate.js'

const sha = bytes => createHash('sha256').update(bytes).digest('hex')

/** An embedded build, unpacked the way the loader does (our inflate), checked against node:zlib. */
function unpack (embedded, length) {
  const packed = Buffer.from(embedded.packed, 'base64')
  const bytes = inflateRaw(packed, length)
  assert.is(sha(bytes), sha(inflateRawSync(packed)), 'our inflate agrees with node:zlib')
  return bytes
}

/** Both builds of kernel `name` as embedded: the SIMD one in <name>.js, the scalar one in <name>.scalar.js. */
async function embeddedBuilds (name) {
  const simd = await import(`../../dist/wasm/generated/${name}.js`)
  const scalar = await import(`../../dist/wasm/generated/${name}.scalar.js`)
  return { simd: unpack(simd, simd.simdLength), scalar: unpack(scalar, scalar.scalarLength), modules: { simd, scalar } }
}

test('every kernel recompiles to the embedded bytes, both builds', async () => {
  const kernels = await listKernels()
  assert.ok(kernels.includes('sha256'))
  const { scalarKernels } = await import('../../dist/wasm/generated/scalar-kernels.js')
  assert.equal(Object.keys(scalarKernels).sort(), kernels, 'scalarKernels lists every kernel')
  for (const name of kernels) {
    const embedded = await embeddedBuilds(name)
    assert.ok(embedded.simd.length > 0 && embedded.scalar.length > 0, `${name} has both builds embedded`)
    for (const target of ['simd', 'scalar']) {
      const again = await compileKernel(name, target)
      assert.is(sha(again), sha(embedded[target]), `${name}.${target} differs from the embedded build`)
      assert.is(packBuild(again).toString('base64'), embedded.modules[target].packed, `${name}.${target}: packing the same build gives the same stream`)
    }
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
  const embedded = await embeddedBuilds('selftest')
  assert.is.not(sha(embedded.simd), sha(embedded.scalar))
  const scalar = embedded.scalar
  // The scalar build must validate on an engine without SIMD: it must not use the 0xfd prefix opcodes.
  assert.ok(WebAssembly.validate(scalar))
})

test.run()
