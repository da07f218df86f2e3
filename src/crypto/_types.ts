/** The interfaces every crypto backend (wasm-simd, wasm, js) implements identically. */

export interface Sha256Hasher {
  update: (data: Uint8Array) => Sha256Hasher
  /** Returns the 32-byte digest; the hasher cannot be used afterwards. */
  digest: () => Uint8Array
}

export interface Sha256Implementation {
  digest: (data: Uint8Array) => Uint8Array
  create: () => Sha256Hasher
  /** Hashes `messages.length / length` messages of `length` bytes each; returns their digests end to end. */
  digestMany: (messages: Uint8Array, length: number) => Uint8Array
}

/** HMAC-SHA256 and HKDF-SHA256 over one backend's SHA-256; inputs are already checked. */
export interface MacImplementation {
  hmac: (key: Uint8Array, data: Uint8Array) => Uint8Array
  hkdf: (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number) => Uint8Array
}
