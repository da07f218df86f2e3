/**
 * The minimal wasp2p node: an identity, transports with their listeners, the
 * upgrader (Noise + yamux by default), a registrar of protocol handlers, a
 * dialer and the table of open connections. Identify, ping, a peer store and
 * a connection manager build on this.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Connection, NewStreamOptions, StreamHandler } from '../connection/connection.js'
import { Upgrader } from '../connection/upgrader.js'
import type { ConnectionEncrypter } from '../connection-encrypter/types.js'
import { noise } from '../connection-encrypter/noise/index.js'
import { generateKeyPair } from '../keys/index.js'
import type { PrivateKey } from '../keys/types.js'
import { yamux } from '../muxer/yamux/index.js'
import type { StreamMuxerFactory } from '../muxer/types.js'
import { toMultiaddr, withPeerId } from '../multiaddr/index.js'
import { peerIdFromPrivateKey } from '../peer-id/index.js'
import type { PeerId } from '../peer-id/types.js'
import type { Stream } from '../stream/types.js'
import { tcp, tcpSupported } from '../transport/tcp/index.js'
import { webSockets } from '../transport/websockets/websockets.js'
import { UnsupportedTransportError } from '../transport/errors.js'
import type { Listener, RawConnection, Transport } from '../transport/types.js'
import { ConnectionTable } from './connections.js'
import { Dialer } from './dialer.js'
import { NodeNotStartedError } from './errors.js'
import { Registrar } from './registrar.js'
// --- dht wiring (branch dht2): options.dht → node.dht ---
import { DhtService, type DhtOptions } from '../dht/service.js'

export interface NodeOptions {
  /** Our identity; a fresh Ed25519 key if omitted. */
  privateKey?: PrivateKey
  /** Addresses to listen on, e.g. `/ip4/127.0.0.1/tcp/0`, `/ip4/127.0.0.1/tcp/0/ws`. */
  listen?: string[]
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
  /** Start (listen) before returning; default true. */
  start?: boolean
  /** --- dht wiring --- Run a Kademlia DHT as `node.dht` (started after the listeners). */
  dht?: DhtOptions
}

export type DialTarget = Multiaddr | string

function defaultTransports (): Transport[] {
  return tcpSupported ? [tcp(), webSockets()] : [webSockets()]
}

export class Wasp2pNode {
  readonly peerId: PeerId
  readonly privateKey: PrivateKey
  readonly #transports: Transport[]
  readonly #listenAddrs: Multiaddr[]
  readonly #registrar = new Registrar()
  readonly #connections = new ConnectionTable()
  readonly #upgrader: Upgrader
  readonly #dialer: Dialer
  #listeners: Listener[] = []
  readonly #upgrading = new Set<RawConnection>()
  #started = false
  /** --- dht wiring --- The DHT, when created with the `dht` option. */
  readonly dht: DhtService | undefined

  constructor (privateKey: PrivateKey, options: NodeOptions) {
    this.privateKey = privateKey
    this.peerId = peerIdFromPrivateKey(privateKey)
    this.dht = options.dht === undefined ? undefined : new DhtService(this, options.dht) // --- dht wiring ---
    this.#transports = options.transports ?? defaultTransports()
    this.#listenAddrs = (options.listen ?? []).map(a => toMultiaddr(a))
    this.#upgrader = new Upgrader({
      privateKey,
      encrypters: options.connectionEncrypters ?? [noise()],
      muxers: options.streamMuxers ?? [yamux()],
      registry: this.#registrar,
      ...(options.earlyMuxerNegotiation !== undefined ? { earlyMuxerNegotiation: options.earlyMuxerNegotiation } : {}),
      ...(options.upgradeTimeoutMs !== undefined ? { upgradeTimeoutMs: options.upgradeTimeoutMs } : {})
    })
    this.#dialer = new Dialer({ localPeer: this.peerId, transports: this.#transports, upgrader: this.#upgrader, connections: this.#connections })
  }

  get isStarted (): boolean { return this.#started }

  async start (): Promise<void> {
    if (this.#started) return
    this.#started = true
    try {
      for (const addr of this.#listenAddrs) {
        const transport = this.#transports.find(t => t.listenFilter([addr]).length > 0)
        if (transport === undefined) throw new UnsupportedTransportError(`no configured transport can listen on ${addr.toString()}`)
        const listener = transport.createListener({ onConnection: raw => { this.#accept(raw) } })
        await listener.listen(addr)
        this.#listeners.push(listener)
      }
      await this.dht?.start() // --- dht wiring ---
    } catch (err) {
      await this.stop()
      throw err
    }
  }

  #accept (raw: RawConnection): void {
    if (!this.#started) { raw.abort(new NodeNotStartedError('node is stopping')); return }
    this.#upgrading.add(raw)
    this.#upgrader.upgradeInbound(raw)
      .then(connection => {
        if (this.#started) this.#connections.add(connection)
        else connection.abort(new NodeNotStartedError('node stopped during the upgrade'))
      })
      // The upgrader has already aborted the raw connection; nothing is owed to the remote.
      .catch(() => {})
      .finally(() => { this.#upgrading.delete(raw) })
  }

  /** Listening addresses with `/p2p/<our id>`. */
  getMultiaddrs (): Multiaddr[] {
    return this.#listeners.flatMap(l => l.getAddrs()).map(a => withPeerId(a, this.peerId))
  }

  /** A Connection to the peer at `target`; an open one to the same peer is reused. */
  async dial (target: DialTarget, options: { signal?: AbortSignal } = {}): Promise<Connection> {
    if (!this.#started) throw new NodeNotStartedError('start the node before dialing')
    const connection = await this.#dialer.dial(toMultiaddr(target), options)
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

  handle (protocol: string, handler: StreamHandler): void { this.#registrar.handle(protocol, handler) }

  unhandle (protocol: string): void { this.#registrar.unhandle(protocol) }

  /** Protocols with a handler. */
  getProtocols (): string[] { return this.#registrar.protocols() }

  getConnections (peer?: PeerId): Connection[] { return this.#connections.all(peer) }

  /** Stops listening, aborts upgrades in progress and closes every connection. */
  async stop (): Promise<void> {
    this.dht?.stop() // --- dht wiring ---
    this.#started = false
    const listeners = this.#listeners
    this.#listeners = []
    await Promise.all(listeners.map(async l => { await l.close() }))
    for (const raw of this.#upgrading) raw.abort(new NodeNotStartedError('node stopped'))
    await Promise.all(this.#connections.all().map(async c => { await c.close() }))
  }
}

/** Creates a node and, unless `start: false`, starts it. */
export async function createNode (options: NodeOptions = {}): Promise<Wasp2pNode> {
  const privateKey = options.privateKey ?? await generateKeyPair('Ed25519')
  const node = new Wasp2pNode(privateKey, options)
  if (options.start !== false) await node.start()
  return node
}
