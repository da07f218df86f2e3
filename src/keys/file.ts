/**
 * Private keys in files (Node: ./file.node.ts) or an explicit refusal
 * (browsers: ./file.unsupported.ts), chosen by the package.json `imports`
 * entry `#keys/file`. The explicit types keep `#keys/file` out of the
 * published declarations.
 */
import * as selected from '#keys/file'
import type { KeyType, PrivateKey } from './types.js'

export { InsecureKeyFileError, InvalidKeyFileError, KeyFileUnsupportedError } from './file-errors.js'

/** Whether this runtime can keep keys in files. */
export const keyFilesSupported: boolean = selected.keyFilesSupported
/** Mode of a key file we write (0600). */
export const KEY_FILE_MODE: number = selected.KEY_FILE_MODE
/** Permission bits (0077) that make us refuse to load a key file. */
export const KEY_FILE_FORBIDDEN_BITS: number = selected.KEY_FILE_FORBIDDEN_BITS
export const savePrivateKey: (path: string, key: PrivateKey) => Promise<void> = selected.savePrivateKey
export const loadPrivateKey: (path: string) => Promise<PrivateKey> = selected.loadPrivateKey
export const loadOrCreatePrivateKey: (path: string, type?: KeyType) => Promise<{ key: PrivateKey, created: boolean }> = selected.loadOrCreatePrivateKey
