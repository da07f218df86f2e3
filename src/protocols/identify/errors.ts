/** The Identify message is longer than MAX_IDENTIFY_MESSAGE_SIZE. */
export class IdentifyMessageTooLargeError extends Error {
  override name = 'IdentifyMessageTooLargeError'
}

/** The Identify message does not decode (bad protobuf, bad multiaddr, truncated stream). */
export class InvalidIdentifyMessageError extends Error {
  override name = 'InvalidIdentifyMessageError'
}

/** The public key in the message is not the key of the peer on the other end of the connection. */
export class IdentifyPeerMismatchError extends Error {
  override name = 'IdentifyPeerMismatchError'
}

/** No Identify message within the timeout. */
export class IdentifyTimeoutError extends Error {
  override name = 'IdentifyTimeoutError'
}
