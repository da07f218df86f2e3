/** Text, CID or multihash bytes that are not a PeerId. */
export class InvalidPeerIdError extends Error {
  override name = 'InvalidPeerIdError'
}
