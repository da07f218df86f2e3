/**
 * Local store of DHT value records (kad-dht spec "Value storage and retrieval"): what
 * PUT_VALUE stores after validation and GET_VALUE serves. Records expire RECORD_TTL_MS
 * after they were received; a newer put must win the namespace's selector to replace one.
 *
 * Held in memory; with a datastore (`RecordStore.open(datastore)`) every change is also
 * written there (the Record protobuf under `/dht/records/<key hex>`), and opening loads
 * the live records back, so a restarted node keeps serving what it was given. The record's
 * timeReceived gives its expiry after a reload.
 */
import type { Datastore } from '../datastore/types.js'
import { mapKeyOf } from './contact.js'
import { decodeRecord, encodeRecord, type DhtRecord } from './message.js'
import { WriteChain } from './write-chain.js'
import { InvalidRecordError, type RecordRules, recordRules, selectRecord, validateRecord } from './validators.js'

/** Lifetime of a stored record: 36 h (go-libp2p's MaxRecordAge); publishers re-put within it. */
export const RECORD_TTL_MS = 36 * 3600_000

/** Most records held: 10,000; a put beyond it is refused, so peers cannot grow our memory without bound. */
export const MAX_RECORDS = 10_000

/** Largest record value stored: 64 KiB, ample for public keys and IPNS records. */
export const MAX_RECORD_VALUE_BYTES = 64 * 1024

/** Key prefix of the records in a datastore. */
export const RECORD_STORE_PREFIX = '/dht/records/'

export class RecordStoreFullError extends Error {
  override name = 'RecordStoreFullError'
}

interface Stored { record: DhtRecord, expires: number }

export interface RecordStoreOptions {
  rules?: RecordRules
  ttlMs?: number
  maxRecords?: number
  now?: () => number
  /** Where records persist; default none (memory only). Use `RecordStore.open` to load what it holds. */
  datastore?: Datastore
}

export class RecordStore {
  readonly rules: RecordRules
  readonly #ttlMs: number
  readonly #maxRecords: number
  readonly #now: () => number
  readonly #records = new Map<string, Stored>()
  readonly #datastore: Datastore | undefined
  readonly #writes = new WriteChain()

  constructor (options: RecordStoreOptions = {}) {
    this.rules = options.rules ?? recordRules()
    this.#ttlMs = options.ttlMs ?? RECORD_TTL_MS
    this.#maxRecords = options.maxRecords ?? MAX_RECORDS
    this.#now = options.now ?? Date.now
    this.#datastore = options.datastore
  }

  /**
   * A store on `datastore`, loaded with the live records it holds (at most maxRecords;
   * expired or undecodable ones are deleted from it).
   */
  static async open (datastore: Datastore, options: Omit<RecordStoreOptions, 'datastore'> = {}): Promise<RecordStore> {
    const store = new RecordStore({ ...options, datastore })
    const stale: string[] = []
    const now = store.#now()
    for await (const { key, value } of datastore.query({ prefix: RECORD_STORE_PREFIX })) {
      try {
        const record = decodeRecord(value)
        const received = Date.parse(record.timeReceived)
        const hex = mapKeyOf(record.key)
        const expires = received + store.#ttlMs
        if (!Number.isFinite(received) || expires <= now || key !== RECORD_STORE_PREFIX + hex || store.#records.size >= store.#maxRecords) throw new RangeError('stale')
        store.#records.set(hex, { record, expires })
      } catch {
        stale.push(key)
      }
    }
    for (const key of stale) await datastore.delete(key)
    return store
  }

  /** Resolves once every change so far is in the datastore; throws the first datastore failure since the last flush. */
  async flush (): Promise<void> { await this.#writes.flush() }

  #persist (hex: string, stored: Stored | undefined): void {
    const datastore = this.#datastore
    if (datastore === undefined) return
    const key = RECORD_STORE_PREFIX + hex
    this.#writes.enqueue(async () => { stored === undefined ? await datastore.delete(key) : await datastore.put(key, encodeRecord(stored.record)) })
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
    const stored = {
      record: { key: record.key.slice(), value: record.value.slice(), timeReceived: new Date(now).toISOString() },
      expires: now + this.#ttlMs
    }
    this.#records.set(hex, stored)
    this.#persist(hex, stored)
    await this.flush()
    return true
  }

  /** The live record for a key, if any (expired ones are dropped on sight). */
  get (key: Uint8Array): DhtRecord | undefined {
    const hex = mapKeyOf(key)
    const stored = this.#records.get(hex)
    if (stored === undefined) return undefined
    if (stored.expires <= this.#now()) { this.#records.delete(hex); this.#persist(hex, undefined); return undefined }
    return stored.record
  }

  delete (key: Uint8Array): boolean {
    const hex = mapKeyOf(key)
    const deleted = this.#records.delete(hex)
    if (deleted) this.#persist(hex, undefined)
    return deleted
  }

  /** Drops every expired record; returns how many. */
  prune (): number {
    const now = this.#now()
    let dropped = 0
    for (const [hex, stored] of this.#records) {
      if (stored.expires <= now) { this.#records.delete(hex); this.#persist(hex, undefined); dropped++ }
    }
    return dropped
  }
}
