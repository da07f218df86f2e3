/** Errors of signed envelopes and peer records. */

/** Envelope bytes that do not decode (bad protobuf, missing or invalid public key, too large). */
export class InvalidEnvelopeError extends Error {
  override name = 'InvalidEnvelopeError'
}

/** An envelope whose signature does not verify for the expected domain (name as in js-libp2p). */
export class InvalidSignatureError extends Error {
  override name = 'InvalidSignatureError'
}

/** A peer record that does not decode, has the wrong payload type, or is not signed by its own peer. */
export class InvalidPeerRecordError extends Error {
  override name = 'InvalidPeerRecordError'
}
