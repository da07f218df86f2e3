/**
 * Key files outside Node: browsers have no file system (keep a key in
 * IndexedDB through the datastore, or pass `privateKey` to createNode).
 * Selected through the package.json `imports` entry `#keys/file` so browser
 * bundles never see `node:fs`.
 */
import type { KeyType, PrivateKey } from './types.js'
import { KeyFileUnsupportedError } from './file-errors.js'

export const keyFilesSupported = false
export const KEY_FILE_MODE = 0o600
export const KEY_FILE_FORBIDDEN_BITS = 0o077

const unsupported = (): never => { throw new KeyFileUnsupportedError('key files need a file system (Node)') }

export async function savePrivateKey (_path: string, _key: PrivateKey): Promise<void> { unsupported() }
export async function loadPrivateKey (_path: string): Promise<PrivateKey> { return unsupported() }
export async function loadOrCreatePrivateKey (_path: string, _type?: KeyType): Promise<{ key: PrivateKey, created: boolean }> { return unsupported() }
