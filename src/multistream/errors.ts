/** Named multistream-select failures. */

/** The remote broke the protocol: wrong header, oversized or unterminated message, unexpected answer, or it went away mid-negotiation. */
export class MultistreamError extends Error {
  override name = 'MultistreamError'
}

/** No protocol both sides speak: the listener answered `na` to every proposal, or the dialer gave up proposing. */
export class UnsupportedProtocolError extends Error {
  override name = 'UnsupportedProtocolError'
}
