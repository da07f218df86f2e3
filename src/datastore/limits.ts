/**
 * Limits every datastore applies, so all three behave alike and a caller that
 * passes them in one runtime passes them in all.
 */
import { InvalidDatastoreEntryError } from './errors.js'

/**
 * Longest key, in UTF-16 code units: 1024. Our keys are a short namespace and
 * a peer id or a hex digest (under 200 characters); the cap keeps a bug from
 * writing megabyte keys, which LevelDB and IndexedDB accept but index badly.
 */
export const MAX_DATASTORE_KEY_LENGTH = 1024

/**
 * Largest value: 1 MiB. A stored peer is at most a few tens of KiB (64
 * addresses, 128 protocols, 32 metadata values of 1 KiB) and a DHT record at
 * most 64 KiB (MAX_RECORD_VALUE_BYTES); anything larger is a bug.
 */
export const MAX_DATASTORE_VALUE_SIZE = 1024 * 1024

export function checkKey (key: string): void {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidDatastoreEntryError('datastore key must be a non-empty string')
  if (key.length > MAX_DATASTORE_KEY_LENGTH) throw new InvalidDatastoreEntryError(`datastore key of ${key.length} characters exceeds ${MAX_DATASTORE_KEY_LENGTH}`)
}

export function checkValue (value: Uint8Array): void {
  if (!(value instanceof Uint8Array)) throw new InvalidDatastoreEntryError('datastore value must be a Uint8Array')
  if (value.length > MAX_DATASTORE_VALUE_SIZE) throw new InvalidDatastoreEntryError(`datastore value of ${value.length} bytes exceeds ${MAX_DATASTORE_VALUE_SIZE}`)
}

export function checkLimit (limit: number | undefined): number {
  if (limit === undefined) return Infinity
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError('query limit must be a non-negative integer')
  return limit
}

/** The first key after every key starting with `prefix` (for range bounds); undefined: no upper bound. */
export function prefixEnd (prefix: string): string | undefined {
  // Keys are compared by UTF-16 code unit; a prefix's range ends where its last unit is one higher.
  for (let i = prefix.length - 1; i >= 0; i--) {
    const unit = prefix.charCodeAt(i)
    if (unit < 0xffff) return prefix.slice(0, i) + String.fromCharCode(unit + 1)
  }
  return undefined
}
