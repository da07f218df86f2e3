/**
 * Node datastore on LevelDB, through `classic-level` (the Level project's
 * maintained binding, prebuilt for Linux, macOS and Windows, so installing it
 * needs no compiler). One directory per database; LevelDB locks it, so a
 * second process opening the same directory gets DatastoreUnavailableError
 * instead of two writers corrupting it. The native binding is loaded on the
 * first open, not on import (nothing happens on import).
 */
import type { ClassicLevel } from 'classic-level'
import { DatastoreClosedError, DatastoreUnavailableError } from './errors.js'
import { checkKey, checkLimit, checkValue, prefixEnd } from './limits.js'
import type { Datastore, DatastoreEntry, DatastoreQuery } from './types.js'

export const persistentDatastoreKind = 'leveldb'

export class LevelDatastore implements Datastore {
  readonly #db: ClassicLevel<string, Uint8Array>
  #closed = false

  private constructor (db: ClassicLevel<string, Uint8Array>) {
    this.#db = db
  }

  /** Opens (creating if needed) the LevelDB database in directory `location`. */
  static async open (location: string): Promise<LevelDatastore> {
    const { ClassicLevel } = await import('classic-level')
    const db = new ClassicLevel<string, Uint8Array>(location, { keyEncoding: 'utf8', valueEncoding: 'view' })
    try {
      await db.open()
    } catch (err) {
      throw new DatastoreUnavailableError(`cannot open the datastore in ${location}: ${(err as Error).message}`, { cause: err })
    }
    return new LevelDatastore(db)
  }

  async get (key: string): Promise<Uint8Array | undefined> {
    this.#open()
    checkKey(key)
    const value = await this.#db.get(key)
    return value === undefined ? undefined : new Uint8Array(value)
  }

  async put (key: string, value: Uint8Array): Promise<void> {
    this.#open()
    checkKey(key)
    checkValue(value)
    await this.#db.put(key, value)
  }

  async delete (key: string): Promise<void> {
    this.#open()
    checkKey(key)
    await this.#db.del(key)
  }

  async has (key: string): Promise<boolean> {
    this.#open()
    checkKey(key)
    return await this.#db.has(key)
  }

  async * query (query: DatastoreQuery = {}): AsyncIterable<DatastoreEntry> {
    this.#open()
    const prefix = query.prefix ?? ''
    const limit = checkLimit(query.limit)
    const end = prefixEnd(prefix)
    const range = { gte: prefix, ...(end !== undefined ? { lt: end } : {}), ...(limit !== Infinity ? { limit } : {}) }
    for await (const [key, value] of this.#db.iterator(range)) {
      yield { key, value: new Uint8Array(value) }
    }
  }

  async close (): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#db.close()
  }

  #open (): void {
    if (this.#closed) throw new DatastoreClosedError('the datastore is closed')
  }
}

/** Opens the persistent datastore of this runtime: in Node, LevelDB in directory `location`. */
export async function openPersistentDatastore (location: string): Promise<Datastore> {
  return await LevelDatastore.open(location)
}
