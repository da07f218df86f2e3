/**
 * Routing-table refresh (kad-dht spec "Bootstrap process"): every REFRESH_INTERVAL_MS,
 * look up a random id in each bucket due a refresh, plus our own id.
 *
 * FIND_NODE carries a PeerId, not a Kademlia key, and sha256 cannot be inverted, so an id
 * whose key lands in bucket i is found by trial: random sha256-multihash ids (the 34-byte
 * `Qm…` form), hashed in batches with sha256Many, until one shares exactly i prefix bits.
 */
import { sha256Many } from '../crypto/index.js'
import { getRandomValues } from './_random.js'
import { MAX_RANDOM_ID_ATTEMPTS } from './routing-table.js'
import { commonPrefixLength } from './xor/index.js'

/** Candidates hashed per sha256Many call: 1024 (34 KiB in, 32 KiB out). */
const BATCH = 1024
/** sha256 multihash header: code 0x12, length 32. */
const MULTIHASH_SHA256 = [0x12, 0x20]
const ID_BYTES = 34

export class RandomIdExhaustedError extends Error {
  override name = 'RandomIdExhaustedError'
}

/**
 * A random PeerId multihash whose Kademlia key shares exactly `index` leading bits with
 * `selfKey`. Expected cost 2^(index+1) hashes; throws RandomIdExhaustedError past
 * `maxAttempts` (default MAX_RANDOM_ID_ATTEMPTS).
 */
export function randomIdInBucket (selfKey: Uint8Array, index: number, maxAttempts = MAX_RANDOM_ID_ATTEMPTS): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index > 255) throw new RangeError(`bucket index must be in [0, 256), got ${index}`)
  const ids = new Uint8Array(BATCH * ID_BYTES)
  for (let tried = 0; tried < maxAttempts; tried += BATCH) {
    getRandomValues(ids)
    for (let i = 0; i < BATCH; i++) ids.set(MULTIHASH_SHA256, i * ID_BYTES)
    const keys = sha256Many(ids, ID_BYTES)
    for (let i = 0; i < BATCH; i++) {
      if (commonPrefixLength(selfKey, keys.subarray(i * 32, i * 32 + 32)) === index) return ids.slice(i * ID_BYTES, (i + 1) * ID_BYTES)
    }
  }
  throw new RandomIdExhaustedError(`no id in bucket ${index} after ${maxAttempts} attempts`)
}
