/**
 * WebRTC browser-to-browser (../shared/specs/libp2p/webrtc/webrtc.md): signaling
 * over a circuit relay, then a direct RTCPeerConnection whose data channels
 * are the connection's streams (README.md "Multiplexing").
 */
export { webRTC, webRTCSupported, WebRTCService, type WebRTCOptions, type WebRTCEvents } from './service.js'
export { WebRTCTransport, WebRTCListener } from './transport.js'
export { parseWebRTCAddr, type WebRTCAddrParts } from './addresses.js'
export { DataChannelStream, type DataChannelLike } from './stream.js'
export { DataChannelMuxer, DataChannelMuxerFactory } from './muxer.js'
export { ReceiveBudget } from './receive-budget.js'
export { Flag, FrameDecoder, encodeFrame, decodeFrameBody, type FrameMessage } from './message.js'
export { closeInitChannel } from './init-channel.js'
export { withSignalingDeadline } from './signaling.js'
export { SignalingType, encodeSignalingMessage, decodeSignalingMessage, type SignalingMessage } from './signaling-message.js'
export { sdpFingerprints, requireFingerprint, verifyRemoteCertificate, type SdpFingerprint } from './fingerprint.js'
export * from './constants.js'
export * from './errors.js'
