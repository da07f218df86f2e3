/**
 * PeerId text (peer-ids spec, "String representation"; RFC 0001): a bare
 * base58btc multihash (`1…`, `Qm…`) or a multibase CIDv1 whose codec is
 * libp2p-key (`bafz…` base32 by default; base36 `k…` and base58btc `z…` too).
 */
import { CID } from 'multiformats/cid'
import { base58btc } from 'multiformats/bases/base58'
import { InvalidPeerIdError } from './errors.js'
import { decodeMultihash } from './multihash.js'

/** The `libp2p-key` multicodec (RFC 0001). */
export const LIBP2P_KEY_CODEC = 0x72

/**
 * Longest PeerId text accepted: 512 characters, well above any legal PeerId
 * (a CID of a 128-byte identity multihash is ~215 base32 characters), so
 * parsing work is bounded before any decoding.
 */
export const MAX_PEER_ID_TEXT_LENGTH = 512

/** The multihash bytes a PeerId text denotes; InvalidPeerIdError otherwise. */
export function multihashFromText (text: string): Uint8Array {
  if (typeof text !== 'string') throw new TypeError('PeerId text must be a string')
  if (text.length === 0 || text.length > MAX_PEER_ID_TEXT_LENGTH) throw new InvalidPeerIdError(`PeerId text of ${text.length} characters`)
  let multihash: Uint8Array
  if (text[0] === '1' || text.startsWith('Qm')) {
    try {
      multihash = base58btc.baseDecode(text)
    } catch (err) {
      throw new InvalidPeerIdError(`invalid base58btc PeerId: ${(err as Error).message}`)
    }
  } else {
    multihash = multihashFromCID(parseCID(text))
  }
  decodeMultihash(multihash)
  return multihash
}

function parseCID (text: string): CID {
  try {
    return CID.parse(text)
  } catch (err) {
    throw new InvalidPeerIdError(`not a PeerId: ${(err as Error).message}`)
  }
}

/** The multihash of a libp2p-key CID. */
export function multihashFromCID (cid: CID): Uint8Array {
  if (cid.version !== 1 || cid.code !== LIBP2P_KEY_CODEC) throw new InvalidPeerIdError(`CID codec 0x${cid.code.toString(16)} is not libp2p-key`)
  return cid.multihash.bytes
}
