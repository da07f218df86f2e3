/** Errors of the key-file helpers (./file.ts). */

/**
 * The key file can be read by other users (group or world permission bits set).
 * Like ssh with an identity file, we refuse it rather than warn: a private key
 * others could read is no longer ours alone, and a warning scrolls by unseen.
 * Fix with `chmod 600 <file>`.
 */
export class InsecureKeyFileError extends Error {
  override name = 'InsecureKeyFileError'
}

/** The key file is not a key: empty, larger than any key protobuf, or not a regular file. */
export class InvalidKeyFileError extends Error {
  override name = 'InvalidKeyFileError'
}

/** Key files cannot be used in this runtime (browsers have no file system). */
export class KeyFileUnsupportedError extends Error {
  override name = 'KeyFileUnsupportedError'
}
