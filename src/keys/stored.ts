/**
 * A private key kept in a datastore (../datastore/types.ts) instead of a
 * file: how a browser page keeps its peer id across visits (IndexedDB), and
 * how a Node application keeps its identity beside its peers in one
 * database. Stored in the libp2p protobuf key format, like key files
 * (./file.node.ts). The datastore's own protections apply (a browser origin's
 * storage, a LevelDB directory's permissions); nothing here encrypts it.
 */
import type { Datastore } from '../datastore/types.js'
import { generateKeyPair } from './generate.js'
import { privateKeyFromProtobuf, privateKeyToProtobuf } from './protobuf.js'
import type { KeyType, PrivateKey } from './types.js'

/** Datastore key of the node's own private key. */
export const PRIVATE_KEY_DATASTORE_KEY = '/local/private-key'

/**
 * The key stored in `datastore`, or a new one of `type` (default Ed25519),
 * stored first. Throws InvalidPrivateKeyError when what is stored is not a key.
 */
export async function loadOrCreateStoredPrivateKey (datastore: Datastore, { type = 'Ed25519' as KeyType, key = PRIVATE_KEY_DATASTORE_KEY } = {}): Promise<{ key: PrivateKey, created: boolean }> {
  const stored = await datastore.get(key)
  if (stored !== undefined) return { key: privateKeyFromProtobuf(stored), created: false }
  const created = await generateKeyPair(type)
  await datastore.put(key, privateKeyToProtobuf(created))
  return { key: created, created: true }
}
