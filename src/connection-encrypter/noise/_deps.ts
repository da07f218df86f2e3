/**
 * The one place the Noise channel imports crypto and identity from, so that
 * switching from the interim implementations to the project's own modules
 * changes nothing else.
 */
export { sha256 } from '../../crypto/index.js'
export { hmacSha256, hkdfSha256, chacha20poly1305, DecryptionError, x25519 } from './_interim.js'
export type { ChaCha20Poly1305 } from './_interim.js'
export { generateKeyPair, publicKeyFromProtobuf, publicKeyToProtobuf, peerIdFromPublicKey, peerIdFromString } from './_interim.js'
