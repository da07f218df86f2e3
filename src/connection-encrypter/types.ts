/**
 * Connection-encrypter contract (connections spec, "Secure channel"): turns a
 * raw stream into an authenticated, encrypted one and names the remote peer.
 * Implemented by src/connection-encrypter/noise/.
 */
import type { PrivateKey } from '../keys/types.js'
import type { PeerId } from '../peer-id/types.js'
import type { ByteStream } from '../stream/types.js'

export interface SecureOptions {
  /** Our identity key; the handshake proves we hold it. */
  privateKey: PrivateKey
  /** Dialer side: the peer we expect; a different one fails with UnexpectedPeerError. */
  remotePeer?: PeerId
  /** Muxer protocol ids we support, in preference order, for early muxer negotiation. */
  streamMuxers?: string[]
  signal?: AbortSignal
}

export interface SecuredConnection {
  stream: ByteStream
  remotePeer: PeerId
  /** The muxer both sides chose during the handshake, if early negotiation succeeded. */
  streamMuxer?: string
  /** The remote said its streams keep a FIN sent with a multistream-select proposal (Noise: EARLY_FIN_EXTENSION). */
  earlyFin?: boolean
}

export interface ConnectionEncrypter {
  /** The multistream protocol id, e.g. '/noise'. */
  readonly protocol: string
  secureOutbound: (connection: ByteStream, options: SecureOptions) => Promise<SecuredConnection>
  secureInbound: (connection: ByteStream, options: SecureOptions) => Promise<SecuredConnection>
}
