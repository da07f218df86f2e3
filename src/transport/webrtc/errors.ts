/** Named failures of the WebRTC transport. */

/** The signaling exchange went wrong: an unexpected message, bad SDP, too many candidates, a timeout. */
export class SignalingError extends Error {
  override name = 'SignalingError'
}

/** A signaling message that is not valid protobuf or is too large. */
export class MalformedSignalingMessageError extends SignalingError {
  override name = 'MalformedSignalingMessageError'
}

/**
 * The DTLS certificate the remote presented does not hash to the fingerprint
 * of the SDP it sent over the authenticated relayed connection, or that SDP
 * has no usable fingerprint: the direct connection cannot be tied to its peer id.
 */
export class FingerprintMismatchError extends Error {
  override name = 'FingerprintMismatchError'
}

/** The RTCPeerConnection failed or closed before it connected. */
export class WebRTCConnectionFailedError extends Error {
  override name = 'WebRTCConnectionFailedError'
}

/** A data channel message that breaks the framing (README.md "Multiplexing"): too large, bad protobuf, unknown flag. */
export class WebRTCFramingError extends Error {
  override name = 'WebRTCFramingError'
}

/** The remote reset the stream (RESET_STREAM), or the data channel closed before both sides finished. */
export class WebRTCStreamResetError extends Error {
  override name = 'WebRTCStreamResetError'
}

/** A write after closeWrite, after the remote's STOP_SENDING, or on a closed stream. */
export class WebRTCStreamClosedError extends Error {
  override name = 'WebRTCStreamClosedError'
}

/** The reader fell STREAM_RECEIVE_BUFFER bytes behind; the stream was reset. */
export class StreamReceiveOverflowError extends Error {
  override name = 'StreamReceiveOverflowError'
}

/** A signaling stream arrived but this node listens on no `/p2p-circuit/webrtc` address. */
export class NotListeningError extends Error {
  override name = 'NotListeningError'
}
