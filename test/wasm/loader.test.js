// The WASM loader: backend choice, forced backends, sync and async init, abort → WasmAbortError.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { selftestKernel } from '../../dist/wasm/selftest.js'
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

test('BackendUnavailableError is a named error', () => {
  const err = new BackendUnavailableError('x')
  assert.is(err.name, 'BackendUnavailableError')
})

test.run()
