/**
 * The listener's side (webrtc.md "Connection Establishment", B): on a
 * signaling stream from A over the relayed connection, answer A's offer,
 * trickle candidates both ways until connected, check A's certificate
 * against its SDP, close the stream. The direct connection is A's: the peer
 * the relayed connection authenticated.
 */
import type { Connection } from '../../connection/connection.js'
import type { Stream } from '../../stream/types.js'
import { P2P_CODE } from '../../multiaddr/index.js'
import { requireFingerprint, verifyRemoteCertificate } from './fingerprint.js'
import { DataChannelMuxerFactory } from './muxer.js'
import { WebRTCRawConnection } from './raw-connection.js'
import { SignalingChannel, receiveCandidates, trickleCandidates, withSignalingDeadline } from './signaling.js'
import { SignalingType } from './signaling-message.js'

export interface AnswerOptions {
  rtcConfiguration: RTCConfiguration
  signal?: AbortSignal
  signalingTimeoutMs?: number
}

export async function answer (stream: Stream, relayed: Connection, options: AnswerOptions): Promise<WebRTCRawConnection> {
  const pc = new RTCPeerConnection(options.rtcConfiguration)
  // Before the offer is applied: A may open channels as soon as it is connected.
  const muxer = new DataChannelMuxerFactory(pc)
  try {
    return await withSignalingDeadline(pc, stream, options.signal, options.signalingTimeoutMs, async () => {
      const channel = new SignalingChannel(stream)
      trickleCandidates(pc, channel)
      const offer = await channel.expect(SignalingType.SDP_OFFER, 'SDP offer')
      const fingerprint = requireFingerprint(offer)
      await pc.setRemoteDescription({ type: 'offer', sdp: offer })
      const local = await pc.createAnswer()
      await channel.write({ type: SignalingType.SDP_ANSWER, data: local.sdp ?? '' })
      await pc.setLocalDescription(local)
      await receiveCandidates(pc, channel)
      const certificateChecked = await verifyRemoteCertificate(pc, fingerprint)
      await stream.close()
      // `<relay>/p2p/R/p2p-circuit/webrtc/p2p/A`: the address A would be dialed at, were it listening there.
      const remoteAddr = relayed.remoteAddr.decapsulateCode(P2P_CODE).encapsulate(`/webrtc/p2p/${relayed.remotePeer.toString()}`)
      return new WebRTCRawConnection(pc, muxer, { remotePeer: relayed.remotePeer, remoteAddr, certificateChecked })
    })
  } catch (err) {
    muxer.close()
    pc.close()
    stream.abort(err as Error)
    throw err
  }
}
