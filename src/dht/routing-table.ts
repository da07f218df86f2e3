/**
 * Kademlia routing table: 256 k-buckets indexed by the length of the prefix a peer's key
 * shares with ours (kad-dht spec "Kademlia routing table"; Kademlia paper §2.2).
 *
 * Bucket policy, from the paper: a bucket keeps its contacts least-recently seen first.
 * A contact seen again moves to the tail. When a full bucket meets a new contact, the
 * newcomer waits in the bucket's replacement cache while the oldest contact gets a
 * liveness check (the caller's `ping`); only if that fails is the oldest evicted and the
 * freshest cached contact promoted. Old, proven peers are never pushed out by a flood
 * of new ones.
 *
 * Only DHT servers belong here (spec "Client and server mode"): callers add a peer only
 * after it proved it serves the Kademlia protocol, by advertising it in identify or by
 * answering a DHT request. Clients are never added.
 *
 * All contacts also live in one KeyTable, so `closestPeers` is a single kernel call
 * over the whole table (src/dht/xor/).
 *
 * Events (CustomEvent, the contact as `detail`): `peer:added` when a contact enters a
 * bucket (new, or promoted from a replacement cache), `peer:removed` when one leaves.
 */
import { getRandomValues } from './_random.js'
import { K, KEYSPACE_BITS } from './constants.js'
import { type Contact, mapKeyOf } from './contact.js'
import { closestIndices, commonPrefixLength, KeyTable } from './xor/index.js'

/**
 * Contacts kept per bucket in the replacement cache: 20 (= k). Enough to refill a
 * bucket after total churn, bounded so a flood of newcomers costs O(k) per bucket.
 */
export const REPLACEMENT_CACHE_SIZE = 20

/**
 * How long a liveness check may take before the contact counts as dead: 10 s, the
 * spec's query timeout; a slower peer is no use to lookups anyway.
 */
export const LIVENESS_TIMEOUT_MS = 10_000

/** A bucket untouched this long needs a refresh lookup: 10 min (spec "Bootstrap process"). */
export const REFRESH_INTERVAL_MS = 10 * 60_000

/**
 * Highest bucket index refreshed with a random lookup: 15. A key landing in bucket i
 * needs ~2^(i+1) hashing attempts to generate (`randomIdInBucket`), and buckets past
 * log2(network size) are nearly empty anyway (go-libp2p uses the same bound).
 */
export const MAX_REFRESH_BUCKET = 15

/**
 * Hash attempts `randomIdInBucket` makes before giving up: 1<<18, in batches through
 * sha256Many; bucket 15 needs 65,536 on average.
 */
export const MAX_RANDOM_ID_ATTEMPTS = 1 << 18

/** Liveness check: resolves true when the contact answered; false, a throw or a timeout mean dead. */
export type LivenessCheck<C extends Contact> = (contact: C, signal: AbortSignal) => Promise<boolean>

export interface RoutingTableOptions<C extends Contact> {
  /** Bucket size, default K = 20. */
  k?: number
  /** Replacement cache per bucket, default REPLACEMENT_CACHE_SIZE. */
  replacementCacheSize?: number
  /** Liveness check of a bucket's oldest contact; without one, full buckets never evict. */
  ping?: LivenessCheck<C>
  /** Default LIVENESS_TIMEOUT_MS. */
  livenessTimeoutMs?: number
  /** Clock, for tests. Default Date.now. */
  now?: () => number
}

/**
 * What `add` did: added to a bucket; updated (already there, moved to the tail); cached
 * (bucket full and its oldest alive, so the contact waits in the replacement cache);
 * ignored (our own key).
 */
export type AddResult = 'added' | 'updated' | 'cached' | 'ignored'

interface Bucket<C> {
  /** Least-recently seen first. */
  readonly contacts: C[]
  /** Most recently seen last. */
  readonly replacements: C[]
  /** A liveness check of contacts[0] is in flight. */
  checking: Promise<void> | undefined
  /** Last time a contact was added/seen or a lookup refreshed the bucket. */
  touched: number
}

export class RoutingTable<C extends Contact = Contact> extends EventTarget {
  readonly self: Uint8Array
  readonly k: number
  readonly #replacementCacheSize: number
  readonly #ping: LivenessCheck<C> | undefined
  readonly #livenessTimeoutMs: number
  readonly #now: () => number
  readonly #buckets: Array<Bucket<C>>
  readonly #keys = new KeyTable()
  readonly #entries: C[] = []
  readonly #positions = new Map<string, number>()
  readonly #checks = new Set<AbortController>()
  #closed = false

  /** `selfKey` is our own Kademlia key, sha256 of our PeerId multihash. */
  constructor (selfKey: Uint8Array, options: RoutingTableOptions<C> = {}) {
    super()
    if (!(selfKey instanceof Uint8Array) || selfKey.length !== 32) throw new RangeError('selfKey must be a 32-byte Kademlia key')
    this.self = selfKey.slice()
    this.k = options.k ?? K
    if (!Number.isInteger(this.k) || this.k < 1) throw new RangeError(`k must be a positive integer, got ${this.k}`)
    this.#replacementCacheSize = options.replacementCacheSize ?? REPLACEMENT_CACHE_SIZE
    this.#ping = options.ping
    this.#livenessTimeoutMs = options.livenessTimeoutMs ?? LIVENESS_TIMEOUT_MS
    this.#now = options.now ?? Date.now
    const now = this.#now()
    this.#buckets = Array.from({ length: KEYSPACE_BITS }, () => ({ contacts: [], replacements: [], checking: undefined, touched: now }))
  }

  /** Contacts in the buckets (not counting replacement caches). */
  get size (): number { return this.#entries.length }

  /** The bucket a key belongs in: the length of the prefix it shares with our key (256 = our own key). */
  bucketIndex (key: Uint8Array): number {
    return commonPrefixLength(this.self, key)
  }

  /** The contact with this Kademlia key, if it is in a bucket. */
  find (key: Uint8Array): C | undefined {
    const at = this.#positions.get(mapKeyOf(key))
    return at === undefined ? undefined : this.#entries[at]
  }

  has (key: Uint8Array): boolean {
    return this.#positions.has(mapKeyOf(key))
  }

  /** Every contact, bucket by bucket. */
  * contacts (): IterableIterator<C> {
    for (const bucket of this.#buckets) yield * bucket.contacts
  }

  /** Contacts of one bucket, least-recently seen first (a copy). */
  bucket (index: number): C[] { return [...this.#bucketAt(index).contacts] }

  /** Replacement cache of one bucket, most recently seen last (a copy). */
  replacements (index: number): C[] { return [...this.#bucketAt(index).replacements] }

  /**
   * Records that we heard from a DHT server (see the module comment: never add clients).
   * Resolves once the contact's fate is known, which for a full bucket means after the
   * liveness check of the bucket's oldest contact.
   */
  async add (contact: C): Promise<AddResult> {
    if (this.#closed) return 'ignored'
    const index = this.bucketIndex(contact.key)
    if (index === KEYSPACE_BITS) return 'ignored'
    const bucket = this.#buckets[index]!
    bucket.touched = this.#now()
    const at = bucket.contacts.findIndex(c => equalKeys(c.key, contact.key))
    if (at >= 0) {
      bucket.contacts.splice(at, 1)
      bucket.contacts.push(contact)
      this.#entries[this.#positions.get(mapKeyOf(contact.key))!] = contact
      return 'updated'
    }
    if (bucket.contacts.length < this.k) {
      this.#removeReplacement(bucket, contact.key)
      this.#insert(bucket, contact)
      return 'added'
    }
    this.#cache(bucket, contact)
    if (this.#ping === undefined) return 'cached'
    bucket.checking ??= this.#checkOldest(bucket).finally(() => { bucket.checking = undefined })
    await bucket.checking
    return this.has(contact.key) ? 'added' : 'cached'
  }

  /** Drops a contact (e.g. it failed a request); the freshest replacement takes its place. */
  remove (key: Uint8Array): boolean {
    const bucket = this.#buckets[this.bucketIndex(key)]
    if (bucket === undefined) return false
    const removedReplacement = this.#removeReplacement(bucket, key)
    const at = bucket.contacts.findIndex(c => equalKeys(c.key, key))
    if (at < 0) return removedReplacement
    const [contact] = bucket.contacts.splice(at, 1)
    this.#forget(contact!)
    this.#promote(bucket)
    return true
  }

  /** The `count` contacts nearest to `key`, nearest first: one pass of the XOR kernel. */
  closestPeers (key: Uint8Array, count: number = this.k): C[] {
    const indices = closestIndices(this.#keys, key, count)
    const out: C[] = new Array(indices.length)
    for (let i = 0; i < indices.length; i++) out[i] = this.#entries[indices[i]!]!
    return out
  }

  /**
   * Buckets due a refresh lookup: non-empty (or below the highest non-empty one, where
   * peers are expected), at most MAX_REFRESH_BUCKET, untouched for `intervalMs`.
   */
  bucketsNeedingRefresh (intervalMs: number = REFRESH_INTERVAL_MS): number[] {
    const now = this.#now()
    let highest = -1
    for (let i = 0; i < this.#buckets.length; i++) if (this.#buckets[i]!.contacts.length > 0) highest = i
    const out: number[] = []
    for (let i = 0; i <= Math.min(highest, MAX_REFRESH_BUCKET); i++) {
      if (now - this.#buckets[i]!.touched >= intervalMs) out.push(i)
    }
    return out
  }

  /** Marks a bucket refreshed (a lookup for a key in its range completed). */
  markRefreshed (index: number): void {
    this.#bucketAt(index).touched = this.#now()
  }

  /** A random Kademlia key in bucket `index`: shares exactly `index` leading bits with ours. */
  randomKeyInBucket (index: number): Uint8Array {
    this.#bucketAt(index)
    const key = getRandomValues(new Uint8Array(32))
    const byte = index >> 3, bit = 0x80 >> (index & 7)
    key.set(this.self.subarray(0, byte))
    const keep = (0xff00 >> (index & 7)) & 0xff
    key[byte] = (this.self[byte]! & keep) | (~this.self[byte]! & bit) | (key[byte]! & ~(keep | bit) & 0xff)
    return key
  }

  /** Stops liveness checks in flight; later adds are ignored. */
  close (): void {
    this.#closed = true
    for (const check of this.#checks) check.abort()
  }

  #bucketAt (index: number): Bucket<C> {
    const bucket = this.#buckets[index]
    if (!Number.isInteger(index) || bucket === undefined) throw new RangeError(`bucket index must be in [0, ${KEYSPACE_BITS}), got ${index}`)
    return bucket
  }

  #insert (bucket: Bucket<C>, contact: C): void {
    bucket.contacts.push(contact)
    this.#positions.set(mapKeyOf(contact.key), this.#keys.push(contact.key))
    this.#entries.push(contact)
    this.dispatchEvent(new CustomEvent('peer:added', { detail: contact }))
  }

  #forget (contact: C): void {
    const hex = mapKeyOf(contact.key)
    const at = this.#positions.get(hex)!
    this.#positions.delete(hex)
    const moved = this.#keys.removeAt(at)
    if (moved !== undefined) {
      const last = this.#entries[moved]!
      this.#entries[at] = last
      this.#positions.set(mapKeyOf(last.key), at)
    }
    this.#entries.pop()
    this.dispatchEvent(new CustomEvent('peer:removed', { detail: contact }))
  }

  #cache (bucket: Bucket<C>, contact: C): void {
    this.#removeReplacement(bucket, contact.key)
    bucket.replacements.push(contact)
    if (bucket.replacements.length > this.#replacementCacheSize) bucket.replacements.shift()
  }

  #removeReplacement (bucket: Bucket<C>, key: Uint8Array): boolean {
    const at = bucket.replacements.findIndex(c => equalKeys(c.key, key))
    if (at >= 0) bucket.replacements.splice(at, 1)
    return at >= 0
  }

  #promote (bucket: Bucket<C>): void {
    while (bucket.contacts.length < this.k) {
      const next = bucket.replacements.pop()
      if (next === undefined) return
      this.#insert(bucket, next)
    }
  }

  /** Pings the bucket's oldest contact: alive → it moves to the tail; dead → evicted, a replacement promoted. */
  async #checkOldest (bucket: Bucket<C>): Promise<void> {
    const oldest = bucket.contacts[0]
    if (oldest === undefined) { this.#promote(bucket); return }
    const controller = new AbortController()
    this.#checks.add(controller)
    let timer: ReturnType<typeof setTimeout> | undefined
    let alive = false
    try {
      alive = await Promise.race([
        this.#ping!(oldest, controller.signal),
        new Promise<boolean>(resolve => { timer = setTimeout(() => { controller.abort(); resolve(false) }, this.#livenessTimeoutMs) })
      ])
    } catch {
      alive = false
    } finally {
      clearTimeout(timer)
      this.#checks.delete(controller)
    }
    if (this.#closed) return
    const at = bucket.contacts.indexOf(oldest)
    if (at < 0) { this.#promote(bucket); return } // removed meanwhile
    if (alive === true) {
      bucket.contacts.splice(at, 1)
      bucket.contacts.push(oldest)
      return
    }
    bucket.contacts.splice(at, 1)
    this.#forget(oldest)
    this.#promote(bucket)
  }
}

function equalKeys (a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) if (a[i] !== b[i]) return false
  return true
}
