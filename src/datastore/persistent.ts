/**
 * The persistent datastore of this runtime, chosen by the package.json
 * `imports` entry `#datastore/persistent`: LevelDB (./level.node.ts) in Node,
 * IndexedDB (./indexeddb.ts) in browsers, so browser bundles never load the
 * native LevelDB binding. The explicit types keep `#datastore/persistent` out
 * of the published declarations.
 */
import * as selected from '#datastore/persistent'
import type { Datastore } from './types.js'

/** 'leveldb' (Node) or 'indexeddb' (browsers). */
export const persistentDatastoreKind: string = selected.persistentDatastoreKind

/** Opens (creating if needed) a persistent datastore: a directory path in Node, a database name in browsers. */
export const openPersistentDatastore: (location: string) => Promise<Datastore> = selected.openPersistentDatastore
