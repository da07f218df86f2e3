/**
 * PeerIds (peer-ids spec, "Peer Ids"; RFC 0001 for the CID form): derive one
 * from a key, parse one from text, a CID or multihash bytes.
 */
export type { PeerId } from './types.js'
export { peerIdFromPublicKey, peerIdFromPrivateKey, peerIdFromString, peerIdFromMultihash, peerIdFromCID } from './from.js'
export { InvalidPeerIdError } from './errors.js'
export { LIBP2P_KEY_CODEC, MAX_PEER_ID_TEXT_LENGTH } from './text.js'
export { INLINE_KEY_THRESHOLD, MAX_IDENTITY_DIGEST_LENGTH } from './multihash.js'
