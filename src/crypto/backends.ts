/**
 * Backend dispatch for the crypto kernels. `backends.wasm` always runs the
 * WASM builds (SIMD where it validates), `backends.js` always the pure-JS
 * fallback; the top-level functions follow `useBackend()` / `activeBackend()`.
 */
import type { Backend } from '../wasm/backend.js'
import type { KernelInstance } from '../wasm/kernel.js'
import { sha256Js } from './_sha256-js.js'
import { sha256Kernel, sha256Wasm } from './_sha256-wasm.js'
import type { Sha256Implementation } from './_types.js'

const wasmImplementations = new WeakMap<KernelInstance<any>, Sha256Implementation>()

/** The SHA-256 implementation of the active backend. */
export function activeSha256 (): Sha256Implementation {
  const k = sha256Kernel.get()
  if (k === undefined) return sha256Js
  let impl = wasmImplementations.get(k)
  if (impl === undefined) { impl = sha256Wasm(k); wasmImplementations.set(k, impl) }
  return impl
}

/** The backend the crypto functions run on now: 'wasm-simd', 'wasm' or 'js'. */
export function activeBackend (): Backend {
  return sha256Kernel.backend()
}

export { sha256Js }
