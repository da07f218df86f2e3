/**
 * wasp2p Kademlia DHT core (kad-dht spec, ../shared/specs/libp2p/kad-dht/README.md):
 * the XOR metric on a WASM kernel, the k-bucket routing table, the RPC messages and
 * their framing, the iterative lookup over an abstract `sendRequest`, the request
 * handler, and the record and provider stores; KadDht runs them on a node's streams and
 * DhtService is `node.dht`, the API users call (`services: { dht: kadDht({…}) }`).
 */
export { PROTOCOL_ID, K, ALPHA, KEYSPACE_BITS } from './constants.js'
export { type Contact, contactOf, contactsOf, kadKey } from './contact.js'
export {
  xorDistance, compareDistance, commonPrefixLength, closestIndices, xorBackend,
  KeyTable, KeyTableFullError, KEY_BYTES, MAX_TABLE_KEYS
} from './xor/index.js'
export {
  RoutingTable, type RoutingTableOptions, type AddResult, type LivenessCheck,
  REPLACEMENT_CACHE_SIZE, LIVENESS_TIMEOUT_MS, REFRESH_INTERVAL_MS, MAX_REFRESH_BUCKET, MAX_RANDOM_ID_ATTEMPTS
} from './routing-table.js'
export { randomIdInBucket, RandomIdExhaustedError } from './refresh.js'
export {
  MessageType, ConnectionType, type DhtMessage, type DhtPeer, type DhtRecord, DhtMessageError,
  dhtMessage, encodeMessage, decodeMessage, encodeRecord, decodeRecord,
  MAX_MESSAGE_BYTES, MAX_PEERS_PER_LIST, MAX_ADDRS_PER_PEER, MAX_KEY_BYTES, MAX_ADDR_BYTES, MAX_PEER_ID_BYTES, MAX_TIME_RECEIVED_CHARS
} from './message.js'
export {
  lookup, type LookupOptions, type LookupResult, type LookupEvent, type LookupPeer, type SendRequest,
  QueryTimeoutError, QueryAbortedError, NoResponseError, REQUEST_TIMEOUT_MS, QUERY_TIMEOUT_MS, MAX_LOOKUP_CANDIDATES
} from './query.js'
export { handleRequest, DhtRequestError, type DhtServer, type AddressedContact } from './handler.js'
export { frameMessage, readMessage, requestOverStream, serveStream, MAX_REQUESTS_PER_STREAM, INBOUND_REQUEST_TIMEOUT_MS, DhtStreamTimeoutError } from './rpc.js'
export { RecordStore, RecordStoreFullError, type RecordStoreOptions, RECORD_TTL_MS, MAX_RECORDS, MAX_RECORD_VALUE_BYTES } from './record-store.js'
export {
  ProviderStore, ProviderStoreFullError, type ProviderStoreOptions,
  PROVIDER_TTL_MS, PROVIDER_ADDRS_TTL_MS, MAX_PROVIDERS_PER_KEY, MAX_PROVIDER_KEYS
} from './provider-store.js'
export {
  InvalidRecordError, type Validator, type Selector, type RecordRules,
  recordRules, validateRecord, selectRecord, namespaceOf, publicKeyValidator, publicKeySelector
} from './validators.js'
export {
  getClosestPeers, findPeer, putValue, getValue, provide, findProviders, NotFoundError,
  type DhtContext, type OperationOptions, type GetValueOptions, type GetValueResult, type FindProvidersOptions,
  DEFAULT_QUORUM, DEFAULT_MAX_PROVIDERS
} from './operations.js'
export { KadDht, type DhtHost, type KadDhtOptions, PROBE_COOLDOWN_MS, MAX_PROBED_PEERS, MAX_CONCURRENT_PROBES, PROBE_TIMEOUT_MS } from './kad-dht.js'
export { StreamPool, type OpenStream, POOLED_STREAM_IDLE_MS, MAX_POOLED_STREAMS } from './stream-pool.js'
export { InboundRateLimiter, DhtRateLimitError, type RateLimiterOptions, INBOUND_REQUEST_BURST, INBOUND_REQUESTS_PER_SECOND, MAX_RATE_LIMITED_PEERS } from './rate-limit.js'
export {
  DhtService, kadDht, type DhtOptions, type DhtMode, type DhtNode, type PeerInfo, type QueryOptions, type ProviderKey,
  RECORD_REPUBLISH_INTERVAL_MS, PROVIDER_REPUBLISH_INTERVAL_MS, BOOTSTRAP_TIMEOUT_MS, MAX_REPUBLISHED
} from './service.js'
