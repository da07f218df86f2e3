/**
 * The relay server as a service (opt-in): `services: { relay: circuitRelayServer() }`.
 * Registers the hop handler (circuit-v2.md "Hop Protocol"); keeps the
 * reservations and counts the circuits; stopping cuts every circuit.
 */
import type { ServiceFactory, ServiceHost } from '../../node/service.js'
import type { PeerId } from '../../peer-id/types.js'
import { RELAY_HOP_PROTOCOL, RELAY_RESERVATION_TAG, RELAY_RESERVATION_TAG_VALUE, DEFAULT_CIRCUIT_DATA_BYTES, DEFAULT_CIRCUIT_DURATION_S, MAX_CIRCUITS, MAX_CIRCUITS_PER_PEER } from '../constants.js'
import type { RelayLimit } from '../messages.js'
import { CircuitCounter } from './circuit-counter.js'
import { handleHop } from './hop-handler.js'
import { ReservationStore, type ReservationLimits } from './reservation-store.js'
import type { SpliceResult } from './splice.js'

export interface CircuitRelayServerOptions extends ReservationLimits {
  /**
   * The limit applied to every circuit and announced to both ends; default
   * DEFAULT_CIRCUIT_DURATION_S and DEFAULT_CIRCUIT_DATA_BYTES. `false` relays
   * without limits (a private relay for peers you trust).
   */
  limit?: RelayLimit | false
  /** Default MAX_CIRCUITS_PER_PEER. */
  maxCircuitsPerPeer?: number
  /** Default MAX_CIRCUITS. */
  maxCircuits?: number
  /** Hop streams per connection; default the registrar's per-protocol limit. */
  maxInboundHopStreams?: number
  /** Deadline of one hop (and the stop it triggers) request/answer exchange; default RELAY_EXCHANGE_TIMEOUT_MS. */
  exchangeTimeoutMs?: number
}

/** Events the server dispatches on the node. */
export interface RelayServerEvents {
  /** A RESERVE or CONNECT was refused: the status sent (0 if none could be) and why. */
  'relay:refused': { kind: 'reserve' | 'connect', peer: PeerId, status: number, error: Error }
  /** A circuit ended: bytes forwarded each way and, if a limit or failure cut it, the error. */
  'relay:circuit-closed': { from: PeerId, to: PeerId } & SpliceResult
}

export class CircuitRelayServer {
  readonly reservations: ReservationStore
  readonly circuits: CircuitCounter
  readonly limit: RelayLimit | undefined
  readonly #host: ServiceHost
  readonly #options: CircuitRelayServerOptions
  #shutdown = new AbortController()

  constructor (host: ServiceHost, options: CircuitRelayServerOptions = {}) {
    this.#host = host
    this.#options = options
    this.reservations = new ReservationStore(options)
    this.circuits = new CircuitCounter(options.maxCircuitsPerPeer ?? MAX_CIRCUITS_PER_PEER, options.maxCircuits ?? MAX_CIRCUITS)
    this.limit = options.limit === false
      ? undefined
      : { durationSeconds: options.limit?.durationSeconds ?? DEFAULT_CIRCUIT_DURATION_S, dataBytes: options.limit?.dataBytes ?? DEFAULT_CIRCUIT_DATA_BYTES }
  }

  start (): void {
    this.#shutdown = new AbortController()
    const host = this.#host
    const emit = <K extends keyof RelayServerEvents>(name: K, detail: RelayServerEvents[K]): void => {
      host.dispatchEvent(new CustomEvent(name, { detail }))
    }
    host.handle(RELAY_HOP_PROTOCOL, async (stream, connection) => {
      await handleHop(stream, connection, {
        peerId: host.peerId,
        privateKey: host.privateKey,
        reservations: this.reservations,
        circuits: this.circuits,
        limit: this.limit,
        addresses: () => host.getMultiaddrs(),
        connectionsOf: peer => host.getConnections(peer),
        signal: this.#shutdown.signal,
        ...(this.#options.exchangeTimeoutMs !== undefined ? { exchangeTimeoutMs: this.#options.exchangeTimeoutMs } : {}),
        onReserved: async (peer, expire) => {
          const ttl = Math.max(1, Number(expire) * 1000 - Date.now())
          // A peer store that refuses the tag (full) must not cost the client its reservation.
          await host.peerStore.merge(peer, { tags: { [RELAY_RESERVATION_TAG]: { value: RELAY_RESERVATION_TAG_VALUE, ttl } } }).catch(() => {})
        },
        onRefused: (kind, peer, status, error) => { emit('relay:refused', { kind, peer, status, error }) },
        onCircuitClosed: (from, to, result) => { emit('relay:circuit-closed', { from, to, ...result }) }
      })
    }, this.#options.maxInboundHopStreams !== undefined ? { maxInboundStreams: this.#options.maxInboundHopStreams } : {})
  }

  stop (): void {
    this.#host.unhandle(RELAY_HOP_PROTOCOL)
    this.#shutdown.abort(new Error('relay server stopped'))
    this.reservations.clear()
  }
}

/** The relay server service factory. */
export function circuitRelayServer (options: CircuitRelayServerOptions = {}): ServiceFactory<CircuitRelayServer> {
  return { create: host => new CircuitRelayServer(host, options) }
}
