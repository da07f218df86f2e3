/**
 * The datastore contract: a small ordered key-value store with text keys and
 * byte values, enough for the peer store and the DHT's record and provider
 * stores to outlive the process. Three implementations behind it, one
 * compliance suite for all (test/datastore/compliance.js):
 *
 * - MemoryDatastore (./memory.ts): the default, for tests and ephemeral nodes;
 * - LevelDatastore (./level.node.ts): Node, on LevelDB through `classic-level`;
 * - IndexedDbDatastore (./indexeddb.ts): browsers.
 *
 * Keys are namespaced by convention with '/'-separated prefixes
 * (`/peers/<id>`, `/dht/records/<hex>`), so one database serves every store
 * and `query({ prefix })` lists one store's entries.
 */

export interface DatastoreEntry {
  key: string
  value: Uint8Array
}

export interface DatastoreQuery {
  /** Only keys starting with this text; default every key. */
  prefix?: string
  /** At most this many entries; default all. */
  limit?: number
}

export interface Datastore {
  /** The value of `key`, or undefined. */
  get: (key: string) => Promise<Uint8Array | undefined>
  /** Stores `value` under `key` (the store keeps its own copy), replacing what was there. */
  put: (key: string, value: Uint8Array) => Promise<void>
  /** Removes `key`; a missing key is not an error. */
  delete: (key: string) => Promise<void>
  has: (key: string) => Promise<boolean>
  /** Entries whose key starts with `prefix`, in ascending key order (UTF-16 code-unit order). */
  query: (query?: DatastoreQuery) => AsyncIterable<DatastoreEntry>
  /** Releases the store (files, handles); later calls throw DatastoreClosedError. */
  close: () => Promise<void>
}
