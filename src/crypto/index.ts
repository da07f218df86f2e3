/**
 * wasp2p/crypto: the primitives the Noise channel and the DHT spend their time in,
 * on WASM kernels (SIMD or scalar) with a pure-JS fallback of the same interface.
 */
export { sha256, sha256Many, type Sha256, type Sha256Hasher } from './sha256.js'
export { hmacSha256, type HmacSha256 } from './hmac.js'
export { hkdfSha256, HKDF_SHA256_MAX_LENGTH, type HkdfSha256 } from './hkdf.js'
export { activeBackend } from './backends.js'
export { useBackend, type Backend, type BackendChoice } from '../wasm/backend.js'
export { init, initSync } from '../wasm/kernel.js'
export { WasmAbortError, BackendUnavailableError } from '../wasm/errors.js'
