/**
 * wasp2p/crypto: the primitives the Noise channel and the DHT spend their time in,
 * on WASM kernels (SIMD or scalar) with a pure-JS fallback of the same interface.
 */
export { sha256, sha256Many, type Sha256, type Sha256Hasher } from './sha256.js'
export { hmacSha256, type HmacSha256 } from './hmac.js'
export { hkdfSha256, HKDF_SHA256_MAX_LENGTH, type HkdfSha256 } from './hkdf.js'
export { chacha20poly1305, DecryptionError, type ChaCha20Poly1305 } from './chacha20poly1305.js'
export { activeBackend } from './backends.js'
export { backends, type PinnedBackend } from './backends-public.js'
export { useBackend, type Backend, type BackendChoice } from '../wasm/backend.js'
export { init, initSync } from '../wasm/kernel.js'
export { WasmAbortError, BackendUnavailableError } from '../wasm/errors.js'
export {
  x25519, ed25519, secp256k1, InvalidKeyError, CurveUnavailableError, enableCurveFallback, nobleCurves, type CurveFallback,
  X25519_KEY_LENGTH, ED25519_KEY_LENGTH, ED25519_SIGNATURE_LENGTH, SECP256K1_PRIVATE_KEY_LENGTH, SECP256K1_PUBLIC_KEY_LENGTH,
  type X25519, type X25519KeyPair, type Ed25519, type Ed25519KeyPair, type Secp256k1, type Secp256k1KeyPair
} from './curves/index.js'
