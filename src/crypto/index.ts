/**
 * wasp2p/crypto: the primitives the Noise channel and the DHT spend their time in,
 * on WASM kernels (SIMD or scalar) with a pure-JS fallback of the same interface.
 */
export { sha256, sha256Many, type Sha256, type Sha256Hasher } from './sha256.js'
export { chacha20poly1305, DecryptionError, type ChaCha20Poly1305 } from './chacha20poly1305.js'
export { activeBackend } from './backends.js'
export { backends, type PinnedBackend } from './backends-public.js'
export { useBackend, type Backend, type BackendChoice } from '../wasm/backend.js'
export { init, initSync } from '../wasm/kernel.js'
export { WasmAbortError, BackendUnavailableError } from '../wasm/errors.js'
