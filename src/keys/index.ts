/**
 * Identity keys (peer-ids spec, ../shared/specs/libp2p/peer-ids/peer-ids.md):
 * Ed25519 (default), secp256k1, ECDSA and RSA behind the PublicKey/PrivateKey
 * contract of ./types.ts, and their protobuf encodings. Which types a program
 * carries is its choice: see ./registry.ts.
 */
export type { KeyType, PublicKey, PrivateKey } from './types.js'
export { generateKeyPair } from './generate.js'
export { enableKeyTypes, enabledKeyTypes } from './registry.js'
export type { KeyTypeSupport } from './support.js'
export {
  publicKeyFromProtobuf, publicKeyToProtobuf, privateKeyFromProtobuf, privateKeyToProtobuf,
  publicKeyFromData, privateKeyFromData, MAX_KEY_PROTOBUF_SIZE
} from './protobuf.js'
export { UnsupportedKeyTypeError, InvalidPublicKeyError, InvalidPrivateKeyError } from './errors.js'
export { Ed25519PublicKey, Ed25519PrivateKey, ed25519KeyFromSeed, ed25519Keys } from './ed25519.js'
export { Secp256k1PublicKey, Secp256k1PrivateKey, secp256k1Keys } from './secp256k1.js'
export { EcdsaPublicKey, EcdsaPrivateKey, ecdsaKeys } from './ecdsa.js'
export { RsaPublicKey, RsaPrivateKey, MAX_RSA_KEY_BITS, MIN_RSA_KEY_BITS, rsaKeys } from './rsa.js'
