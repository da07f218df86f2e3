/**
 * Private keys in files, for Node. The file holds the key in the libp2p
 * protobuf key format (peer-ids spec, "Keys": `PrivateKey { Type, Data }`),
 * the same bytes js-libp2p's `privateKeyToProtobuf` gives, so a key file moves
 * between implementations. Written with mode 0600 (owner read/write only),
 * atomically (a temporary file in the same directory, then a rename), so a
 * crash never leaves half a key; read only when no other user can read it.
 */
import { chmod, link, lstat, open, rename, rm } from 'node:fs/promises'
import { dirname, basename, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { generateKeyPair } from './generate.js'
import { MAX_KEY_PROTOBUF_SIZE, privateKeyFromProtobuf, privateKeyToProtobuf } from './protobuf.js'
import type { KeyType, PrivateKey } from './types.js'
import { InsecureKeyFileError, InvalidKeyFileError } from './file-errors.js'

export const keyFilesSupported = true

/** Permission bits of a key file we write: owner read and write, nothing for group or others. */
export const KEY_FILE_MODE = 0o600

/** Permission bits that make a key file readable or writable by others; any of them set and we refuse to load it. */
export const KEY_FILE_FORBIDDEN_BITS = 0o077

/** Writes `key` to `path` (mode 0600, atomically), replacing what was there. */
export async function savePrivateKey (path: string, key: PrivateKey): Promise<void> {
  await rename(await writeTemporary(path, privateKeyToProtobuf(key)), path)
}

/** `bytes` in a new 0600 file beside `path`; returns its name. */
async function writeTemporary (path: string, bytes: Uint8Array): Promise<string> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  // 'wx': never follow or reuse an existing file; the mode applies at creation, before any byte is written.
  const handle = await open(temporary, 'wx', KEY_FILE_MODE)
  try {
    await handle.writeFile(bytes)
    await handle.sync()
    // The umask can only narrow 0600; set it exactly anyway, so what we wrote is what we later accept.
    await chmod(temporary, KEY_FILE_MODE)
  } catch (err) {
    await handle.close()
    await rm(temporary, { force: true })
    throw err
  }
  await handle.close()
  return temporary
}

/**
 * Reads the key in `path`. Throws InsecureKeyFileError when group or others
 * may read or write it (not checked on Windows, whose files have no such
 * bits), InvalidKeyFileError when it is not a regular file of plausible size,
 * InvalidPrivateKeyError (or UnsupportedKeyTypeError) when its bytes are not a key.
 */
export async function loadPrivateKey (path: string): Promise<PrivateKey> {
  const stat = await lstat(path)
  if (!stat.isFile()) throw new InvalidKeyFileError(`${path} is not a regular file`)
  if (process.platform !== 'win32' && (stat.mode & KEY_FILE_FORBIDDEN_BITS) !== 0) {
    throw new InsecureKeyFileError(`${path} has mode ${(stat.mode & 0o777).toString(8).padStart(3, '0')}: other users may read the private key; run chmod 600 ${path}`)
  }
  if (stat.size === 0 || stat.size > MAX_KEY_PROTOBUF_SIZE) {
    throw new InvalidKeyFileError(`${path} holds ${stat.size} bytes; a key protobuf has 1 to ${MAX_KEY_PROTOBUF_SIZE}`)
  }
  const handle = await open(path, 'r')
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(await handle.readFile())
  } finally {
    await handle.close()
  }
  if (bytes.length > MAX_KEY_PROTOBUF_SIZE) throw new InvalidKeyFileError(`${path} grew past ${MAX_KEY_PROTOBUF_SIZE} bytes while being read`)
  return privateKeyFromProtobuf(bytes)
}

/**
 * The key in `path`, or, when there is no such file, a new key of `type`
 * (default Ed25519) saved there first: what `wasp2p start --key <file>` uses
 * so the first run creates the identity and every later one keeps it.
 * `created` says which happened.
 */
export async function loadOrCreatePrivateKey (path: string, type: KeyType = 'Ed25519'): Promise<{ key: PrivateKey, created: boolean }> {
  try {
    return { key: await loadPrivateKey(path), created: false }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const key = await generateKeyPair(type)
  const temporary = await writeTemporary(path, privateKeyToProtobuf(key))
  try {
    // link() never replaces: of two processes creating the same identity at once, one wins and both use its key.
    await link(temporary, path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    return { key: await loadPrivateKey(path), created: false }
  } finally {
    await rm(temporary, { force: true })
  }
  return { key, created: true }
}
