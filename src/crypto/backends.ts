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
import type { ChaCha20Poly1305Implementation } from './_aead-types.js'
import { chacha20poly1305Js } from './_chacha20poly1305-js.js'
import { chacha20poly1305Kernel, chacha20poly1305Wasm } from './_chacha20poly1305-wasm.js'

const wasmImplementations = new WeakMap<KernelInstance<any>, Sha256Implementation>()

function wasmSha256Of (k: KernelInstance<any>): Sha256Implementation {
  let impl = wasmImplementations.get(k)
  if (impl === undefined) { impl = sha256Wasm(k); wasmImplementations.set(k, impl) }
  return impl
}

/** The SHA-256 implementation of the active backend. */
export function activeSha256 (): Sha256Implementation {
  const k = sha256Kernel.get()
  return k === undefined ? sha256Js : wasmSha256Of(k)
}

/** SHA-256 on the best WASM build, whatever the active backend. */
export function wasmSha256 (): Sha256Implementation {
  return wasmSha256Of(sha256Kernel.wasm())
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
