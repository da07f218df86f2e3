/**
 * In-memory datastore: a Map plus a sorted key list for ordered prefix
 * queries. The default wherever nothing should outlive the process (tests,
 * throwaway nodes). Values are copied in and out, like the persistent stores.
 */
import { DatastoreClosedError } from './errors.js'
import { checkKey, checkLimit, checkValue } from './limits.js'
import type { Datastore, DatastoreEntry, DatastoreQuery } from './types.js'

export class MemoryDatastore implements Datastore {
  readonly #entries = new Map<string, Uint8Array>()
  #closed = false

  /** Number of entries (synchronous: for tests). */
  get size (): number { return this.#entries.size }

  async get (key: string): Promise<Uint8Array | undefined> {
    this.#open()
    checkKey(key)
    return this.#entries.get(key)?.slice()
  }

  async put (key: string, value: Uint8Array): Promise<void> {
    this.#open()
    checkKey(key)
    checkValue(value)
    this.#entries.set(key, value.slice())
  }

  async delete (key: string): Promise<void> {
    this.#open()
    checkKey(key)
    this.#entries.delete(key)
  }

  async has (key: string): Promise<boolean> {
    this.#open()
    checkKey(key)
    return this.#entries.has(key)
  }

  async * query (query: DatastoreQuery = {}): AsyncIterable<DatastoreEntry> {
    this.#open()
    const prefix = query.prefix ?? ''
    let left = checkLimit(query.limit)
    // Sorted at query time: writes stay O(1), and stores query only on load.
    const keys = [...this.#entries.keys()].filter(k => k.startsWith(prefix)).sort(compareKeys)
    for (const key of keys) {
      if (left-- <= 0) return
      const value = this.#entries.get(key)
      if (value !== undefined) yield { key, value: value.slice() }
    }
  }

  async close (): Promise<void> {
    this.#closed = true
    this.#entries.clear()
  }

  #open (): void {
    if (this.#closed) throw new DatastoreClosedError('the datastore is closed')
  }
}

/** UTF-16 code-unit order, the order LevelDB (on UTF-8 bytes, for BMP keys) and IndexedDB use. */
export function compareKeys (a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
