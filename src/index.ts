/**
 * wasp2p: libp2p with WebAssembly hot paths, one package for Node and browsers.
 */
export * as crypto from './crypto/index.js'
// What a browser bundle carries only when asked (README, "Browser bundle size"): the pure-JS curves, the other key types, the kernels' scalar WASM builds.
export { enableCurveFallback, nobleCurves, CurveUnavailableError, type CurveFallback } from './crypto/curves/index.js'
export { enableKeyTypes, enabledKeyTypes, secp256k1Keys, ecdsaKeys, rsaKeys, type KeyTypeSupport } from './keys/index.js'
export { enableScalarKernels, type ScalarKernels } from './wasm/scalar.js'
export { scalarKernels } from './wasm/generated/scalar-kernels.js'
export { activeBackend } from './crypto/backends.js'
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
// --- branch faults: shedding stalled pending upgrades ---
export { PENDING_UPGRADE_STALL_MS, PENDING_SLOTS_RESERVED_FOR_REMOTE, PendingUpgradeShedError, type InboundShed } from './connection-manager/index.js'
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
// --- circuit relay v2 (branch relay) ---
export * as relay from './relay/index.js'
export { circuitRelayServer, circuitRelayTransport } from './relay/index.js'
export * as holePunch from './dcutr/index.js'
export { dcutr } from './dcutr/index.js'
export {
  ResourceManager, ResourceLimitError, type ResourceLimits, type ResourceUsage, type ScopeUsage, type ResourceObserver, type StreamMeter,
  MAX_CONNECTIONS_PER_PEER, MAX_STREAMS as MAX_NODE_STREAMS, MAX_STREAMS_PER_PEER, MAX_STREAMS_PER_PROTOCOL,
  MAX_MEMORY_PER_CONNECTION, MAX_MEMORY_PER_PEER, MAX_MEMORY
} from './resources/index.js'
export { metrics, MetricsService, valueOf, PROMETHEUS_CONTENT_TYPE, type MetricsOptions, type MetricsSnapshot } from './metrics/index.js'
export type { NodeObserver } from './node/observer.js'
// --- WebRTC browser-to-browser (branch webrtc) ---
export * as webrtc from './transport/webrtc/index.js'
export { webRTC, webRTCSupported } from './transport/webrtc/index.js'
export { UnsupportedTransportError } from './transport/errors.js'
export {
  gossipsub, Gossipsub, MAX_RPC_SIZE, RpcTooLargeError, InvalidRpcError, InvalidMessageError, PubSubUsageError, InvalidScoreParamsError,
  type GossipsubOptions, type MessageEvent as PubSubMessageEvent, type PubSubMessage, type TopicValidator, type ValidationResult, type SubscriptionChangeDetail
} from './pubsub/index.js'
export type { IdentifyResult } from './protocols/identify/types.js'
export type { PerfOptions, PerfResult } from './protocols/perf/client.js'
// --- discovery and persistence (issue 13): mDNS, the DNS codec, datastores, key files, known peers ---
export {
  mdns, MdnsDiscovery, mdnsSupported, MdnsSocketError, MdnsUnsupportedError,
  MDNS_GROUP, MDNS_PORT, MDNS_SERVICE_NAME, MDNS_QUERY_INTERVAL_MS, MDNS_RECORD_TTL_S, MDNS_MIN_RESPONSE_INTERVAL_MS,
  MDNS_MAX_ANNOUNCED_ADDRS, MDNS_MAX_DISCOVERED_ADDRS, MDNS_MAX_PEERS_PER_RESPONSE, MDNS_MAX_ADDRESS_TTL_MS, MDNS_DIAL_COOLDOWN_MS, MDNS_MAX_DISCOVERIES_PER_SECOND,
  type MdnsOptions, type PeerDiscoveryDetail, type MdnsStats
} from './discovery/mdns/index.js'
export {
  decodeDnsMessage, encodeDnsMessage, txtData, txtStrings, DnsType, MAX_DNS_MESSAGE_SIZE, MAX_DNS_RECORDS, MAX_DNS_POINTER_JUMPS,
  DnsMessageError, DnsTruncatedError, DnsCompressionError, DnsLimitError, DnsFormatError,
  resolveDnsaddr, dohTxtResolver, systemTxtResolver, DnsResolveError, DnsResolverUnavailableError, DnsaddrLimitError,
  DNSADDR_MAX_DEPTH, DNSADDR_MAX_LOOKUPS, DNSADDR_MAX_ADDRS,
  type DnsMessage, type DnsQuestion, type DnsRecord, type TxtResolver, type DnsaddrOptions
} from './dns/index.js'
export {
  MemoryDatastore, IndexedDbDatastore, openPersistentDatastore, persistentDatastoreKind,
  DatastoreClosedError, DatastoreUnavailableError, InvalidDatastoreEntryError,
  type Datastore, type DatastoreEntry, type DatastoreQuery
} from './datastore/index.js'
export { PersistentPeerStore, CorruptPeerRecordError, PEER_STORE_PREFIX, type PersistentPeerStoreOptions } from './peer-store/index.js'
export {
  savePrivateKey, loadPrivateKey, loadOrCreatePrivateKey, keyFilesSupported, KEY_FILE_MODE,
  InsecureKeyFileError, InvalidKeyFileError, KeyFileUnsupportedError
} from './keys/file.js'
export { loadOrCreateStoredPrivateKey, PRIVATE_KEY_DATASTORE_KEY } from './keys/stored.js'
export { knownPeers, reconnectKnownPeers, KNOWN_PEERS_MAX_DIALS, KNOWN_PEERS_CONCURRENCY, type KnownPeersOptions } from './node/known-peers.js'
// NAT traversal: the address manager and AutoNAT v2 (src/addresses, src/autonat).
export {
  AddressManager, OBSERVED_ADDR_CONFIRMATIONS, MAX_OBSERVED_CANDIDATES, isPublicAddress,
  type AddressInfo, type AddressSource, type AddressesOptions, type Reachability
} from './addresses/index.js'
export {
  autonatV2, AUTONAT_CONFIRMATIONS, DIAL_REQUEST_PROTOCOL as AUTONAT_DIAL_REQUEST_PROTOCOL, DIAL_BACK_PROTOCOL as AUTONAT_DIAL_BACK_PROTOCOL,
  AutonatMessageError, AutonatMessageTooLargeError, AutonatAddressCountError, AutonatDialDataFloodError,
  AutonatDialDataLimitError, AutonatRateLimitError, AutonatNonceMismatchError, AutonatTimeoutError,
  type AutonatOptions, type AutonatService, type ReachabilityEvent, type DialCheck
} from './autonat/index.js'
