/**
 * Browser datastore on IndexedDB: one database (named by `location`) with
 * one object store of byte values under text keys. IndexedDB orders text keys
 * by UTF-16 code unit, so a prefix query is a key range. Every operation is
 * its own transaction: the stores above batch nothing, and a transaction per
 * write is what makes each write durable on its own.
 */
import { DatastoreClosedError, DatastoreUnavailableError } from './errors.js'
import { checkKey, checkLimit, checkValue, prefixEnd } from './limits.js'
import type { Datastore, DatastoreEntry, DatastoreQuery } from './types.js'

export const persistentDatastoreKind = 'indexeddb'

/** Name of the object store inside each database. */
export const INDEXEDDB_STORE_NAME = 'wasp2p'

/** Schema version of our databases; raising it runs the upgrade (creating the object store). */
export const INDEXEDDB_VERSION = 1

/**
 * Entries a query reads per transaction: 256. IndexedDB transactions end when
 * the event loop turns without a request, and a consumer of an async iterator
 * may await anything between entries; so a query reads a bounded batch, then
 * continues in a new transaction after the last key seen.
 */
export const INDEXEDDB_QUERY_BATCH = 256

function request<T> (req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => { resolve(req.result) }
    req.onerror = () => { reject(new DatastoreUnavailableError(`IndexedDB request failed: ${req.error?.message ?? 'unknown error'}`)) }
  })
}

function done (tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => { resolve() }
    tx.onerror = () => { reject(new DatastoreUnavailableError(`IndexedDB transaction failed: ${tx.error?.message ?? 'unknown error'}`)) }
    tx.onabort = () => { reject(new DatastoreUnavailableError(`IndexedDB transaction aborted: ${tx.error?.message ?? 'unknown reason'}`)) }
  })
}

export class IndexedDbDatastore implements Datastore {
  readonly #db: IDBDatabase
  #closed = false

  private constructor (db: IDBDatabase) {
    this.#db = db
  }

  /** Opens (creating if needed) the IndexedDB database `name`. */
  static async open (name: string): Promise<IndexedDbDatastore> {
    if (typeof indexedDB === 'undefined') throw new DatastoreUnavailableError('this runtime has no IndexedDB')
    const req = indexedDB.open(name, INDEXEDDB_VERSION)
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(INDEXEDDB_STORE_NAME)) req.result.createObjectStore(INDEXEDDB_STORE_NAME)
    }
    const blocked = new Promise<never>((_resolve, reject) => {
      req.onblocked = () => { reject(new DatastoreUnavailableError(`IndexedDB database ${name} is blocked by another open connection`)) }
    })
    return new IndexedDbDatastore(await Promise.race([request(req), blocked]))
  }

  async get (key: string): Promise<Uint8Array | undefined> {
    checkKey(key)
    const value = await request(this.#store('readonly').get(key)) as Uint8Array | undefined
    return value === undefined ? undefined : new Uint8Array(value)
  }

  async put (key: string, value: Uint8Array): Promise<void> {
    checkKey(key)
    checkValue(value)
    const store = this.#store('readwrite')
    // A copy: structured clone of a view would keep the whole underlying buffer.
    store.put(value.slice(), key)
    await done(store.transaction)
  }

  async delete (key: string): Promise<void> {
    checkKey(key)
    const store = this.#store('readwrite')
    store.delete(key)
    await done(store.transaction)
  }

  async has (key: string): Promise<boolean> {
    checkKey(key)
    return (await request(this.#store('readonly').count(key))) > 0
  }

  async * query (query: DatastoreQuery = {}): AsyncIterable<DatastoreEntry> {
    const prefix = query.prefix ?? ''
    let left = checkLimit(query.limit)
    const end = prefixEnd(prefix)
    let after: string | undefined
    while (left > 0) {
      const lower = after ?? prefix
      const range = end === undefined
        ? IDBKeyRange.lowerBound(lower, after !== undefined)
        : IDBKeyRange.bound(lower, end, after !== undefined, true)
      const count = Math.min(left, INDEXEDDB_QUERY_BATCH)
      const store = this.#store('readonly')
      const [keys, values] = await Promise.all([
        request(store.getAllKeys(range, count)),
        request(store.getAll(range, count))
      ])
      for (let i = 0; i < keys.length; i++) {
        yield { key: keys[i] as string, value: new Uint8Array(values[i] as Uint8Array) }
      }
      left -= keys.length
      if (keys.length < count) return
      after = keys[keys.length - 1] as string
    }
  }

  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#db.close()
  }

  #store (mode: IDBTransactionMode): IDBObjectStore {
    if (this.#closed) throw new DatastoreClosedError('the datastore is closed')
    return this.#db.transaction(INDEXEDDB_STORE_NAME, mode).objectStore(INDEXEDDB_STORE_NAME)
  }
}

/** Opens the persistent datastore of this runtime: in browsers, the IndexedDB database `location`. */
export async function openPersistentDatastore (location: string): Promise<Datastore> {
  return await IndexedDbDatastore.open(location)
}
