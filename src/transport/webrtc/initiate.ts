/**
 * The dialer's side (webrtc.md "Connection Establishment", A): reach B over
 * the relay (reusing a connection to B if one is open), open the signaling
 * stream, send the offer of a peer connection that has an `init` data
 * channel, apply B's answer, trickle candidates both ways until connected,
 * check B's certificate against its SDP, close `init` and the stream.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { ServiceHost } from '../../node/service.js'
import { SIGNALING_PROTOCOL, INIT_CHANNEL_LABEL } from './constants.js'
import { InvalidCircuitAddressError } from '../../relay/errors.js'
import { parseWebRTCAddr } from './addresses.js'
import { requireFingerprint, verifyRemoteCertificate } from './fingerprint.js'
import { DataChannelMuxerFactory } from './muxer.js'
import { WebRTCRawConnection } from './raw-connection.js'
import { closeInitChannel } from './init-channel.js'
import { SignalingChannel, receiveCandidates, trickleCandidates, withSignalingDeadline } from './signaling.js'
import { SignalingType } from './signaling-message.js'

export interface InitiateOptions {
  rtcConfiguration: RTCConfiguration
  signal?: AbortSignal
  signalingTimeoutMs?: number
}

export async function initiate (host: ServiceHost, addr: Multiaddr, options: InitiateOptions): Promise<WebRTCRawConnection> {
  const { circuitAddr, target } = parseWebRTCAddr(addr)
  if (target === undefined) throw new InvalidCircuitAddressError(`${addr.toString()} names no peer after /webrtc`)
  const signalOption = options.signal !== undefined ? { signal: options.signal } : {}
  const relayed = host.getConnections(target).find(c => c.status === 'open') ?? await host.dial(circuitAddr, signalOption)
  const stream = await relayed.newStream(SIGNALING_PROTOCOL, signalOption)
  const pc = new RTCPeerConnection(options.rtcConfiguration)
  const muxer = new DataChannelMuxerFactory(pc)
  try {
    return await withSignalingDeadline(pc, stream, options.signal, options.signalingTimeoutMs, async () => {
      const channel = new SignalingChannel(stream)
      // Without a channel the offer would have no data section and no ICE to gather (step 4).
      const init = pc.createDataChannel(INIT_CHANNEL_LABEL)
      trickleCandidates(pc, channel)
      const offer = await pc.createOffer()
      await channel.write({ type: SignalingType.SDP_OFFER, data: offer.sdp ?? '' })
      await pc.setLocalDescription(offer)
      const answer = await channel.expect(SignalingType.SDP_ANSWER, 'SDP answer')
      const fingerprint = requireFingerprint(answer)
      await pc.setRemoteDescription({ type: 'answer', sdp: answer })
      await receiveCandidates(pc, channel)
      const certificateChecked = await verifyRemoteCertificate(pc, fingerprint)
      await closeInitChannel(init)
      await stream.close()
      return new WebRTCRawConnection(pc, muxer, { remotePeer: relayed.remotePeer, remoteAddr: addr, certificateChecked })
    })
  } catch (err) {
    muxer.close()
    pc.close()
    stream.abort(err as Error)
    throw err
  }
}

