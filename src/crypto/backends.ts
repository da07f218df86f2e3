/**
 * Backend dispatch for the crypto kernels: the functions follow
 * `useBackend()` / `activeBackend()`, and run the WASM builds (SIMD where it
 * validates) or the pure-JS fallback.
 */
import type { Backend } from '../wasm/backend.js'
import type { KernelInstance } from '../wasm/kernel.js'
import { genericMac } from './_hmac-generic.js'
import { macWasm } from './_hmac-wasm.js'
import { sha256Js } from './_sha256-js.js'
import { sha256Kernel, sha256Wasm, type Sha256Exports } from './_sha256-wasm.js'
import type { MacImplementation, Sha256Implementation } from './_types.js'

interface WasmImplementations {
  readonly sha256: Sha256Implementation
  readonly mac: MacImplementation
}

const wasmImplementations = new WeakMap<KernelInstance<Sha256Exports>, WasmImplementations>()
let jsMac: MacImplementation | undefined

/** HMAC and HKDF on the pure-JS SHA-256. */
export function macJs (): MacImplementation {
  return (jsMac ??= genericMac(sha256Js))
}

// The instance asked for last, and its implementations: a WeakMap lookup per
// 32-byte hash is a measurable share of its cost.
let lastKernel: KernelInstance<Sha256Exports> | undefined
let lastImplementations: WasmImplementations | undefined

/** SHA-256, HMAC and HKDF on one WASM kernel instance (for pinned-backend objects). */
export function wasmImplementationsOf (k: KernelInstance<Sha256Exports>): WasmImplementations {
  if (k === lastKernel && lastImplementations !== undefined) return lastImplementations
  let impl = wasmImplementations.get(k)
  if (impl === undefined) {
    const sha256 = sha256Wasm(k)
    impl = { sha256, mac: macWasm(k, sha256) }
    wasmImplementations.set(k, impl)
  }
  lastKernel = k
  lastImplementations = impl
  return impl
}

/** The SHA-256 implementation of the active backend. */
export function activeSha256 (): Sha256Implementation {
  const k = sha256Kernel.get()
  return k === undefined ? sha256Js : wasmImplementationsOf(k).sha256
}

/** The HMAC/HKDF implementation of the active backend. */
export function activeMac (): MacImplementation {
  const k = sha256Kernel.get()
  return k === undefined ? macJs() : wasmImplementationsOf(k).mac
}

/** The backend the crypto functions run on now: 'wasm-simd', 'wasm' or 'js'. */
export function activeBackend (): Backend {
  return sha256Kernel.backend()
}

export { sha256Js }
