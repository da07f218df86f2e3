/** AutoNAT v2's named errors; each ends the stream it happened on. */

/** A message that does not decode, or is not the one expected at this point of the exchange. */
export class AutonatMessageError extends Error {
  override name = 'AutonatMessageError'
}

/** A message larger than AUTONAT_MAX_MESSAGE_BYTES. */
export class AutonatMessageTooLargeError extends Error {
  override name = 'AutonatMessageTooLargeError'
}

/** A DialRequest with more than AUTONAT_MAX_ADDRS_PER_REQUEST addresses, or none. */
export class AutonatAddressCountError extends Error {
  override name = 'AutonatAddressCountError'
}

/** More DialDataResponse messages than AUTONAT_MAX_DIAL_DATA_MESSAGES, or a chunk over 4096 bytes. */
export class AutonatDialDataFloodError extends Error {
  override name = 'AutonatDialDataFloodError'
}

/** The server asked for more dial data than the client's limit. */
export class AutonatDialDataLimitError extends Error {
  override name = 'AutonatDialDataLimitError'
}

/** A request over the server's per-peer or global rate, or its concurrent dial-backs (answered E_REQUEST_REJECTED). */
export class AutonatRateLimitError extends Error {
  override name = 'AutonatRateLimitError'
}

/** A dial-back whose nonce matches no request of ours in flight. */
export class AutonatNonceMismatchError extends Error {
  override name = 'AutonatNonceMismatchError'
}

/** An exchange that did not finish within its deadline. */
export class AutonatTimeoutError extends Error {
  override name = 'AutonatTimeoutError'
}
