/** Building PeerIds from keys, text, CIDs and multihash bytes (peer-ids spec, "Peer Ids"). */
import type { CID } from 'multiformats/cid'
import type { PrivateKey, PublicKey } from '../keys/types.js'
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '../keys/protobuf.js'
import type { PeerId } from './types.js'
import { PeerIdImpl } from './peer-id.js'
import { InvalidPeerIdError } from './errors.js'
import { IDENTITY_CODE, decodeMultihash, multihashOfKey } from './multihash.js'
import { multihashFromCID, multihashFromText } from './text.js'
import { equalBytes } from '../keys/_bytes.js'

export function peerIdFromPublicKey (key: PublicKey): PeerId {
  return new PeerIdImpl(key.type, multihashOfKey(publicKeyToProtobuf(key)), key)
}

export function peerIdFromPrivateKey (key: PrivateKey): PeerId {
  return peerIdFromPublicKey(key.publicKey)
}

/**
 * A PeerId from its multihash bytes. An identity multihash carries the key,
 * which must decode; a sha2-256 one does not, so its type is reported as RSA
 * (as js-libp2p does) unless `publicKey` is given, which must hash to it.
 */
export function peerIdFromMultihash (multihash: Uint8Array, publicKey?: PublicKey): PeerId {
  const { code, digest } = decodeMultihash(multihash)
  const bytes = multihash.slice()
  if (code === IDENTITY_CODE) {
    let key: PublicKey
    try {
      key = publicKeyFromProtobuf(digest)
    } catch (err) {
      throw new InvalidPeerIdError(`identity multihash holds no valid public key: ${(err as Error).message}`)
    }
    return new PeerIdImpl(key.type, bytes, key)
  }
  if (publicKey !== undefined) {
    const expected = multihashOfKey(publicKeyToProtobuf(publicKey))
    if (!equalBytes(expected, multihash)) throw new InvalidPeerIdError('public key does not match the PeerId')
    return new PeerIdImpl(publicKey.type, bytes, publicKey)
  }
  return new PeerIdImpl('RSA', bytes, undefined)
}

/** A PeerId from base58btc (`12D3KooW…`, `Qm…`) or CID (`bafz…`) text. */
export function peerIdFromString (text: string): PeerId {
  return peerIdFromMultihash(multihashFromText(text))
}

/** A PeerId from a CIDv1 with the libp2p-key codec. */
export function peerIdFromCID (cid: CID): PeerId {
  return peerIdFromMultihash(multihashFromCID(cid))
}
