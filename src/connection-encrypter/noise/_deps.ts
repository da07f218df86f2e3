/**
 * The one place the Noise channel imports crypto and identity from: SHA-256,
 * HKDF, ChaCha20-Poly1305 and X25519 (Noise §12) from wasp2p/crypto, keys and
 * PeerIds for the libp2p payload.
 */
export { sha256, hkdfSha256, x25519, chacha20poly1305, DecryptionError, type ChaCha20Poly1305 } from '../../crypto/index.js'
export { publicKeyFromProtobuf, publicKeyToProtobuf } from '../../keys/index.js'
export { peerIdFromPublicKey } from '../../peer-id/index.js'
