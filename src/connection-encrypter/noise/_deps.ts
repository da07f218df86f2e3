/**
 * The one place the Noise channel imports crypto and identity from, so that
 * switching from the interim implementations to the project's own modules
 * changes nothing else.
 */
export { sha256, x25519, chacha20poly1305, DecryptionError, type ChaCha20Poly1305 } from '../../crypto/index.js'
export { hmacSha256, hkdfSha256 } from './_interim.js'
export { generateKeyPair, publicKeyFromProtobuf, publicKeyToProtobuf } from '../../keys/index.js'
export { peerIdFromPublicKey, peerIdFromString } from '../../peer-id/index.js'
