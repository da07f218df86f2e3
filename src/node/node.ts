/**
 * The wasp2p node: an identity, transports with their listeners, the upgrader
 * (Noise + yamux by default), a registrar of protocol handlers with
 * per-protocol stream limits, the connection manager (limits, admission,
 * pruning, the dial queue, the gater), the address manager (what we announce:
 * src/addresses), the resource manager (what connections and streams hold, by
 * scope: src/resources), a peer store and bootstrap. Everything
 * else it runs (identify, ping, perf, the DHT, a user's own protocol) is a
 * service (./service.ts) that sees the node only as a ServiceHost; the
 * defaults are in ./default-services.ts. Events are dispatched on the node
 * itself (see ./events.ts).
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Connection, NewStreamOptions, StreamHandler } from '../connection/connection.js'
import { Upgrader } from '../connection/upgrader.js'
import { UpgradeTimeoutError } from '../connection/errors.js'
import type { ConnectionEncrypter } from '../connection-encrypter/types.js'
import { noise } from '../connection-encrypter/noise/index.js'
import { ConnectionManager, type ConnectionManagerOptions } from '../connection-manager/connection-manager.js'
import { DialQueue } from '../connection-manager/dial-queue.js'
import { enforce, type ConnectionGater } from '../connection-manager/gater.js'
import { generateKeyPair } from '../keys/index.js'
import type { PrivateKey } from '../keys/types.js'
import { yamux } from '../muxer/yamux/index.js'
import type { StreamMuxerFactory } from '../muxer/types.js'
import { getPeerIdFromMultiaddr, toMultiaddr, withPeerId, withoutPeerId } from '../multiaddr/index.js'
import { peerIdFromPrivateKey, peerIdFromString } from '../peer-id/index.js'
import type { PeerId } from '../peer-id/types.js'
import { MemoryPeerStore } from '../peer-store/memory.js'
import type { PeerStore } from '../peer-store/types.js'
import { perf, type PerfOptions, type PerfResult } from '../protocols/perf/client.js'
import { PERF_PROTOCOL } from '../protocols/perf/constants.js'
import type { Stream } from '../stream/types.js'
import { tcp, tcpSupported } from '../transport/tcp/index.js'
import { webSockets } from '../transport/websockets/websockets.js'
import { UnsupportedTransportError } from '../transport/errors.js'
import type { Listener, RawConnection, Transport } from '../transport/types.js'
import { BOOTSTRAP_TAG, BOOTSTRAP_TAG_VALUE, Bootstrapper, type BootstrapOptions } from './bootstrap.js'
import { Dialer, isPeerId } from './dialer.js'
import { NodeNotStartedError, ServiceDisabledError } from './errors.js'
import type { NodeEventName, NodeEvents } from './events.js'
import { Registrar, type HandleOptions } from './registrar.js'
import { defaultServices, type DefaultServices } from './default-services.js'
import type { DialTarget, ServiceFactories, ServiceFactory, ServiceHost, ServicesOf } from './service.js'
import { ServiceRunner } from './service-runner.js'
import type { DhtService } from '../dht/service.js'
import { AddressManager, type AddressesOptions } from '../addresses/address-manager.js'
import { ResourceManager, type ResourceLimits, type ResourceUsage } from '../resources/manager.js'
import type { MetricsService, MetricsSnapshot } from '../metrics/service.js'
import type { NodeObserver } from './observer.js'
import type { Gossipsub } from '../pubsub/gossipsub.js'
import { init as initKernels } from '../wasm/kernel.js'

export type { DialTarget } from './service.js'

export interface NodeOptions<F extends ServiceFactories = ServiceFactories> {
  /** Our identity; a fresh Ed25519 key if omitted. */
  privateKey?: PrivateKey
  /** Addresses to listen on, e.g. `/ip4/127.0.0.1/tcp/0`, `/ip4/127.0.0.1/tcp/0/ws`. */
  listen?: string[]
  /** What we announce beyond the listeners (`announce`, `noAnnounce`); see src/addresses/address-manager.ts. */
  addresses?: AddressesOptions
  /** Peers (multiaddrs, ideally with `/p2p/<id>`; `/dnsaddr/` links are resolved) dialed on start and re-dialed after loss. */
  bootstrap?: string[]
  /** Re-dial backoff of the bootstrap peers, and how `/dnsaddr/` entries resolve (`dnsaddr: { servers }`). */
  bootstrapBackoff?: BootstrapOptions
  /** Limits, allow/deny lists, dial queue and timeouts; see src/connection-manager/constants.ts. */
  connectionManager?: ConnectionManagerOptions
  /** Per-peer, per-protocol and node-wide stream, connection and memory limits; see src/resources/constants.ts. */
  resources?: ResourceLimits
  /** Functions consulted at each stage of a dial or an inbound connection; see src/connection-manager/gater.ts. */
  gater?: ConnectionGater
  /** Default: a new MemoryPeerStore. */
  peerStore?: PeerStore
  /**
   * Services by name, added to the defaults (identify, ping; ./default-services.ts):
   * `{ perf: perfService(), dht: kadDht({ mode: 'server' }), ping: false }`. A name
   * that is a default replaces it (`identify: identifyService({ agentVersion })`),
   * `false` removes it; `services: false` runs none of the defaults.
   */
  services?: F | false
  /** Default: TCP (Node only) and WebSockets. */
  transports?: Transport[]
  /** Default: Noise. */
  connectionEncrypters?: ConnectionEncrypter[]
  /** Default: yamux. */
  streamMuxers?: StreamMuxerFactory[]
  /** Offer muxers inside the security handshake; default true. */
  earlyMuxerNegotiation?: boolean
  /** Raw connection to ready Connection, per direction; default UPGRADE_TIMEOUT_MS. */
  upgradeTimeoutMs?: number
  /** Inbound: time to the dialer's multistream header; default INBOUND_HEADER_TIMEOUT_MS. */
  inboundHeaderTimeoutMs?: number
  /** Start (listen) before returning; default true. */
  start?: boolean
}

/** `node.resources()`: the resource manager's scopes plus the connection manager's view. */
export interface NodeResourceUsage extends ResourceUsage {
  /** Inbound connections in their upgrade (not yet charged to a peer). */
  pendingInbound: number
  connectionLimits: { maxConnections: number, maxInboundConnections: number, maxOutboundConnections: number, maxInboundPendingConnections: number }
}

/** The services a node made from `options.services` has: the defaults, then those named. */
export type NodeServices<F> = Omit<DefaultServices, keyof F> & ServicesOf<F>

function defaultTransports (): Transport[] {
  return tcpSupported ? [tcp(), webSockets()] : [webSockets()]
}

/** A PeerId or a multiaddr from any DialTarget (text starting with '/' is a multiaddr). */
function parseTarget (target: DialTarget): Multiaddr | PeerId {
  if (isPeerId(target)) return target
  if (typeof target === 'string' && !target.startsWith('/')) return peerIdFromString(target)
  return toMultiaddr(target)
}

/** The factories a node runs: the defaults unless `services: false`, then the options' own (`false` removes one). */
function serviceFactories (services: ServiceFactories | false | undefined): Map<string, ServiceFactory> {
  const factories = new Map<string, ServiceFactory>(services === false ? [] : Object.entries(defaultServices()))
  for (const [name, factory] of Object.entries(services === false ? {} : services ?? {})) {
    if (factory === false) factories.delete(name)
    else factories.set(name, factory)
  }
  return factories
}

export class Wasp2pNode<S extends object = DefaultServices> extends EventTarget {
  readonly peerId: PeerId
  readonly privateKey: PrivateKey
  readonly peerStore: PeerStore
  readonly connectionManager: ConnectionManager
  /** Listen, announce, observed and relay addresses, their reachability, and what we announce. */
  readonly addressManager: AddressManager
  readonly #transports: Transport[]
  readonly #listenAddrs: Multiaddr[]
  readonly #registrar = new Registrar()
  readonly #upgrader: Upgrader
  readonly #dialer: Dialer
  readonly #queue: DialQueue
  readonly #gater: ConnectionGater
  readonly #bootstrap: Bootstrapper
  readonly #runner: ServiceRunner
  /** What the node's connections and streams hold (src/resources); `resources()` shows it. */
  readonly resourceManager: ResourceManager
  readonly #observers = new Set<NodeObserver>()
  #listeners: Listener[] = []
  readonly #upgrading = new Set<RawConnection>()
  #started = false

  constructor (privateKey: PrivateKey, options: NodeOptions = {}) {
    super()
    this.privateKey = privateKey
    this.peerId = peerIdFromPrivateKey(privateKey)
    this.peerStore = options.peerStore ?? new MemoryPeerStore()
    this.#transports = [...(options.transports ?? defaultTransports())]
    this.#listenAddrs = (options.listen ?? []).map(a => toMultiaddr(a))
    this.#gater = options.gater ?? {}
    this.addressManager = new AddressManager(options.addresses ?? {}, {
      listenAddrs: () => this.#listeners.flatMap(l => l.getAddrs()),
      onChange: () => { this.#selfUpdated() }
    })
    this.addEventListener('peer:identify', event => {
      const result = (event as CustomEvent<NodeEvents['peer:identify']>).detail
      this.addressManager.addObserved(result.observedAddr, result.peerId)
    })
    this.resourceManager = new ResourceManager(options.resources, this.#observers)
    this.connectionManager = new ConnectionManager({
      ...(options.connectionManager !== undefined ? { options: options.connectionManager } : {}),
      tagValue: async peer => {
        let total = 0
        for (const tag of (await this.peerStore.get(peer))?.tags.values() ?? []) total += tag.value
        return total
      },
      onAdded: connection => { this.#onConnection(connection) }
    })
    const gater = this.#gater
    this.#upgrader = new Upgrader({
      privateKey,
      encrypters: options.connectionEncrypters ?? [noise()],
      muxers: options.streamMuxers ?? [yamux()],
      registry: this.#registrar,
      resources: this.resourceManager,
      ...(options.earlyMuxerNegotiation !== undefined ? { earlyMuxerNegotiation: options.earlyMuxerNegotiation } : {}),
      ...(options.upgradeTimeoutMs !== undefined ? { upgradeTimeoutMs: options.upgradeTimeoutMs } : {}),
      ...(options.inboundHeaderTimeoutMs !== undefined ? { inboundHeaderTimeoutMs: options.inboundHeaderTimeoutMs } : {}),
      gate: async (stage, direction, peer, raw) => {
        const what = `the ${direction} connection from ${peer.toString()}`
        if (stage === 'encrypted') {
          const deny = direction === 'inbound' ? gater.denyInboundEncryptedConnection : gater.denyOutboundEncryptedConnection
          await enforce(`${direction}-encrypted`, deny?.(peer, raw), what)
        } else {
          const deny = direction === 'inbound' ? gater.denyInboundUpgradedConnection : gater.denyOutboundUpgradedConnection
          await enforce(`${direction}-upgraded`, deny?.(peer, raw), what)
        }
      }
    })
    const cm = this.connectionManager.options
    this.#queue = new DialQueue({ concurrency: cm.maxDialConcurrency, maxQueued: cm.maxDialQueueLength, timeoutMs: cm.dialTimeoutMs })
    this.#dialer = new Dialer({
      localPeer: this.peerId,
      transports: this.#transports,
      upgrader: this.#upgrader,
      manager: this.connectionManager,
      queue: this.#queue,
      gater,
      observers: this.#observers,
      addressesOf: async peer => (await this.peerStore.get(peer))?.addresses.map(a => ({ multiaddr: a.multiaddr, certified: a.certified })) ?? []
    })
    this.#bootstrap = new Bootstrapper({
      ...options.bootstrapBackoff,
      addrs: (options.bootstrap ?? []).map(a => toMultiaddr(a)),
      dial: async addr => await this.dial(addr)
    })
    // Services are made last: their factories may read any of the above through the host view.
    this.#runner = new ServiceRunner(serviceFactories(options.services), this.#hostView())
  }

  get isStarted (): boolean { return this.#started }

  /** The node as its services see it (./service.ts): the public API, its events, and the services map. */
  #hostView (): ServiceHost {
    const node = this
    return {
      peerId: this.peerId,
      privateKey: this.privateKey,
      peerStore: this.peerStore,
      addressManager: this.addressManager,
      get services () { return node.#runner.instances },
      get isStarted () { return node.#started },
      handle: (protocol, handler, options) => { this.handle(protocol, handler, options) },
      unhandle: protocol => { this.unhandle(protocol) },
      getProtocols: () => this.getProtocols(),
      getMultiaddrs: () => this.getMultiaddrs(),
      getConnections: peer => this.getConnections(peer),
      dial: async (target, options) => await this.dial(target, options),
      dialProtocol: async (target, protocols, options) => await this.dialProtocol(target, protocols, options),
      hangUp: async target => { await this.hangUp(target) },
      addTransport: transport => { this.addTransport(transport) },
      listen: async addr => { await this.listen(addr) },
      upgrade: async (raw, direction, remotePeer) => await this.#upgradeForService(raw, direction, remotePeer),
      addEventListener: (type, listener) => { this.addEventListener(type, listener as EventListener) },
      removeEventListener: (type, listener) => { this.removeEventListener(type, listener as EventListener) },
      dispatchEvent: event => this.dispatchEvent(event),
      resources: () => this.resources(),
      observe: observer => {
        this.#observers.add(observer)
        return () => { this.#observers.delete(observer) }
      }
    }
  }

  /** The node's services by name (`node.services.ping`, `node.services.dht`, a user's own). */
  get services (): S { return this.#runner.instances as S }

  /** The DHT, when the node runs `kadDht()` as `services.dht`. */
  get dht (): DhtService | undefined { return this.#runner.instances.dht as DhtService | undefined }

  /** The counters and gauges of `services.metrics` (a `metrics()` service) as a plain object; undefined without one. */
  metrics (): MetricsSnapshot | undefined { return (this.#runner.instances.metrics as MetricsService | undefined)?.snapshot() }

  /**
   * What every scope holds now: connections, streams and unread bytes of the
   * node, each peer, protocol and connection; with the connection manager's
   * pending upgrades and node-wide connection limits, which it enforces.
   */
  resources (): NodeResourceUsage {
    const cm = this.connectionManager
    const { maxConnections, maxInboundConnections, maxOutboundConnections, maxInboundPendingConnections } = cm.options
    return { ...this.resourceManager.usage(), pendingInbound: cm.pendingInbound, connectionLimits: { maxConnections, maxInboundConnections, maxOutboundConnections, maxInboundPendingConnections } }
  }
  /** Gossipsub, when the node runs `gossipsub()` as `services.pubsub`. */
  get pubsub (): Gossipsub | undefined { return this.#runner.instances.pubsub as Gossipsub | undefined }

  /**
   * Starts the services (`start()` in the order their needs give), listens on
   * every `listen` address, then lets the services join (`afterStart()`) and
   * starts bootstrap. A failure stops whatever had started and rethrows.
   */
  async start (): Promise<void> {
    if (this.#started) return
    this.#started = true
    // The kernels compile off the main thread while the services start and the listeners bind;
    // otherwise the first connection compiles them, synchronously, on its critical path.
    const kernels = initKernels().catch(() => {})
    try {
      await this.#runner.start()
      for (const addr of this.#listenAddrs) await this.listen(addr)
      await kernels
      // Known to the peer store (so dial(peerId) finds them) and tagged (so pruning spares them).
      for (const { peer, addr } of this.#bootstrap.peers) {
        await this.peerStore.merge(peer, {
          addresses: [{ multiaddr: withoutPeerId(addr) }],
          tags: { [BOOTSTRAP_TAG]: { value: BOOTSTRAP_TAG_VALUE } }
        })
      }
      await this.#runner.afterStart()
    } catch (err) {
      await this.stop()
      throw err
    }
    this.#bootstrap.start()
  }

  /** Listens on one more address through the first transport that accepts it; resolves once bound. */
  async listen (addr: Multiaddr | string): Promise<void> {
    if (!this.#started) throw new NodeNotStartedError('start the node before listening')
    const ma = toMultiaddr(addr)
    const transport = this.#transports.find(t => t.listenFilter([ma]).length > 0)
    if (transport === undefined) throw new UnsupportedTransportError(`no configured transport can listen on ${ma.toString()}`)
    const listener = transport.createListener({ onConnection: raw => { void this.#accept(raw) } })
    await listener.listen(ma)
    this.#listeners.push(listener)
    this.addressManager.refresh()
  }

  /** ServiceHost.upgrade: a service's own raw connection (DCUtR's punched socket) into the node's connections. */
  async #upgradeForService (raw: RawConnection, direction: 'inbound' | 'outbound', remotePeer?: PeerId): Promise<Connection> {
    if (!this.#started) { raw.abort(new NodeNotStartedError('node is stopped')); throw new NodeNotStartedError('node is stopped') }
    const connection = direction === 'outbound'
      ? await this.#upgrader.upgradeOutbound(raw, remotePeer !== undefined ? { remotePeer } : {})
      : await this.#upgrader.upgradeInbound(raw)
    if (!this.#started) { connection.abort(new NodeNotStartedError('node stopped during the upgrade')); throw new NodeNotStartedError('node stopped during the upgrade') }
    this.connectionManager.add(connection)
    return connection
  }

  /** Adds a transport for dialing and listening (services add theirs: circuit relay, WebRTC). */
  addTransport (transport: Transport): void {
    this.#transports.push(transport)
  }

  async #accept (raw: RawConnection): Promise<void> {
    if (!this.#started) { raw.abort(new NodeNotStartedError('node is stopping')); return }
    let ticket
    const controller = new AbortController()
    try {
      // A later socket may shed this upgrade if it stalls while every pending slot is taken.
      ticket = this.connectionManager.admitInbound(raw, err => { controller.abort(err) })
    } catch (err) {
      this.connectionManager.refuse(raw, err as Error) // tells the dialer why, before any handshake
      return
    }
    this.#upgrading.add(raw)
    const timeoutMs = this.connectionManager.options.inboundUpgradeTimeoutMs
    const timer = setTimeout(() => { controller.abort(new UpgradeTimeoutError(`inbound upgrade took longer than ${timeoutMs} ms`)) }, timeoutMs)
    try {
      try {
        await enforce('inbound-connection', this.#gater.denyInboundConnection?.(raw), `the connection from ${raw.remoteAddr.toString()}`)
      } catch (err) {
        raw.abort(err as Error)
        return
      }
      const connection = await this.#upgrader.upgradeInbound(raw, { signal: controller.signal, onProgress: ticket.progress })
      if (this.#started) this.connectionManager.add(connection)
      else connection.abort(new NodeNotStartedError('node stopped during the upgrade'))
    } catch {
      // The upgrader has already aborted the raw connection; nothing is owed to the remote.
    } finally {
      clearTimeout(timer)
      ticket.release()
      this.#upgrading.delete(raw)
    }
  }

  #emit<K extends NodeEventName> (name: K, detail: NodeEvents[K]): void {
    this.dispatchEvent(new CustomEvent(name, { detail }))
  }

  /** Our protocols or addresses changed: identify pushes, records are re-sealed. */
  #selfUpdated (): void {
    if (this.#started) this.#emit('self:peer:update', { peerId: this.peerId })
  }

  #onConnection (connection: Connection): void {
    const peer = connection.remotePeer
    const first = this.connectionManager.table.all(peer).length === 1
    this.#emit('connection:open', connection)
    if (first) this.#emit('peer:connect', peer)
    connection.addCloseListener(() => {
      this.#emit('connection:close', connection)
      if (this.connectionManager.table.all(peer).length === 0) {
        this.#emit('peer:disconnect', peer)
        this.#bootstrap.onPeerDisconnect(peer.toString())
      }
    })
  }

  /** The addresses we announce (the address manager's rules), with `/p2p/<our id>`. */
  getMultiaddrs (): Multiaddr[] {
    return this.addressManager.announced().map(a => withPeerId(a, this.peerId))
  }

  /**
   * A Connection to the peer at `target` (a multiaddr, or a PeerId whose
   * addresses the peer store knows); an open one to the same peer is reused.
   */
  async dial (target: DialTarget, options: { signal?: AbortSignal, force?: boolean } = {}): Promise<Connection> {
    if (!this.#started) throw new NodeNotStartedError('start the node before dialing')
    const connection = await this.#dialer.dial(parseTarget(target), options)
    if (!this.#started) {
      // stop() ran while this dial was in flight: it must not leave a connection behind.
      connection.abort(new NodeNotStartedError('node stopped during the dial'))
      throw new NodeNotStartedError('node stopped during the dial')
    }
    return connection
  }

  /** Dials (or reuses a connection) and opens a stream with one of `protocols`. */
  async dialProtocol (target: DialTarget, protocols: string | string[], options: NewStreamOptions = {}): Promise<Stream> {
    const connection = await this.dial(target, options.signal !== undefined ? { signal: options.signal } : {})
    return await connection.newStream(protocols, options)
  }

  /** Round-trip time in milliseconds of one `/ipfs/ping/1.0.0` exchange. */
  async ping (target: DialTarget, options: { signal?: AbortSignal } = {}): Promise<number> {
    const ping = (this.#runner.instances as Partial<DefaultServices>).ping
    if (ping === undefined) throw new ServiceDisabledError('ping is not running on this node')
    const connection = await this.dial(target, options)
    return await ping.ping(connection, options)
  }

  /**
   * One `/perf/1.0.0` run against `target`: uploads `upload` bytes, downloads
   * `download` bytes. Works whether or not this node serves perf itself.
   */
  async perf (target: DialTarget, options: PerfOptions & { signal?: AbortSignal } = {}): Promise<PerfResult> {
    const connection = await this.dial(target, options.signal !== undefined ? { signal: options.signal } : {})
    return await perf(await connection.newStream(PERF_PROTOCOL, options.signal !== undefined ? { signal: options.signal } : {}), options)
  }

  handle (protocol: string, handler: StreamHandler, options: HandleOptions = {}): void {
    this.#registrar.handle(protocol, handler, options)
    this.#selfUpdated()
  }

  unhandle (protocol: string): void {
    this.#registrar.unhandle(protocol)
    this.#selfUpdated()
  }

  /** Protocols with a handler. */
  getProtocols (): string[] { return this.#registrar.protocols() }

  getConnections (peer?: PeerId | string): Connection[] {
    return this.connectionManager.table.all(typeof peer === 'string' ? peerIdFromString(peer) : peer)
  }

  /** Gracefully closes every connection to `peer` (a PeerId, its text, or a multiaddr with `/p2p/`). */
  async hangUp (peer: DialTarget): Promise<void> {
    const parsed = parseTarget(peer)
    const id = isPeerId(parsed) ? parsed : getPeerIdFromMultiaddr(parsed)
    const connections = id !== undefined
      ? this.connectionManager.table.all(id)
      : this.connectionManager.table.all().filter(c => c.remoteAddr.equals(parsed as Multiaddr))
    await Promise.all(connections.map(async c => { await c.close() }))
  }

  /** Stops the services (in reverse start order), bootstrap and dials, stops listening, aborts upgrades in progress, closes every connection. */
  async stop (): Promise<void> {
    await this.#runner.stop()
    this.#started = false
    this.#bootstrap.stop()
    this.#queue.abortAll(new NodeNotStartedError('node stopped'))
    const listeners = this.#listeners
    this.#listeners = []
    await Promise.all(listeners.map(async l => { await l.close() }))
    for (const raw of this.#upgrading) raw.abort(new NodeNotStartedError('node stopped'))
    await Promise.all(this.connectionManager.table.all().map(async c => { await c.close() }))
  }
}

/** Creates a node and, unless `start: false`, starts it. */
export async function createNode<F extends ServiceFactories = Record<never, never>> (options: NodeOptions<F> = {}): Promise<Wasp2pNode<NodeServices<F>>> {
  const privateKey = options.privateKey ?? await generateKeyPair('Ed25519')
  const node = new Wasp2pNode<NodeServices<F>>(privateKey, options)
  if (options.start !== false) await node.start()
  return node
}
