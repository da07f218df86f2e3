/**
 * Named errors of the Noise channel. Every handshake failure is a
 * `NoiseHandshakeError` (or a subclass naming the reason), so a caller can
 * catch the family with one `instanceof`; transport failures name their own.
 */
import { DecryptionError } from './_deps.js'

/** The handshake failed: malformed, truncated or unauthenticated messages, or a broken peer. */
export class NoiseHandshakeError extends Error {
  override name = 'NoiseHandshakeError'
}

/** The remote proved an identity other than the PeerId the dialer expected. */
export class UnexpectedPeerError extends NoiseHandshakeError {
  override name = 'UnexpectedPeerError'
}

/** The remote's identity signature over its static Noise key is missing or does not verify. */
export class InvalidSignatureError extends NoiseHandshakeError {
  override name = 'InvalidSignatureError'
}

/** Both sides offered stream muxers for early negotiation, but none in common (inlined-muxer-negotiation spec). */
export class NoCommonMuxerError extends NoiseHandshakeError {
  override name = 'NoCommonMuxerError'
}

/** The handshake did not finish within the handshake timeout. */
export class NoiseHandshakeTimeoutError extends NoiseHandshakeError {
  override name = 'NoiseHandshakeTimeoutError'
}

/** The caller's AbortSignal fired during the handshake. */
export class NoiseHandshakeAbortedError extends NoiseHandshakeError {
  override name = 'NoiseHandshakeAbortedError'
}

/** A transport frame failed authentication: it was modified, replayed, reordered or forged. */
export class NoiseDecryptionError extends DecryptionError {
  override name = 'NoiseDecryptionError'
}

/** A CipherState reached the reserved nonce 2^64-1 (Noise §5.1): the session must end before a nonce repeats. */
export class NonceExhaustedError extends Error {
  override name = 'NonceExhaustedError'
}

/** The connection ended in the middle of a frame. */
export class TruncatedFrameError extends Error {
  override name = 'TruncatedFrameError'
}
