/**
 * One key type as the rest of wasp2p needs it: its Data bytes decoded into
 * keys (peer-ids spec, "Keys"), and new keys made. Ed25519 is always there;
 * secp256k1, ECDSA and RSA are values a program passes to `enableKeyTypes()`
 * (./registry.ts), so that a bundle which never names them carries none of
 * their curve code (about 9 KB gzipped; see bench/bundle.js).
 */
import type { KeyType, PrivateKey, PublicKey } from './types.js'

export interface KeyTypeSupport {
  readonly type: KeyType
  publicKeyFromData: (data: Uint8Array) => PublicKey
  privateKeyFromData: (data: Uint8Array) => PrivateKey
  /** `bits` applies to RSA only. */
  generate: (bits?: number) => PrivateKey | Promise<PrivateKey>
}
