/** A local caller exceeded a peer-store limit that is not silently enforced (metadata, tags). */
export class PeerStoreLimitError extends Error {
  override name = 'PeerStoreLimitError'
}
