/** Datastores: the contract, the in-memory store, the runtime's persistent one. */
export type { Datastore, DatastoreEntry, DatastoreQuery } from './types.js'
export { MemoryDatastore } from './memory.js'
export { IndexedDbDatastore, INDEXEDDB_STORE_NAME, INDEXEDDB_VERSION, INDEXEDDB_QUERY_BATCH } from './indexeddb.js'
export { openPersistentDatastore, persistentDatastoreKind } from './persistent.js'
export { MAX_DATASTORE_KEY_LENGTH, MAX_DATASTORE_VALUE_SIZE } from './limits.js'
export { DatastoreClosedError, DatastoreUnavailableError, InvalidDatastoreEntryError } from './errors.js'
