/**
 * wasp2p: libp2p with WebAssembly hot paths, one package for Node and browsers.
 */
export * as crypto from './crypto/index.js'
export * as dht from './dht/index.js'
export { init, initSync } from './wasm/kernel.js'
export { useBackend, type Backend, type BackendChoice } from './wasm/backend.js'
export {
  createNode, Wasp2pNode, echoHandler, handleEcho, ECHO_PROTOCOL, ECHO_IDLE_TIMEOUT_MS, EchoTimeoutError, type EchoOptions, type NodeOptions, type DialTarget, type HandleOptions,
  type NodeEvents, type NodeEventName, type BootstrapOptions,
  BOOTSTRAP_INITIAL_BACKOFF_MS, BOOTSTRAP_MAX_BACKOFF_MS, BOOTSTRAP_BACKOFF_FACTOR, BOOTSTRAP_BACKOFF_JITTER, BOOTSTRAP_TAG_VALUE,
  DuplicateHandlerError, DialSelfError, NodeNotStartedError, ServiceDisabledError, ServiceDependencyError, ServiceStartError,
  service, type ServiceHost, type ServiceFactory, type ServiceFactories, type ServiceLifecycle, type ServicesOf, type NodeServices,
  type DefaultServices
} from './node/index.js'
export {
  ConnectionLimitError, InboundRateLimitError, ConnectionDeniedError, DialTimeoutError, DialError, DialQueueFullError,
  NoKnownAddressesError, type ConnectionGater, type ConnectionManagerOptions, type GaterStage,
  MAX_CONNECTIONS, MAX_INBOUND_CONNECTIONS, MAX_OUTBOUND_CONNECTIONS, MAX_INBOUND_PENDING_CONNECTIONS, MAX_INBOUND_PENDING_PER_HOST,
  MAX_DIAL_CONCURRENCY, MAX_DIALS_PER_PEER, MAX_DIAL_QUEUE_LENGTH, DIAL_TIMEOUT_MS, INBOUND_UPGRADE_TIMEOUT_MS,
  INBOUND_CONNECTIONS_PER_HOST_PER_SECOND, INBOUND_CONNECTION_BURST_PER_HOST, MAX_RATE_LIMITED_HOSTS,
  MAX_INBOUND_STREAMS_PER_PROTOCOL, MAX_OUTBOUND_STREAMS_PER_PROTOCOL
} from './connection-manager/index.js'
export { StreamLimitError } from './connection/index.js'
// --- hardening (branch harden): refusals before the handshake, per-host exemptions, write deadlines ---
export { PeerRefusedError } from './multistream/index.js'
export { LOOPBACK_RANGES, PRIVATE_RANGES, MAX_REFUSALS_IN_PROGRESS, REFUSAL_TIMEOUT_MS, type InboundRefusal } from './connection-manager/index.js'
export { tcp, webSockets, memory } from './transport/index.js'
export { Connection, type StreamHandler } from './connection/index.js'
export {
  generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf, publicKeyFromProtobuf, publicKeyToProtobuf,
  publicKeyFromData, privateKeyFromData,
  UnsupportedKeyTypeError, InvalidPublicKeyError, InvalidPrivateKeyError,
  type KeyType, type PublicKey, type PrivateKey
} from './keys/index.js'
export {
  peerIdFromString, peerIdFromPublicKey, peerIdFromPrivateKey, peerIdFromMultihash, peerIdFromCID,
  InvalidPeerIdError, type PeerId
} from './peer-id/index.js'
export { ProtobufError } from './protobuf/index.js'
export {
  multiaddr, isMultiaddr, toMultiaddr, getPeerIdFromMultiaddr, withPeerId, withoutPeerId, InvalidMultiaddrError,
  type Multiaddr
} from './multiaddr/index.js'
export {
  RecordEnvelope, PeerRecord, PEER_RECORD_DOMAIN, PEER_RECORD_CODEC,
  InvalidEnvelopeError, InvalidSignatureError, InvalidPeerRecordError
} from './record/index.js'
export {
  yamux, YamuxMuxer, YamuxStream, YAMUX_PROTOCOL,
  YamuxProtocolError, StreamResetError, StreamClosedError, GoAwayError, MuxerClosedError, TooManyStreamsError, AckBacklogTimeoutError,
  type YamuxOptions, type YamuxMuxerFactory
} from './muxer/yamux/index.js'
export { PushQueue, QueueEndedError } from './stream/push-queue.js'
export { duplexPair, PipeClosedError } from './stream/duplex-pair.js'
export { encodeLengthPrefixed, writeLengthPrefixed, readLengthPrefixed } from './stream/length-prefixed.js'
// The Noise channel's InvalidSignatureError is a NoiseHandshakeError; the records' one above is not.
// Both carry the name 'InvalidSignatureError'; the Noise class is exported under a distinct binding.
export {
  noise, type NoiseInit, type NoiseSecuredConnection,
  NOISE_PROTOCOL_ID, HANDSHAKE_TIMEOUT_MS, MAX_NOISE_MESSAGE_LENGTH, MAX_PLAINTEXT_LENGTH,
  NoiseHandshakeError, UnexpectedPeerError, InvalidSignatureError as NoiseInvalidSignatureError, NoCommonMuxerError,
  NoiseHandshakeTimeoutError, NoiseHandshakeAbortedError, NoiseDecryptionError, NonceExhaustedError, TruncatedFrameError
} from './connection-encrypter/noise/index.js'
export { MemoryPeerStore, PeerStoreLimitError, type PeerStore, type Peer, type PeerData, type Address, type Tag } from './peer-store/index.js'
export {
  PING_PROTOCOL, IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL, PERF_PROTOCOL, DEFAULT_AGENT_VERSION,
  identifyService, pingService, perfService,
  type IdentifyService, type IdentifyOptions, type PingService, type PerfService
} from './protocols/index.js'
export { kadDht } from './dht/service.js'
export type { IdentifyResult } from './protocols/identify/types.js'
export type { PerfOptions, PerfResult } from './protocols/perf/client.js'
