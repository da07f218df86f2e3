/** Errors of the datastores. */

/** The datastore was used after close(). */
export class DatastoreClosedError extends Error {
  override name = 'DatastoreClosedError'
}

/** A key or value the datastore refuses (empty or over-long key, value not bytes or too large). */
export class InvalidDatastoreEntryError extends Error {
  override name = 'InvalidDatastoreEntryError'
}

/** The backing database failed to open or to answer (a locked LevelDB, IndexedDB blocked or missing). */
export class DatastoreUnavailableError extends Error {
  override name = 'DatastoreUnavailableError'
}
