/**
 * Elliptic curves: X25519 (Noise DH), Ed25519 and secp256k1 (identity keys).
 * One shape per curve: raw Uint8Array keys in and out, WebCrypto where it
 * helps, @noble/curves everywhere else (for Ed25519 and X25519 once enabled
 * in a browser bundle: ./fallback.ts).
 */
export { x25519, X25519_KEY_LENGTH, type X25519, type X25519KeyPair } from './x25519.js'
export { ed25519, ED25519_KEY_LENGTH, ED25519_SIGNATURE_LENGTH, type Ed25519, type Ed25519KeyPair } from './ed25519.js'
export { secp256k1, SECP256K1_PRIVATE_KEY_LENGTH, SECP256K1_PUBLIC_KEY_LENGTH, type Secp256k1, type Secp256k1KeyPair } from './secp256k1.js'
export { InvalidKeyError, CurveUnavailableError } from './errors.js'
export { enableCurveFallback } from './fallback.js'
export type { CurveFallback } from './fallback-types.js'
export { nobleCurves } from './noble.js'
