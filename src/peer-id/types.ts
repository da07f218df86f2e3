/** PeerId contract (peer-ids spec); implemented in src/peer-id/. */
import type { CID } from 'multiformats/cid'
import type { KeyType, PublicKey } from '../keys/types.js'

export interface PeerId {
  readonly type: KeyType
  /** The multihash bytes (identity for keys ≤ 42 bytes encoded, sha256 otherwise). */
  readonly multihash: Uint8Array
  /** Present when the key is inlined in the identity multihash (Ed25519, secp256k1) or was supplied. */
  readonly publicKey: PublicKey | undefined
  /** base58btc of the multihash: `12D3KooW…` or `Qm…`. */
  toString: () => string
  /** CIDv1 with the `libp2p-key` codec (0x72). */
  toCID: () => CID
  equals: (other: PeerId | string | undefined) => boolean
}
