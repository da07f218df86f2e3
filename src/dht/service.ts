/**
 * `node.dht`: the DHT as a node's users see it (issue 7 API). Wraps KadDht with PeerIds,
 * multiaddrs and CIDs instead of raw bytes, picks the mode, joins the network through
 * bootstrap peers, and republishes what this node put or provides before it expires
 * elsewhere (kad-dht spec "Value storage" and "Content provider advertisement").
 *
 * Routing-table entries come from bootstrap peers, from peers that answer our requests,
 * from peers that query us and pass a probe (kad-dht.ts), and — on a node that emits
 * `peer:identify` — from identify results that list our protocol.
 *
 * Modes (spec "Client and server mode"): `server` answers `/ipfs/kad/1.0.0`; `client`
 * only queries; `auto` is server when, once started, the node has a listen address
 * (until AutoNAT exists, having a listener is taken to mean others can dial it — pass
 * `client` explicitly for a node behind NAT).
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { CID } from 'multiformats/cid'
import { multiaddr, withoutPeerId } from '../multiaddr/index.js'
import { peerIdFromMultihash, peerIdFromString } from '../peer-id/index.js'
import type { PeerId } from '../peer-id/types.js'
import { mapKeyOf } from './contact.js'
import { type DhtHost, KadDht, type KadDhtOptions } from './kad-dht.js'
import type { DhtPeer } from './message.js'
import type { GetValueOptions, OperationOptions } from './operations.js'
import { PROVIDER_TTL_MS } from './provider-store.js'
import type { LookupEvent } from './query.js'
import { RECORD_TTL_MS } from './record-store.js'
import type { ServiceFactory } from '../node/service.js'
import type { Selector, Validator } from './validators.js'

/**
 * Republish period of records put through this node: 12 h, a third of RECORD_TTL_MS
 * (36 h), so a record survives two missed runs before peers drop it.
 */
export const RECORD_REPUBLISH_INTERVAL_MS = RECORD_TTL_MS / 3

/**
 * Republish period of our provider records: 22 h, under PROVIDER_TTL_MS (48 h), go-libp2p's
 * and js-libp2p's value.
 */
export const PROVIDER_REPUBLISH_INTERVAL_MS = Math.min(22 * 3600_000, PROVIDER_TTL_MS / 2)

/** Time the initial bootstrap lookup may take before `start` gives up waiting: 10 s. */
export const BOOTSTRAP_TIMEOUT_MS = 10_000

/** Records and provider keys this node republishes: 10,000 each; more puts throw RangeError. */
export const MAX_REPUBLISHED = 10_000

export type DhtMode = 'client' | 'server' | 'auto'

export interface DhtOptions {
  /** Default 'auto'. */
  mode?: DhtMode
  /** Protocol id, default `/ipfs/kad/1.0.0`. */
  protocol?: string
  /** Validators by namespace (`'test'` for `/test/…` keys), in addition to the built-in `pk`. */
  validators?: Record<string, Validator>
  /** Selectors by namespace, in addition to the built-in `pk`. */
  selectors?: Record<string, Selector>
  /** Multiaddrs with `/p2p/<id>` of DHT servers to join through. */
  bootstrap?: string[]
  k?: number
  alpha?: number
  requestTimeoutMs?: number
  queryTimeoutMs?: number
  /** Bucket refresh period, default REFRESH_INTERVAL_MS; 0 disables it. */
  refreshIntervalMs?: number
  /** Default RECORD_REPUBLISH_INTERVAL_MS; 0 disables it. */
  recordRepublishIntervalMs?: number
  /** Default PROVIDER_REPUBLISH_INTERVAL_MS; 0 disables it. */
  providerRepublishIntervalMs?: number
  /** Advanced knobs passed through to KadDht (rate limits, inbound learning). */
  kad?: Pick<KadDhtOptions, 'rateLimit' | 'learnFromInbound' | 'reuseStreams'>
}

/** What `node.dht` needs from the node: a DhtHost with PeerId and Multiaddr types. */
export interface DhtNode {
  readonly peerId: PeerId
  handle: DhtHost['handle']
  unhandle: DhtHost['unhandle']
  dialProtocol: (target: string, protocol: string, options?: { signal?: AbortSignal }) => Promise<import('../stream/types.js').Stream>
  getMultiaddrs: () => Multiaddr[]
  /** A node that dispatches `peer:identify` (detail: the identify result) lets the DHT learn servers from it. */
  addEventListener?: (type: 'peer:identify', listener: (event: Event) => void) => void
  removeEventListener?: (type: 'peer:identify', listener: (event: Event) => void) => void
}

/** The part of an identify result the DHT reads. */
interface IdentifiedPeer {
  peerId: PeerId
  protocols: string[]
  listenAddrs: Multiaddr[]
}

export interface PeerInfo {
  id: PeerId
  multiaddrs: Multiaddr[]
}

export interface QueryOptions {
  signal?: AbortSignal
  /** Progress of the iterative lookup: each request sent, answered or failed. */
  onProgress?: (event: LookupEvent) => void
}

/** A CID, or the bytes of a multihash/CID. Provider records are keyed by the multihash (as js-libp2p does). */
export type ProviderKey = CID | Uint8Array

function providerKeyOf (cid: ProviderKey): Uint8Array {
  return cid instanceof Uint8Array ? cid : cid.multihash.bytes
}

function peerIdOf (peer: PeerId | string | Uint8Array): PeerId {
  if (typeof peer === 'string') return peerIdFromString(peer)
  if (peer instanceof Uint8Array) return peerIdFromMultihash(peer)
  return peer
}

function infoOf (peer: DhtPeer): PeerInfo {
  const multiaddrs: Multiaddr[] = []
  for (const bytes of peer.addrs) {
    try { multiaddrs.push(multiaddr(bytes)) } catch { /* an address we cannot parse is of no use */ }
  }
  return { id: peerIdFromMultihash(peer.id), multiaddrs }
}

function queryOptions (options: QueryOptions): OperationOptions {
  return {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress })
  }
}

export class DhtService {
  readonly #node: DhtNode
  readonly #options: DhtOptions
  #kad: KadDht | undefined
  readonly #records = new Map<string, { key: Uint8Array, value: Uint8Array }>()
  readonly #provided = new Map<string, Uint8Array>()
  readonly #timers: Array<ReturnType<typeof setInterval>> = []
  /**
   * Identify told us a peer's protocols: one that serves ours is a DHT server and enters
   * the routing table (spec "Client and server mode"), with the listen addresses it sent.
   */
  readonly #onIdentify = (event: Event): void => {
    const kad = this.#kad
    const detail = (event as CustomEvent<IdentifiedPeer>).detail
    if (kad === undefined || detail?.protocols?.includes(kad.protocol) !== true) return
    const addrs = detail.listenAddrs.map(a => withoutPeerId(a).bytes)
    if (addrs.length > 0) kad.addPeer(detail.peerId.multihash, addrs).catch(() => {})
  }

  constructor (node: DhtNode, options: DhtOptions = {}) {
    this.#node = node
    this.#options = options
  }

  /** The Kademlia engine (routing table, stores); undefined before start. */
  get kad (): KadDht | undefined { return this.#kad }

  /** The mode in effect: 'server' or 'client' ('auto' resolved at start). */
  get mode (): 'client' | 'server' | undefined {
    return this.#kad === undefined ? undefined : (this.#kad.isServer ? 'server' : 'client')
  }

  /**
   * Creates the engine once the node listens (so 'auto' can see its addresses), registers
   * the handler in server mode, starts the timers, and joins through the bootstrap peers
   * (resolves when the first self-lookup ends or after BOOTSTRAP_TIMEOUT_MS).
   */
  async afterStart (): Promise<void> {
    if (this.#kad !== undefined) return
    const o = this.#options
    const mode = o.mode ?? 'auto'
    const server = mode === 'server' || (mode === 'auto' && this.#node.getMultiaddrs().length > 0)
    const node = this.#node
    const host: DhtHost = {
      peerId: node.peerId,
      handle: (protocol, handler) => { node.handle(protocol, handler) },
      unhandle: protocol => { node.unhandle(protocol) },
      dialProtocol: async (target, protocol, options) => await node.dialProtocol(target, protocol, options),
      // Addresses go on the wire without /p2p: the peer id travels next to them.
      getMultiaddrs: () => node.getMultiaddrs().map(a => withoutPeerId(a))
    }
    this.#kad = new KadDht(host, {
      clientMode: !server,
      rules: { validators: { ...o.validators }, selectors: { ...o.selectors } },
      ...(o.protocol === undefined ? {} : { protocol: o.protocol }),
      ...(o.k === undefined ? {} : { k: o.k }),
      ...(o.alpha === undefined ? {} : { alpha: o.alpha }),
      ...(o.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: o.requestTimeoutMs }),
      ...(o.queryTimeoutMs === undefined ? {} : { queryTimeoutMs: o.queryTimeoutMs }),
      ...(o.refreshIntervalMs === undefined ? {} : { refreshIntervalMs: o.refreshIntervalMs }),
      ...o.kad
    })
    this.#kad.start()
    this.#node.addEventListener?.('peer:identify', this.#onIdentify)
    const every = (ms: number, fn: () => Promise<void>): void => {
      if (ms > 0) this.#timers.push(setInterval(() => { fn().catch(() => {}) }, ms))
    }
    every(o.recordRepublishIntervalMs ?? RECORD_REPUBLISH_INTERVAL_MS, async () => { await this.republishRecords() })
    every(o.providerRepublishIntervalMs ?? PROVIDER_REPUBLISH_INTERVAL_MS, async () => { await this.republishProviders() })
    if ((o.bootstrap ?? []).length > 0) await this.bootstrap(o.bootstrap!)
  }

  /** Stops timers and the engine; queries in flight fail. */
  stop (): void {
    for (const timer of this.#timers.splice(0)) clearInterval(timer)
    this.#node.removeEventListener?.('peer:identify', this.#onIdentify)
    this.#kad?.stop()
  }

  #engine (): KadDht {
    if (this.#kad === undefined) throw new Error('the DHT is not started')
    return this.#kad
  }

  /** Adds DHT servers by multiaddr (with /p2p/) and runs a self-lookup through them. */
  async bootstrap (addrs: string[], options: QueryOptions = {}): Promise<void> {
    const kad = this.#engine()
    for (const addr of addrs) {
      const ma = multiaddr(addr)
      const id = ma.getComponents().find(c => c.name === 'p2p')?.value
      if (id === undefined) throw new TypeError(`bootstrap address ${addr} has no /p2p/<id>`)
      const peer = peerIdFromString(id)
      if (peer.equals(this.#node.peerId)) continue
      await kad.addPeer(peer.multihash, [withoutPeerId(ma).bytes])
    }
    const signal = options.signal ?? AbortSignal.timeout(BOOTSTRAP_TIMEOUT_MS)
    await kad.getClosestPeers(this.#node.peerId.multihash, { ...queryOptions(options), signal }).catch(() => {})
  }

  /** One routing-table refresh run (self-lookup plus stale buckets). */
  async refresh (options: QueryOptions = {}): Promise<void> {
    await this.#engine().refresh(queryOptions(options))
  }

  /** The peer's addresses, from the routing table or a lookup. Throws NotFoundError. */
  async findPeer (peer: PeerId | string, options: QueryOptions = {}): Promise<PeerInfo> {
    return infoOf(await this.#engine().findPeer(peerIdOf(peer).multihash, queryOptions(options)))
  }

  /** The k peers closest to `key` that answered, nearest first. */
  async * getClosestPeers (key: Uint8Array | PeerId, options: QueryOptions = {}): AsyncGenerator<PeerId> {
    const bytes = key instanceof Uint8Array ? key : key.multihash
    for (const peer of await this.#engine().getClosestPeers(bytes, queryOptions(options))) yield peerIdFromMultihash(peer.id)
  }

  /** Stores the record here and at the k closest peers; remembered for republishing. */
  async put (key: Uint8Array, value: Uint8Array, options: QueryOptions = {}): Promise<void> {
    const id = mapKeyOf(key)
    if (!this.#records.has(id) && this.#records.size >= MAX_REPUBLISHED) throw new RangeError(`more than MAX_REPUBLISHED (${MAX_REPUBLISHED}) records`)
    await this.#engine().put(key, value, queryOptions(options))
    this.#records.set(id, { key, value })
  }

  /** The best valid value (by the namespace's selector). Throws NotFoundError. */
  async get (key: Uint8Array, options: QueryOptions & { quorum?: number } = {}): Promise<Uint8Array> {
    const o: GetValueOptions = { ...queryOptions(options), ...(options.quorum === undefined ? {} : { quorum: options.quorum }) }
    return (await this.#engine().get(key, o)).value
  }

  /** Announces this node as a provider of `cid` to the k closest peers; remembered for republishing. */
  async provide (cid: ProviderKey, options: QueryOptions = {}): Promise<void> {
    const key = providerKeyOf(cid)
    const id = mapKeyOf(key)
    if (!this.#provided.has(id) && this.#provided.size >= MAX_REPUBLISHED) throw new RangeError(`more than MAX_REPUBLISHED (${MAX_REPUBLISHED}) provider keys`)
    await this.#engine().provide(key, queryOptions(options))
    this.#provided.set(id, key)
  }

  /** Providers of `cid` (ours first), each once. */
  async * findProviders (cid: ProviderKey, options: QueryOptions & { maxProviders?: number } = {}): AsyncGenerator<PeerInfo> {
    const o = { ...queryOptions(options), ...(options.maxProviders === undefined ? {} : { maxProviders: options.maxProviders }) }
    for (const peer of await this.#engine().findProviders(providerKeyOf(cid), o)) yield infoOf(peer)
  }

  /** Puts every record this node put again (the timer's job; callable for tests). */
  async republishRecords (options: QueryOptions = {}): Promise<void> {
    for (const { key, value } of [...this.#records.values()]) await this.#engine().put(key, value, queryOptions(options)).catch(() => {})
  }

  /** Provides every key this node provides again. */
  async republishProviders (options: QueryOptions = {}): Promise<void> {
    for (const key of [...this.#provided.values()]) await this.#engine().provide(key, queryOptions(options)).catch(() => {})
  }
}

/**
 * The DHT as a node service: `services: { dht: kadDht({ mode: 'server' }) }`, then
 * `node.dht` (or `node.services.dht`). It needs identify, whose results teach the
 * routing table which peers are DHT servers; it joins after the node listens.
 */
export function kadDht (options: DhtOptions = {}): ServiceFactory<DhtService> {
  return { needs: ['identify'], create: host => new DhtService(host, options) }
}
