/**
 * The service contract: everything a node runs beyond its transports, security
 * and muxers (identify, ping, perf, the DHT, relay, pubsub, discovery, metrics,
 * a user's own protocol) is a *service*. A service is made by a factory from
 * its options and a *host view* of the node, is started and stopped by the node
 * in the order its declared needs give, and is reached as `node.services.NAME`.
 *
 * In the spirit of rust-libp2p's `NetworkBehaviour` and js-libp2p's services
 * map, but narrower: a service sees only the `ServiceHost` below, never the
 * node's internals, so a reader can tell from one file what any service may do.
 *
 *   const node = await createNode({ services: { echo: echoService(), dht: kadDht({ mode: 'server' }) } })
 *   node.services.echo   // what echoService's create() returned
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Connection, NewStreamOptions, StreamHandler } from '../connection/connection.js'
import type { PrivateKey } from '../keys/types.js'
import type { PeerId } from '../peer-id/types.js'
import type { PeerStore } from '../peer-store/types.js'
import type { Stream } from '../stream/types.js'
import type { Transport } from '../transport/types.js'
import type { NodeEventName, NodeEvents } from './events.js'
import type { HandleOptions } from './registrar.js'
import type { AddressManager } from '../addresses/address-manager.js'

/** A multiaddr (object or text), a PeerId, or a PeerId's text. */
export type DialTarget = Multiaddr | string | PeerId

/** The node as a service sees it. */
export interface ServiceHost {
  readonly peerId: PeerId
  readonly privateKey: PrivateKey
  readonly peerStore: PeerStore
  /** Our addresses: what we announce, observed and relay addresses, and AutoNAT's verdicts (`setReachability`). */
  readonly addressManager: AddressManager
  /**
   * The services this node runs, by name. A service may use those it named in
   * `needs` from its `start()` on (they are started first); others may be absent.
   */
  readonly services: Readonly<Record<string, unknown>>
  /** True between the node's start and stop. */
  readonly isStarted: boolean

  /** Registers the handler of an inbound protocol; the node then tells identify (`self:peer:update`). */
  handle: (protocol: string, handler: StreamHandler, options?: HandleOptions) => void
  unhandle: (protocol: string) => void
  /** Protocols with a handler. */
  getProtocols: () => string[]

  /** The addresses this node announces, with `/p2p/<our id>`. */
  getMultiaddrs: () => Multiaddr[]
  /** Open connections, to one peer or to all. */
  getConnections: (peer?: PeerId | string) => Connection[]
  /** `force`: a new connection even when one to the peer is open. */
  dial: (target: DialTarget, options?: { signal?: AbortSignal, force?: boolean }) => Promise<Connection>
  dialProtocol: (target: DialTarget, protocols: string | string[], options?: NewStreamOptions) => Promise<Stream>
  hangUp: (target: DialTarget) => Promise<void>

  /**
   * Adds a transport (the circuit relay's `/p2p-circuit`, WebRTC): the node dials
   * the addresses it accepts and upgrades what it yields like any other raw connection.
   */
  addTransport: (transport: Transport) => void
  /** Listens on one more address through the transport that accepts it; resolves once bound. */
  listen: (addr: Multiaddr | string) => Promise<void>

  addEventListener: <K extends NodeEventName>(type: K, listener: (event: CustomEvent<NodeEvents[K]>) => void) => void
  removeEventListener: <K extends NodeEventName>(type: K, listener: (event: CustomEvent<NodeEvents[K]>) => void) => void
  /** Dispatches one of the node's events (a service announces its own, e.g. `peer:identify`). */
  dispatchEvent: (event: Event) => boolean
}

/** The lifecycle a service may have; every hook is optional. */
export interface ServiceLifecycle {
  /** Before the node listens: register handlers, open stores. */
  start?: () => void | Promise<void>
  /** Once the node listens and every service has started: join networks, announce, reserve. */
  afterStart?: () => void | Promise<void>
  /** On node stop, in reverse start order, before connections close. */
  stop?: () => void | Promise<void>
}

/** What `createNode({ services: { NAME: factory } })` takes. */
export interface ServiceFactory<T = unknown> {
  /** Names (keys of `services`) of the services this one needs, started before it. */
  readonly needs?: readonly string[]
  /** Builds the service; called once, in start order, before any `start()`. */
  create: (host: ServiceHost) => T & ServiceLifecycle
}

/** A map of service factories, as `createNode` takes it; `false` turns a default off. */
export type ServiceFactories = Record<string, ServiceFactory | false>

/** The services a map of factories makes, by name. */
export type ServicesOf<F> = {
  [K in keyof F as F[K] extends ServiceFactory ? K : never]: F[K] extends ServiceFactory<infer T> ? T : never
}

/** Shorthand for a factory without options. */
export function service<T> (create: (host: ServiceHost) => T & ServiceLifecycle, needs?: readonly string[]): ServiceFactory<T> {
  return needs === undefined ? { create } : { create, needs }
}
