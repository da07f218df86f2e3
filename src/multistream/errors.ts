/** Named multistream-select failures. */

/** The remote broke the protocol: wrong header, oversized or unterminated message, unexpected answer, or it went away mid-negotiation. */
export class MultistreamError extends Error {
  override name = 'MultistreamError'
}

/** No protocol both sides speak: the listener answered `na` to every proposal, or the dialer gave up proposing. */
export class UnsupportedProtocolError extends Error {
  override name = 'UnsupportedProtocolError'
}

/**
 * The listener refused the whole connection before the security handshake
 * and said why (a `refused:<reason>` message after its `na`; see
 * REFUSAL_PREFIX): `reason` is `rate-limit` (this host dialed too often; try
 * later), `connection-limit` (the listener is full), or another short code.
 */
export class PeerRefusedError extends Error {
  override name = 'PeerRefusedError'
  constructor (readonly reason: string, message?: string) {
    super(message ?? `the peer refused the connection before the security handshake: ${describeRefusal(reason)}`)
  }
}

function describeRefusal (reason: string): string {
  if (reason === 'rate-limit') return 'inbound rate limit for this host (dial less often, or retry later)'
  if (reason === 'connection-limit') return 'the peer is at its connection limit (retry later)'
  return reason
}
