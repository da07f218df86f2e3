/** Key generation for every supported type; Ed25519 is the libp2p default. */
import type { KeyType, PrivateKey } from './types.js'
import { UnsupportedKeyTypeError } from './errors.js'
import { generateEd25519Key } from './ed25519.js'
import { generateSecp256k1Key } from './secp256k1.js'
import { generateEcdsaKey } from './ecdsa.js'
import { generateRsaKey } from './rsa.js'

/**
 * A new private key. `bits` applies to RSA (default 2048); ECDSA keys are P-256.
 */
export async function generateKeyPair (type: KeyType = 'Ed25519', bits?: number): Promise<PrivateKey> {
  switch (type) {
    case 'Ed25519': return await generateEd25519Key()
    case 'secp256k1': return generateSecp256k1Key()
    case 'ECDSA': return generateEcdsaKey('P-256')
    case 'RSA': return await generateRsaKey(bits)
    default: throw new UnsupportedKeyTypeError(`unknown key type ${String(type)}`)
  }
}
