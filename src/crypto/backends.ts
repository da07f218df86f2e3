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
import type { ChaCha20Poly1305Implementation } from './_aead-types.js'
import { chacha20poly1305Js } from './_chacha20poly1305-js.js'
import { chacha20poly1305Kernel, chacha20poly1305Wasm } from './_chacha20poly1305-wasm.js'

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

/** SHA-256, HMAC and HKDF on one WASM kernel instance. */
function wasmImplementationsOf (k: KernelInstance<Sha256Exports>): WasmImplementations {
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

/** SHA-256 on the best WASM build, whatever the active backend. */
export function wasmSha256 (): Sha256Implementation {
  return wasmImplementationsOf(sha256Kernel.wasm()).sha256
}

/** The HMAC/HKDF implementation of the active backend. */
export function activeMac (): MacImplementation {
  const k = sha256Kernel.get()
  return k === undefined ? macJs() : wasmImplementationsOf(k).mac
}

/** HMAC/HKDF on the best WASM build, whatever the active backend. */
export function wasmMac (): MacImplementation {
  return wasmImplementationsOf(sha256Kernel.wasm()).mac
}

const wasmAeads = new WeakMap<KernelInstance<any>, ChaCha20Poly1305Implementation>()

function wasmChacha20Poly1305Of (k: KernelInstance<any>): ChaCha20Poly1305Implementation {
  let impl = wasmAeads.get(k)
  if (impl === undefined) { impl = chacha20poly1305Wasm(k); wasmAeads.set(k, impl) }
  return impl
}

/** The ChaCha20-Poly1305 implementation of the active backend. */
export function activeChacha20Poly1305 (): ChaCha20Poly1305Implementation {
  const k = chacha20poly1305Kernel.get()
  return k === undefined ? chacha20poly1305Js : wasmChacha20Poly1305Of(k)
}

/** ChaCha20-Poly1305 on the best WASM build, whatever the active backend. */
export function wasmChacha20Poly1305 (): ChaCha20Poly1305Implementation {
  return wasmChacha20Poly1305Of(chacha20poly1305Kernel.wasm())
}

/** The backend the crypto functions run on now: 'wasm-simd', 'wasm' or 'js'. */
export function activeBackend (): Backend {
  return sha256Kernel.backend()
}

export { sha256Js, chacha20poly1305Js }
