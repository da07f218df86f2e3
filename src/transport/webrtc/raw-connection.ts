/**
 * A connected RTCPeerConnection as the node's raw connection. It carries no
 * bytes itself: `secured` tells the upgrader who the remote is (the peer of
 * the relayed connection the SDP came over) and hands it the data channel
 * muxer, so neither Noise nor yamux runs (webrtc.md FAQ "Why is there no
 * additional Noise handshake needed?").
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { PeerId } from '../../peer-id/types.js'
import type { RawConnection, SecuredByTransport } from '../../transport/types.js'
import { WEBRTC_ENCRYPTION } from './constants.js'
import { WebRTCStreamClosedError } from './errors.js'
import type { DataChannelMuxerFactory } from './muxer.js'

export class WebRTCRawConnection implements RawConnection {
  readonly remoteAddr: Multiaddr
  readonly localAddr: Multiaddr | undefined = undefined
  readonly secured: SecuredByTransport
  readonly peerConnection: RTCPeerConnection
  /** True when we compared the remote's DTLS certificate with its SDP fingerprint ourselves (./fingerprint.ts). */
  readonly certificateChecked: boolean
  readonly #muxer: DataChannelMuxerFactory

  constructor (pc: RTCPeerConnection, muxer: DataChannelMuxerFactory, init: { remotePeer: PeerId, remoteAddr: Multiaddr, certificateChecked: boolean }) {
    this.peerConnection = pc
    this.#muxer = muxer
    this.certificateChecked = init.certificateChecked
    this.remoteAddr = init.remoteAddr
    this.secured = { remotePeer: init.remotePeer, encryption: WEBRTC_ENCRYPTION, muxer }
  }

  async * [Symbol.asyncIterator] (): AsyncGenerator<Uint8Array> {
    // Nothing flows on the connection itself; data channels carry the streams.
  }

  async write (): Promise<void> {
    throw new WebRTCStreamClosedError('a WebRTC connection carries bytes only on its data channels')
  }

  async closeWrite (): Promise<void> {}

  async close (): Promise<void> {
    this.#muxer.close()
    this.peerConnection.close()
  }

  abort (): void {
    this.#muxer.close()
    this.peerConnection.close()
  }
}
