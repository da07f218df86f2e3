/**
 * Limits and names of the WebRTC browser-to-browser transport
 * (../shared/specs/libp2p/webrtc/webrtc.md, README.md "Multiplexing").
 */

/** The signaling protocol run over the relayed connection (webrtc.md "Signaling Protocol"). */
export const SIGNALING_PROTOCOL = '/webrtc-signaling/0.0.1'

/** What `Connection.multiplexer` says for a WebRTC connection: streams are data channels (the name js-libp2p uses too). */
export const WEBRTC_MUXER_PROTOCOL = '/webrtc'

/** What `Connection.encryption` says: DTLS, its fingerprints bound to the peer ids by signaling. */
export const WEBRTC_ENCRYPTION = 'dtls'

/** The multiaddr protocol code of `/webrtc` (multicodec table). */
export const WEBRTC_CODE = 0x0119

/**
 * Largest encoded data channel message, length prefix included. Default 16 KiB:
 * the spec's MUST ("Encoded messages including their length prefix MUST NOT
 * exceed 16kiB to support all major browsers"); a larger one from the remote
 * resets the stream (WebRTCFramingError).
 */
export const MAX_MESSAGE_SIZE = 16 * 1024

/**
 * Bytes of a frame that are not payload, at most: the length prefix (2 bytes
 * for up to 16383), the flag field (2) and the payload's tag and length (1 + 2).
 */
export const MAX_FRAME_OVERHEAD = 7

/** Largest payload per message we send, so that the frame stays within MAX_MESSAGE_SIZE. */
export const MAX_MESSAGE_PAYLOAD = MAX_MESSAGE_SIZE - MAX_FRAME_OVERHEAD

/**
 * Bytes a data channel may have queued for sending (`bufferedAmount`) before
 * `write` waits for `bufferedamountlow`. Default 1 MiB: data channels have no
 * write callback, so this bound is what keeps a fast writer from queueing
 * without limit inside the browser.
 */
export const SEND_HIGH_WATER_MARK = 1024 * 1024

/**
 * Received payload bytes a stream buffers for a reader that does not keep
 * up; past it the stream is reset (StreamReceiveOverflowError). Default
 * 4 MiB: data channels cannot pause the remote (no read backpressure in the
 * browser API), so without this bound a remote could make us hold any amount.
 */
export const STREAM_RECEIVE_BUFFER = 4 * 1024 * 1024

/**
 * Received payload bytes all the streams of one connection together buffer
 * for their readers; a stream whose data would pass it is reset
 * (StreamReceiveOverflowError). Default 16 MiB: without it a remote could open
 * MAX_INBOUND_STREAMS channels and fill each to STREAM_RECEIVE_BUFFER.
 */
export const CONNECTION_RECEIVE_BUFFER = 16 * 1024 * 1024

/**
 * How long `closeWrite` waits for the remote's FIN_ACK (README.md "Closing an
 * RTCDataChannel": a node MAY close without it, e.g. on a timeout). Default 10 s.
 */
export const FIN_ACK_TIMEOUT_MS = 10_000

/**
 * Data channels (streams) the remote may have open on one connection; more
 * are closed at once. Default 256, about yamux's default stream cap per
 * connection. The spec allows up to 65535, more than any protocol here needs.
 */
export const MAX_INBOUND_STREAMS = 256

/**
 * Data channels opened by the remote before our side of the connection has
 * been upgraded (the dialer may open identify as soon as it is connected),
 * buffered until then; more are closed. Default 32.
 */
export const MAX_EARLY_STREAMS = 32

/**
 * Time for the whole signaling exchange, from the offer to the connected
 * RTCPeerConnection. Default 20 s: ICE over loopback or a LAN takes well under
 * a second, over STUN a few; a silent remote must not hold a peer connection.
 */
export const SIGNALING_TIMEOUT_MS = 20_000

/**
 * Largest signaling message. Default 64 KiB: an SDP offer for one data
 * channel is 0.5 to 2 KB, an ICE candidate under 300 bytes.
 */
export const MAX_SIGNALING_MESSAGE_SIZE = 64 * 1024

/**
 * ICE candidates we accept from the remote in one exchange; past it the
 * exchange fails (SignalingError). Default 64: a host has a candidate per
 * interface and protocol, plus server-reflexive and relay ones.
 */
export const MAX_REMOTE_ICE_CANDIDATES = 64

/**
 * Signaling exchanges the remote may run at once on one relayed connection.
 * Default 2: one dial each way, should both sides dial at once.
 */
export const MAX_INBOUND_SIGNALING_STREAMS = 2

/**
 * Inbound signaling exchanges (each an RTCPeerConnection) a node runs at
 * once, from all peers; more are reset. Default 8: peer connections are the
 * costliest thing a remote can make a browser allocate.
 */
export const MAX_CONCURRENT_SIGNALING = 8

/** The label of the data channel the dialer opens so that the offer carries ICE information (webrtc.md step 4). */
export const INIT_CHANNEL_LABEL = 'init'
