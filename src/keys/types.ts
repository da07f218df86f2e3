/**
 * Key contract (peer-ids spec, ../shared/specs/libp2p/peer-ids/peer-ids.md).
 * Implemented in src/keys/; the Noise handshake and signed records use only this.
 */
export type KeyType = 'Ed25519' | 'secp256k1' | 'ECDSA' | 'RSA'

export interface PublicKey {
  readonly type: KeyType
  /** The key bytes as carried in the `Data` field of the PublicKey protobuf. */
  readonly raw: Uint8Array
  /**
   * secp256k1 and ECDSA verify synchronously (pure JS); Ed25519 and RSA return a
   * Promise (WebCrypto, with a pure-JS fallback for Ed25519). Always `await` it.
   */
  verify: (data: Uint8Array, signature: Uint8Array) => boolean | Promise<boolean>
  equals: (other: PublicKey) => boolean
}

export interface PrivateKey {
  readonly type: KeyType
  readonly raw: Uint8Array
  readonly publicKey: PublicKey
  /** Synchronous for secp256k1 and ECDSA, a Promise for Ed25519 and RSA: always `await` it. */
  sign: (data: Uint8Array) => Uint8Array | Promise<Uint8Array>
}
