/**
 * Record validation (kad-dht spec "Entry validation"): a validator and a selector per
 * key namespace, the namespace being the first path segment of the key (`/pk/…` → `pk`).
 *
 * Built in: `/pk/<multihash>`, a public key stored under its own hash. The record is
 * valid only when the multihash in the key is the hash of the value (identity or
 * sha256, the two PeerId multihashes of the peer-ids spec) and the value parses as a
 * PublicKey protobuf; every valid value for a key is the same bytes, so selection is
 * trivial.
 */
import { sha256 } from '../crypto/index.js'
import { publicKeyFromProtobuf } from '../keys/index.js'

export class InvalidRecordError extends Error {
  override name = 'InvalidRecordError'
}

/** Throws InvalidRecordError when `value` may not be stored under `key`. */
export type Validator = (key: Uint8Array, value: Uint8Array) => void | Promise<void>

/** Index of the best of two or more valid values for `key`; must be stable. */
export type Selector = (key: Uint8Array, values: Uint8Array[]) => number

const PK_PREFIX = /* @__PURE__ */ new TextEncoder().encode('/pk/')
const MULTIHASH_IDENTITY = 0x00
const MULTIHASH_SHA256 = 0x12

/** The namespace of a record key: `pk` for `/pk/…`; throws when the key has none. */
export function namespaceOf (key: Uint8Array): string {
  if (key[0] !== 0x2f) throw new InvalidRecordError('record key does not start with /')
  const end = key.indexOf(0x2f, 1)
  if (end <= 1) throw new InvalidRecordError('record key has no namespace')
  return new TextDecoder().decode(key.subarray(1, end))
}

function equal (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export const publicKeyValidator: Validator = (key, value) => {
  if (key.length <= PK_PREFIX.length || !equal(key.subarray(0, PK_PREFIX.length), PK_PREFIX)) throw new InvalidRecordError('not a /pk/ key')
  const multihash = key.subarray(PK_PREFIX.length)
  // Both multihash codes and their lengths fit in one varint byte.
  const code = multihash[0]!, length = multihash[1]
  if (length === undefined || multihash.length !== 2 + length) throw new InvalidRecordError('/pk/ key is not a multihash')
  const digest = multihash.subarray(2)
  if (code === MULTIHASH_IDENTITY) {
    if (!equal(digest, value)) throw new InvalidRecordError('/pk/ value differs from the key inlined in its identity multihash')
  } else if (code === MULTIHASH_SHA256) {
    if (length !== 32 || !equal(digest, sha256(value))) throw new InvalidRecordError('/pk/ value does not hash to its key')
  } else {
    throw new InvalidRecordError(`/pk/ key uses unsupported multihash code ${code}`)
  }
  try {
    publicKeyFromProtobuf(value)
  } catch (err) {
    throw new InvalidRecordError(`/pk/ value is not a public key: ${(err as Error).message}`, { cause: err })
  }
}

/** Valid /pk/ values for one key are identical: any will do, take the first. */
export const publicKeySelector: Selector = () => 0

export interface RecordRules {
  validators: Record<string, Validator>
  selectors: Record<string, Selector>
}

/** The built-in rules plus the caller's (a custom namespace needs both a validator and a selector). */
export function recordRules (custom: Partial<RecordRules> = {}): RecordRules {
  return {
    validators: { pk: publicKeyValidator, ...custom.validators },
    selectors: { pk: publicKeySelector, ...custom.selectors }
  }
}

/** Validates a record under its namespace's rules. */
export async function validateRecord (rules: RecordRules, key: Uint8Array, value: Uint8Array): Promise<void> {
  const ns = namespaceOf(key)
  const validator = Object.hasOwn(rules.validators, ns) ? rules.validators[ns] : undefined
  if (validator === undefined) throw new InvalidRecordError(`no validator for namespace /${ns}/`)
  await validator(key, value)
}

/** The index of the best value under the namespace's selector. */
export function selectRecord (rules: RecordRules, key: Uint8Array, values: Uint8Array[]): number {
  const ns = namespaceOf(key)
  const selector = Object.hasOwn(rules.selectors, ns) ? rules.selectors[ns] : undefined
  if (selector === undefined) throw new InvalidRecordError(`no selector for namespace /${ns}/`)
  const best = selector(key, values)
  if (!Number.isInteger(best) || best < 0 || best >= values.length) throw new InvalidRecordError(`selector for /${ns}/ returned ${best}`)
  return best
}
