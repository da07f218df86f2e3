/**
 * Local store of DHT value records (kad-dht spec "Value storage and retrieval"): what
 * PUT_VALUE stores after validation and GET_VALUE serves. Records expire RECORD_TTL_MS
 * after they were received; a newer put must win the namespace's selector to replace one.
 */
import { mapKeyOf } from './contact.js'
import type { DhtRecord } from './message.js'
import { InvalidRecordError, type RecordRules, recordRules, selectRecord, validateRecord } from './validators.js'

/** Lifetime of a stored record: 36 h (go-libp2p's MaxRecordAge); publishers re-put within it. */
export const RECORD_TTL_MS = 36 * 3600_000

/** Most records held: 10,000; a put beyond it is refused, so peers cannot grow our memory without bound. */
export const MAX_RECORDS = 10_000

/** Largest record value stored: 64 KiB, ample for public keys and IPNS records. */
export const MAX_RECORD_VALUE_BYTES = 64 * 1024

export class RecordStoreFullError extends Error {
  override name = 'RecordStoreFullError'
}

interface Stored { record: DhtRecord, expires: number }

export interface RecordStoreOptions {
  rules?: RecordRules
  ttlMs?: number
  maxRecords?: number
  now?: () => number
}

export class RecordStore {
  readonly rules: RecordRules
  readonly #ttlMs: number
  readonly #maxRecords: number
  readonly #now: () => number
  readonly #records = new Map<string, Stored>()

  constructor (options: RecordStoreOptions = {}) {
    this.rules = options.rules ?? recordRules()
    this.#ttlMs = options.ttlMs ?? RECORD_TTL_MS
    this.#maxRecords = options.maxRecords ?? MAX_RECORDS
    this.#now = options.now ?? Date.now
  }

  get size (): number { return this.#records.size }

  /**
   * Validates and stores a record. Returns false when a stored record for the key is
   * better by the namespace's selector (the put is then ignored). Throws
   * InvalidRecordError or RecordStoreFullError.
   */
  async put (record: DhtRecord): Promise<boolean> {
    if (record.value.length > MAX_RECORD_VALUE_BYTES) throw new InvalidRecordError(`record value of ${record.value.length} bytes exceeds ${MAX_RECORD_VALUE_BYTES}`)
    await validateRecord(this.rules, record.key, record.value)
    const hex = mapKeyOf(record.key)
    const existing = this.get(record.key)
    if (existing !== undefined && selectRecord(this.rules, record.key, [existing.value, record.value]) === 0) return false
    if (existing === undefined && this.#records.size >= this.#maxRecords) {
      this.prune()
      if (this.#records.size >= this.#maxRecords) throw new RecordStoreFullError(`record store holds ${this.#maxRecords} records`)
    }
    const now = this.#now()
    this.#records.set(hex, {
      record: { key: record.key.slice(), value: record.value.slice(), timeReceived: new Date(now).toISOString() },
      expires: now + this.#ttlMs
    })
    return true
  }

  /** The live record for a key, if any (expired ones are dropped on sight). */
  get (key: Uint8Array): DhtRecord | undefined {
    const hex = mapKeyOf(key)
    const stored = this.#records.get(hex)
    if (stored === undefined) return undefined
    if (stored.expires <= this.#now()) { this.#records.delete(hex); return undefined }
    return stored.record
  }

  delete (key: Uint8Array): boolean {
    return this.#records.delete(mapKeyOf(key))
  }

  /** Drops every expired record; returns how many. */
  prune (): number {
    const now = this.#now()
    let dropped = 0
    for (const [hex, stored] of this.#records) {
      if (stored.expires <= now) { this.#records.delete(hex); dropped++ }
    }
    return dropped
  }
}
