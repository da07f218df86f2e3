/**
 * The little the protocol services need from a node, so any node (ours in
 * src/node/, a test harness) can wire them in: a way to register a protocol
 * handler, and, per connection, the remote peer, its address and a way to
 * open a stream negotiated to one protocol.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { PeerId } from '../peer-id/types.js'
import type { Stream } from '../stream/types.js'

export interface ConnectionInfo {
  readonly remotePeer: PeerId
  /** Where the remote is as seen from here (becomes identify's observedAddr). */
  readonly remoteAddr: Multiaddr
  /** Opens a stream and negotiates `protocol` on it (multistream-select). */
  newStream: (protocol: string, options?: { signal?: AbortSignal }) => Promise<Stream>
}

export type ProtocolHandler = (stream: Stream, connection: ConnectionInfo) => void

export interface ProtocolRegistrar {
  handle: (protocol: string, handler: ProtocolHandler) => void | Promise<void>
  unhandle: (protocol: string) => void | Promise<void>
}
