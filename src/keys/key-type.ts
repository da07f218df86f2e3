/** The KeyType enum of the key protobufs (peer-ids spec, "Keys"). */
import type { KeyType } from './types.js'
import { UnsupportedKeyTypeError } from './errors.js'

const CODES: Record<KeyType, number> = { RSA: 0, Ed25519: 1, secp256k1: 2, ECDSA: 3 }
const TYPES: readonly KeyType[] = ['RSA', 'Ed25519', 'secp256k1', 'ECDSA']

export function keyTypeCode (type: KeyType): number {
  const code = CODES[type]
  if (code === undefined) throw new UnsupportedKeyTypeError(`unknown key type ${String(type)}`)
  return code
}

export function keyTypeFromCode (code: number): KeyType {
  const type = TYPES[code]
  if (type === undefined) throw new UnsupportedKeyTypeError(`unknown key type code ${code}`)
  return type
}
