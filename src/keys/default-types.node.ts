/** Node: every key type by default; size is no concern there, and peers with older RSA or secp256k1 identities are common. */
import { ecdsaKeys } from './ecdsa.js'
import { rsaKeys } from './rsa.js'
import { secp256k1Keys } from './secp256k1.js'
import type { KeyTypeSupport } from './support.js'

export const DEFAULT_KEY_TYPES: readonly KeyTypeSupport[] = [secp256k1Keys, ecdsaKeys, rsaKeys]
