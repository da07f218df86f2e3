// The WASM loader: backend choice, forced backends, sync and async init, abort → WasmAbortError.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { selftestKernel } from '../../dist/wasm/selftest.js'
import * as selftestBuilds from '../../dist/wasm/generated/selftest.js'
import * as selftestScalar from '../../dist/wasm/generated/selftest.scalar.js'
import { enableScalarKernels } from '../../dist/wasm/scalar.js'
import { scalarKernels } from '../../dist/wasm/generated/scalar-kernels.js'
import { Kernel } from '../../dist/wasm/kernel.js'
import { inflateRaw } from '../../dist/wasm/inflate.js'
import { base64ToBytes } from '../../dist/wasm/base64.js'
import { useBackend, init, initSync, WasmAbortError, BackendUnavailableError } from '../../dist/wasm/index.js'
import { activeBackend } from '../../dist/crypto/index.js'

const inWorkerOrNode = typeof document === 'undefined'

test.after.each(() => useBackend('auto'))

test('auto picks the SIMD build where WebAssembly.validate accepts it', async () => {
  useBackend('auto')
  await init()
  const backend = selftestKernel.backend()
  console.log(`  [loader] auto selected ${backend}; crypto kernels on ${activeBackend()}`)
  assert.is(backend, 'wasm-simd')
  assert.is(selftestKernel.get().exports.buildKind(), 2)
})

test('forcing wasm runs the scalar build', async () => {
  useBackend('wasm')
  await init()
  assert.is(selftestKernel.backend(), 'wasm')
  assert.is(selftestKernel.get().exports.buildKind(), 1)
  assert.is(activeBackend(), 'wasm')
})

test('forcing js gives no instance, so callers take the fallback', () => {
  useBackend('js')
  assert.is(selftestKernel.get(), undefined)
  assert.is(selftestKernel.backend(), 'js')
  assert.is(activeBackend(), 'js')
})

test('an unknown backend name is a TypeError', () => {
  assert.throws(() => useBackend('fast'), err => err instanceof TypeError)
})

test('initSync instantiates without awaiting', () => {
  useBackend('wasm-simd')
  if (inWorkerOrNode) {
    initSync()
    assert.is(selftestKernel.get().exports.buildKind(), 2)
  }
})

test('an AssemblyScript abort becomes a WasmAbortError naming file and line', async () => {
  useBackend('auto')
  await init()
  const k = selftestKernel.get()
  assert.is(k.exports.checkNonNegative(5), 5)
  try {
    k.exports.checkNonNegative(-1)
    assert.unreachable('abort did not throw')
  } catch (err) {
    assert.instance(err, WasmAbortError)
    assert.is(err.name, 'WasmAbortError')
    assert.match(err.message, 'selftest: negative input')
    assert.match(err.file, 'assembly/selftest.ts')
    assert.ok(err.line > 0)
  }
  // The instance stays usable after an abort: no state was corrupted.
  assert.is(k.exports.checkNonNegative(7), 7)
})

/** Raw DEFLATE of `bytes` in base64, the way build/build.js embeds a build. */
async function packed (bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'))
  const deflated = new Uint8Array(await new Response(stream).arrayBuffer())
  let text = ''
  for (const b of deflated) text += String.fromCharCode(b)
  return btoa(text)
}

/** A kernel whose SIMD build is garbage: the SIMD probe passes, the compile must fail. */
async function kernelWithBrokenSimd (name) {
  const { simdLength } = selftestBuilds
  const broken = new Uint8Array(simdLength).fill(0xff)
  broken.set([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
  return new Kernel(name, { packed: await packed(broken), simdLength }, selftestScalar)
}

test('the embedded scalar build is the scalar selftest (inflates to a module without SIMD)', () => {
  const scalar = inflateRaw(base64ToBytes(selftestScalar.packed), selftestScalar.scalarLength)
  assert.is(scalar.length, selftestScalar.scalarLength)
  assert.ok(WebAssembly.validate(scalar))
})

test('without its scalar build enabled, a kernel runs SIMD under auto, falls back to JS where SIMD fails, and forcing wasm says how to enable it', async () => {
  const name = 'selftest-without-scalar'
  const kernel = new Kernel(name, selftestBuilds)
  useBackend('auto')
  await kernel.init()
  assert.is(kernel.backend(), 'wasm-simd')
  useBackend('wasm')
  try {
    kernel.backend()
    assert.unreachable('the scalar build ran without being enabled')
  } catch (err) {
    assert.instance(err, BackendUnavailableError)
    assert.match(err.message, 'enableScalarKernels')
  }
  // A SIMD build that fails to compile, and no scalar build: the JS fallback serves.
  useBackend('auto')
  const broken = new Uint8Array(selftestBuilds.simdLength).fill(0xff)
  broken.set([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
  const brokenSimd = new Kernel('broken-simd-without-scalar', { packed: await packed(broken), simdLength: broken.length })
  await brokenSimd.init()
  assert.is(brokenSimd.backend(), 'js')
  assert.is(brokenSimd.get(), undefined)
  // Enabling the builds later makes the forced backend available at the next call.
  enableScalarKernels({ [name]: selftestScalar })
  useBackend('wasm')
  await kernel.init()
  assert.is(kernel.backend(), 'wasm')
  assert.is(kernel.get().exports.buildKind(), 1)
})

test('scalarKernels holds every kernel\'s scalar build', () => {
  for (const name of ['chacha20poly1305', 'selftest', 'sha256', 'xor', 'yamux']) {
    assert.ok(scalarKernels[name].scalarLength > 0 && typeof scalarKernels[name].packed === 'string', name)
  }
})

test('under auto, a SIMD build that fails to compile is dropped for the scalar build (async)', async () => {
  useBackend('auto')
  const kernel = await kernelWithBrokenSimd('broken-simd-async')
  await kernel.init()
  assert.is(kernel.backend(), 'wasm')
  assert.is(kernel.get().exports.buildKind(), 1)
})

test('under auto, a SIMD build that fails to compile is dropped for the scalar build (sync)', async () => {
  useBackend('auto')
  const kernel = await kernelWithBrokenSimd('broken-simd-sync')
  if (inWorkerOrNode) {
    kernel.initSync()
    assert.is(kernel.backend(), 'wasm')
    assert.is(kernel.get().exports.buildKind(), 1)
  }
})

test('forcing wasm-simd with a SIMD build that fails to compile is an error, not a silent switch', async () => {
  const kernel = await kernelWithBrokenSimd('broken-simd-forced')
  useBackend('wasm-simd')
  try {
    await kernel.init()
    assert.unreachable('a broken SIMD build compiled')
  } catch (err) {
    assert.instance(err, WebAssembly.CompileError)
  }
})

test('BackendUnavailableError is a named error', () => {
  const err = new BackendUnavailableError('x')
  assert.is(err.name, 'BackendUnavailableError')
})

test.run()
