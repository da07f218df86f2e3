/**
 * Which key types this program decodes, verifies and generates. Ed25519 (the
 * libp2p default) always; the others once enabled, or by default where the
 * runtime's `#keys/default-types` module (package.json `imports`) lists them:
 * all of them in Node, where bundle size does not matter, none in browsers,
 * where a page pays only for the curves it names:
 *
 *   import { enableKeyTypes, secp256k1Keys, rsaKeys } from 'wasp2p'
 *   enableKeyTypes(secp256k1Keys, rsaKeys)
 *
 * A key of a type not enabled is an UnsupportedKeyTypeError that says so: a
 * Noise handshake with such a peer fails, as with any key we cannot verify.
 */
import { DEFAULT_KEY_TYPES } from '#keys/default-types'
import { ed25519Keys } from './ed25519.js'
import { UnsupportedKeyTypeError } from './errors.js'
import type { KeyTypeSupport } from './support.js'
import type { KeyType } from './types.js'

const enabled = new Map<KeyType, KeyTypeSupport>()

/** Makes these key types available to every node and key function of this program. */
export function enableKeyTypes (...types: KeyTypeSupport[]): void {
  for (const support of types) enabled.set(support.type, support)
}

/** The key types available now: Ed25519, the runtime's defaults, and those enabled. */
export function enabledKeyTypes (): KeyType[] {
  const types = new Set<KeyType>(['Ed25519'])
  for (const support of DEFAULT_KEY_TYPES) types.add(support.type)
  for (const type of enabled.keys()) types.add(type)
  return [...types]
}

const EXPORT_NAMES: Record<string, string> = { secp256k1: 'secp256k1Keys', ECDSA: 'ecdsaKeys', RSA: 'rsaKeys' }

export function keyTypeSupport (type: KeyType): KeyTypeSupport {
  if (type === 'Ed25519') return ed25519Keys
  const support = enabled.get(type) ?? DEFAULT_KEY_TYPES.find(s => s.type === type)
  if (support !== undefined) return support
  const name = EXPORT_NAMES[type]
  if (name === undefined) throw new UnsupportedKeyTypeError(`unknown key type ${String(type)}`)
  throw new UnsupportedKeyTypeError(`${type} keys are not enabled here: call enableKeyTypes(${name}) (exported by wasp2p) first`)
}
