/** Errors of key parsing and use (names follow js-libp2p's). */

/** A KeyType this implementation does not handle, or an operation a type does not support. */
export class UnsupportedKeyTypeError extends Error {
  override name = 'UnsupportedKeyTypeError'
}

/** Public key bytes that do not decode to a key of their declared type. */
export class InvalidPublicKeyError extends Error {
  override name = 'InvalidPublicKeyError'
}

/** Private key bytes that do not decode to a key of their declared type. */
export class InvalidPrivateKeyError extends Error {
  override name = 'InvalidPrivateKeyError'
}
