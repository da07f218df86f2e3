/**
 * A Kademlia DHT service on a libp2p node (kad-dht spec): answers `/ipfs/kad/1.0.0`
 * streams in server mode, sends requests by dialing the protocol, keeps the routing
 * table from what requests teach (a peer that answers a DHT request is a DHT server and
 * enters the table; one that fails leaves it), and refreshes buckets periodically
 * (spec "Bootstrap process").
 *
 * Peers that query us are probed before they may enter the table (spec "Client and
 * server mode": clients must not): on the first inbound request from a peer not in the
 * table we send it a FIND_NODE for its own id over the same connection. A server answers
 * with itself and its listen addresses (the inbound connection's remote address is an
 * ephemeral port, useless to others); a client cannot open the protocol and stays out.
 * Inbound requests are rate limited per peer (rate-limit.ts).
 *
 * The node is reached through `DhtHost`, a structural interface the wasp2p node
 * satisfies; nothing here opens sockets itself.
 */
import { peerIdFromMultihash } from '../peer-id/index.js'
import { multiaddr } from '../multiaddr/index.js'
import type { Stream } from '../stream/types.js'
import { PROTOCOL_ID } from './constants.js'
import { contactOf, mapKeyOf } from './contact.js'
import type { AddressedContact, DhtServer } from './handler.js'
import { dhtMessage, MessageType, type DhtMessage, type DhtPeer } from './message.js'
import {
  type DhtContext, findPeer, findProviders, getClosestPeers, getValue, putValue, provide,
  type FindProvidersOptions, type GetValueOptions, type GetValueResult, type OperationOptions
} from './operations.js'
import { ProviderStore } from './provider-store.js'
import type { LookupPeer, SendRequest } from './query.js'
import { RecordStore } from './record-store.js'
import { randomIdInBucket } from './refresh.js'
import { type AddResult, REFRESH_INTERVAL_MS, RoutingTable } from './routing-table.js'
import { InboundRateLimiter, type RateLimiterOptions } from './rate-limit.js'
import { requestOverStream, serveStream } from './rpc.js'
import { StreamPool } from './stream-pool.js'
import type { RecordRules } from './validators.js'

/** What the DHT needs from its node. */
export interface DhtHost {
  readonly peerId: { readonly multihash: Uint8Array }
  handle: (protocol: string, handler: (stream: Stream, connection: { readonly remotePeer: { readonly multihash: Uint8Array } }) => void | Promise<void>) => void
  unhandle: (protocol: string) => void
  /** Opens a stream for `protocol` to the address (a multiaddr string ending in /p2p/<id>). */
  dialProtocol: (target: string, protocol: string, options?: { signal?: AbortSignal }) => Promise<Stream>
  getMultiaddrs: () => Array<{ readonly bytes: Uint8Array }>
}

export interface KadDhtOptions {
  /** Client mode: query the DHT but answer no requests (spec "Client and server mode"). Default false. */
  clientMode?: boolean
  k?: number
  alpha?: number
  requestTimeoutMs?: number
  queryTimeoutMs?: number
  /** Record validators and selectors beyond the built-in `/pk/`. */
  rules?: RecordRules
  /** Bucket refresh period, default REFRESH_INTERVAL_MS; 0 disables the timer (call `refresh()`). */
  refreshIntervalMs?: number
  /** Protocol id, default PROTOCOL_ID; a private network uses its own prefix (`/myapp/kad/1.0.0`). */
  protocol?: string
  /** Per-peer inbound request limits (defaults in rate-limit.ts). */
  rateLimit?: RateLimiterOptions
  /** Probe peers that query us and add the servers among them; default true. */
  learnFromInbound?: boolean
  /**
   * Send further requests on an idle stream to the same peer (stream-pool.ts); default
   * false: on this machine it did not measurably shorten lookups, and whether every
   * implementation serves several requests per stream is not established.
   */
  reuseStreams?: boolean
  /** Value records, e.g. `await RecordStore.open(datastore)` to persist them; default a new in-memory store. */
  records?: RecordStore
  /** Provider records, e.g. `await ProviderStore.open(datastore)`; default a new in-memory store. */
  providers?: ProviderStore
}

/**
 * How long after probing a peer that query us we probe it again: 60 s. A client queries
 * often; without this every query of its would cost us a request back.
 */
export const PROBE_COOLDOWN_MS = 60_000

/** Peers remembered as recently probed: 4,096 (oldest forgotten first), bounding memory. */
export const MAX_PROBED_PEERS = 4096

/** Probes in flight at once: 16. A burst of new peers must not turn into a burst of dials. */
export const MAX_CONCURRENT_PROBES = 16

/** Time a probe may take: 5 s. */
export const PROBE_TIMEOUT_MS = 5_000

function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export class KadDht {
  readonly routingTable: RoutingTable<AddressedContact>
  readonly records: RecordStore
  readonly providers: ProviderStore
  readonly #host: DhtHost
  readonly #options: KadDhtOptions
  readonly #context: DhtContext
  #timer: ReturnType<typeof setInterval> | undefined
  #started = false
  readonly #protocol: string
  readonly #limiter: InboundRateLimiter
  readonly #probed = new Map<string, number>()
  #probing = 0
  readonly #stopController = new AbortController()
  readonly #pool = new StreamPool()
  /** Inbound streams being served: stop() ends them, so a stopped server answers nothing. */
  readonly #serving = new Set<Stream>()

  constructor (host: DhtHost, options: KadDhtOptions = {}) {
    this.#host = host
    this.#options = options
    this.#protocol = options.protocol ?? PROTOCOL_ID
    this.#limiter = new InboundRateLimiter(options.rateLimit)
    const self = contactOf(host.peerId.multihash)
    this.routingTable = new RoutingTable<AddressedContact>(self.key, {
      ...(options.k === undefined ? {} : { k: options.k }),
      // Liveness without the deprecated PING: a FIND_NODE for ourselves.
      ping: async (contact, signal) => {
        await this.#send(contact, dhtMessage({ type: MessageType.FIND_NODE, key: host.peerId.multihash }), signal)
        return true
      }
    })
    this.records = options.records ?? new RecordStore(options.rules === undefined ? {} : { rules: options.rules })
    this.providers = options.providers ?? new ProviderStore()
    const sendRequest: SendRequest = async (peer, message, signal) => await this.#sendAndLearn(peer, message, signal)
    this.#context = {
      selfId: host.peerId.multihash,
      routingTable: this.routingTable,
      records: this.records,
      providers: this.providers,
      sendRequest,
      ...(options.k === undefined ? {} : { k: options.k }),
      ...(options.alpha === undefined ? {} : { alpha: options.alpha }),
      ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
      ...(options.queryTimeoutMs === undefined ? {} : { queryTimeoutMs: options.queryTimeoutMs })
    }
  }

  /** Registers the protocol handler (server mode) and the refresh timer. */
  start (): void {
    if (this.#started) return
    this.#started = true
    if (this.#options.clientMode !== true) {
      const host = this.#host
      const server: DhtServer = {
        routingTable: this.routingTable,
        records: this.records,
        providers: this.providers,
        ...(this.#options.k === undefined ? {} : { k: this.#options.k }),
        get self () { return { id: host.peerId.multihash, addrs: host.getMultiaddrs().map(a => a.bytes) } }
      }
      const learn = this.#options.learnFromInbound !== false
      host.handle(this.#protocol, (stream, connection) => {
        const from = connection.remotePeer.multihash
        if (learn) this.#maybeProbe(from)
        // Errors already reset the stream; nothing more to do with them here.
        this.#serving.add(stream)
        serveStream(stream, server, from, undefined, () => this.#limiter.take(from))
          .catch(() => {})
          .finally(() => { this.#serving.delete(stream) })
      })
    }
    const interval = this.#options.refreshIntervalMs ?? REFRESH_INTERVAL_MS
    if (interval > 0) this.#timer = setInterval(() => { this.refresh().catch(() => {}) }, interval)
  }

  /** Unregisters the handler, stops the timer and liveness checks. Final: make a new KadDht to restart. */
  stop (): void {
    if (!this.#started) return
    this.#started = false
    clearInterval(this.#timer)
    this.#stopController.abort(new Error('DHT stopped'))
    this.#pool.close()
    for (const stream of this.#serving) stream.abort(new Error('DHT stopped'))
    this.#serving.clear()
    if (this.#options.clientMode !== true) this.#host.unhandle(this.#protocol)
    this.routingTable.close()
  }

  /** Adds a peer known to serve the DHT (a bootstrap peer, or identify listed the protocol). */
  async addPeer (id: Uint8Array, addrs: Uint8Array[]): Promise<AddResult> {
    return await this.routingTable.add({ ...contactOf(id), addrs })
  }

  /** One refresh run: a lookup of our own id, then one per bucket due a refresh. */
  async refresh (options: OperationOptions = {}): Promise<void> {
    await getClosestPeers(this.#context, this.#host.peerId.multihash, options)
    for (const index of this.routingTable.bucketsNeedingRefresh()) {
      await getClosestPeers(this.#context, randomIdInBucket(this.routingTable.self, index), options)
      this.routingTable.markRefreshed(index)
    }
  }

  async getClosestPeers (key: Uint8Array, options?: OperationOptions): Promise<LookupPeer[]> { return await getClosestPeers(this.#context, key, options) }
  async findPeer (id: Uint8Array, options?: OperationOptions): Promise<DhtPeer> { return await findPeer(this.#context, id, options) }
  async put (key: Uint8Array, value: Uint8Array, options?: OperationOptions): Promise<LookupPeer[]> { return await putValue(this.#context, key, value, options) }
  async get (key: Uint8Array, options?: GetValueOptions): Promise<GetValueResult> { return await getValue(this.#context, key, options) }
  async provide (key: Uint8Array, options?: OperationOptions): Promise<LookupPeer[]> {
    return await provide(this.#context, key, this.#host.getMultiaddrs().map(a => a.bytes), options)
  }

  async findProviders (key: Uint8Array, options?: FindProvidersOptions): Promise<DhtPeer[]> { return await findProviders(this.#context, key, options) }

  /** The protocol id served and dialed. */
  get protocol (): string { return this.#protocol }

  /** Whether requests are answered (server mode). */
  get isServer (): boolean { return this.#options.clientMode !== true }

  /**
   * Probes a peer that queried us (see the header): FIND_NODE for its own id over the
   * connection it came on; the answer names its listen addresses.
   */
  #maybeProbe (id: Uint8Array): void {
    if (!this.#started || this.#probing >= MAX_CONCURRENT_PROBES) return
    const contact = contactOf(id)
    if (this.routingTable.has(contact.key)) return
    const mapKey = mapKeyOf(id)
    const now = Date.now()
    const last = this.#probed.get(mapKey)
    if (last !== undefined && now - last < PROBE_COOLDOWN_MS) return
    this.#probed.delete(mapKey)
    if (this.#probed.size >= MAX_PROBED_PEERS) this.#probed.delete(this.#probed.keys().next().value!)
    this.#probed.set(mapKey, now)
    this.#probing++
    const signal = AbortSignal.any([this.#stopController.signal, AbortSignal.timeout(PROBE_TIMEOUT_MS)])
    this.#send({ ...contact, addrs: [] }, dhtMessage({ type: MessageType.FIND_NODE, key: id }), signal)
      .then(response => {
        const self = response?.closerPeers.find(p => sameBytes(p.id, id))
        if (self === undefined || self.addrs.length === 0 || !this.#started) return
        void this.routingTable.add({ ...contact, addrs: self.addrs })
      })
      .catch(() => {}) // not a server, or gone: it stays out of the table
      .finally(() => { this.#probing-- })
  }

  /**
   * Sends a request; an answer makes the peer a routing-table contact, a failure removes it.
   * A request we aborted ourselves (the lookup had its answer, or the caller gave up) says
   * nothing about the peer: it stays.
   */
  async #sendAndLearn (peer: LookupPeer, message: DhtMessage, signal: AbortSignal): Promise<DhtMessage | undefined> {
    try {
      const response = await this.#send(peer, message, signal)
      if (response !== undefined && !sameBytes(peer.id, this.#host.peerId.multihash)) void this.routingTable.add(peer)
      return response
    } catch (err) {
      if (!signal.aborted) this.routingTable.remove(peer.key)
      throw err
    }
  }

  /** Dials the peer's addresses in turn (or by id alone when it has none) and runs one request. */
  async #send (peer: AddressedContact, message: DhtMessage, signal: AbortSignal): Promise<DhtMessage | undefined> {
    const id = peerIdFromMultihash(peer.id).toString()
    const targets = (peer.addrs ?? []).length === 0
      ? [`/p2p/${id}`]
      : (peer.addrs ?? []).map(bytes => `${multiaddr(bytes).toString().replace(/\/p2p\/[^/]+$/, '')}/p2p/${id}`)
    let lastError: unknown = new Error('no address to dial')
    for (const target of targets) {
      if (signal.aborted) break
      let opened = false
      const open = async (openSignal: AbortSignal): Promise<Stream> => {
        const stream = await this.#host.dialProtocol(target, this.#protocol, { signal: openSignal })
        opened = true
        return stream
      }
      try {
        if (this.#options.reuseStreams !== true) return await requestOverStream(await open(signal), message, signal)
        return await this.#pool.request(id, open, message, signal)
      } catch (err) {
        // A failure after the stream opened is the peer's answer; only dial failures try the next address.
        if (opened) throw err
        lastError = err
      }
    }
    throw signal.aborted ? signal.reason : lastError
  }
}
