/**
 * Transport contract: something that dials and listens on multiaddrs and
 * yields raw, not yet secured, byte streams. Implemented in src/transport/*.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { StreamMuxerFactory } from '../muxer/types.js'
import type { PeerId } from '../peer-id/types.js'
import type { ByteStream } from '../stream/types.js'

export interface RawConnection extends ByteStream {
  readonly remoteAddr: Multiaddr
  readonly localAddr: Multiaddr | undefined
  /**
   * Limits a relay applies to this connection (circuit relay v2 "Limit"):
   * seconds it may stay open and bytes it may carry each way. Absent for
   * direct connections; the Connection built on it is then not `limited`.
   */
  readonly limits?: ConnectionLimits | undefined
  /**
   * Set by a transport that authenticates and multiplexes by itself (WebRTC:
   * DTLS bound to the peer id through signaling, streams as data channels):
   * the upgrader then skips Noise and yamux and runs this muxer. Its byte
   * stream carries nothing; only close/abort and the addresses are used.
   */
  readonly secured?: SecuredByTransport | undefined
}

export interface SecuredByTransport {
  readonly remotePeer: PeerId
  /** Names the security for `Connection.encryption`, e.g. 'dtls'. */
  readonly encryption: string
  readonly muxer: StreamMuxerFactory
}

export interface ConnectionLimits {
  durationSeconds?: number
  dataBytes?: bigint
}

export interface DialOptions {
  signal?: AbortSignal
}

export interface Listener {
  /** Starts listening; resolves once bound. */
  listen: (addr: Multiaddr) => Promise<void>
  /** The bound addresses (port 0 resolved to the real port). */
  getAddrs: () => Multiaddr[]
  /** Stops accepting and closes the listening socket; open connections are the owner's. */
  close: () => Promise<void>
}

export interface ListenerOptions {
  /** Called for each accepted raw connection. */
  onConnection: (connection: RawConnection) => void
}

export interface Transport {
  /** A short name for logs and errors: 'tcp', 'websockets', 'memory'. */
  readonly name: string
  dial: (addr: Multiaddr, options?: DialOptions) => Promise<RawConnection>
  createListener: (options: ListenerOptions) => Listener
  /** The subset of `addrs` this transport can dial. */
  dialFilter: (addrs: Multiaddr[]) => Multiaddr[]
  /** The subset of `addrs` this transport can listen on. */
  listenFilter: (addrs: Multiaddr[]) => Multiaddr[]
}
