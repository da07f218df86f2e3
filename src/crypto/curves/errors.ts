/** Errors of the curve primitives. */

/**
 * Key bytes that are not a usable key for the curve: a public key that is not
 * a point, or an X25519 exchange that produced the all-zero secret (a
 * low-order public key, RFC 7748 §6.1).
 */
export class InvalidKeyError extends Error {
  override name = 'InvalidKeyError'
}

/**
 * A curve operation with neither WebCrypto nor the pure-JS fallback to run
 * on (see ./fallback.ts): the message names `enableCurveFallback`.
 */
export class CurveUnavailableError extends Error {
  override name = 'CurveUnavailableError'
}
