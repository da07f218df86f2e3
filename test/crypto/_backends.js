// Every crypto suite runs once per backend; `onBackend` registers one test forced onto one.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { useBackend, activeBackend } from '../../dist/crypto/index.js'

export const BACKENDS = ['wasm-simd', 'wasm', 'js']

/** Registers `name` for `backend`: forces it, checks it is the one running, restores auto afterwards. */
export function onBackend (backend, name, fn) {
  test(`${backend}: ${name}`, async () => {
    useBackend(backend)
    assert.is(activeBackend(), backend, 'the forced backend is the one running')
    try { await fn() } finally { useBackend('auto') }
  })
}
