/** Web Crypto randomness: `globalThis.crypto` exists in browsers and Node ≥ 19 alike. */
export function getRandomValues<T extends Uint8Array> (bytes: T): T {
  return globalThis.crypto.getRandomValues(bytes)
}
