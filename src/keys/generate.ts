/** Key generation; Ed25519 is the libp2p default, the other types once enabled (./registry.ts). */
import type { KeyType, PrivateKey } from './types.js'
import { keyTypeSupport } from './registry.js'

/**
 * A new private key. `bits` applies to RSA (default 2048); ECDSA keys are P-256.
 * UnsupportedKeyTypeError for a type unknown or not enabled.
 */
export async function generateKeyPair (type: KeyType = 'Ed25519', bits?: number): Promise<PrivateKey> {
  return await keyTypeSupport(type).generate(bits)
}
