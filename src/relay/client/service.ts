/**
 * The relay client as a service: `services: { circuit: circuitRelayTransport() }`.
 * Adds the `/p2p-circuit` transport (dial through relays, listen through
 * them with `listen: ['<relay addr>/p2p/R/p2p-circuit']`) and answers stop
 * streams (circuit-v2.md "Stop Protocol").
 */
import type { ServiceFactory, ServiceHost } from '../../node/service.js'
import type { PeerId } from '../../peer-id/types.js'
import { MAX_INBOUND_STOP_STREAMS, RELAY_STOP_PROTOCOL } from '../constants.js'
import type { ReservationInfo } from './reserve.js'
import { handleStop } from './stop-handler.js'
import { CircuitRelayTransport } from './transport.js'
import { AutoRelay, type AutoRelayOptions } from './auto-relay.js'

export interface CircuitRelayTransportOptions {
  /** Stop streams per relay connection; default MAX_INBOUND_STOP_STREAMS. */
  maxInboundStopStreams?: number
  /**
   * Automatic relay selection (./auto-relay.ts): while AutoNAT says private,
   * reserve on relays by ourselves. On by default (it acts only on AutoNAT's
   * verdict, so a node without AutoNAT never reserves on its own); `false` turns it off.
   */
  autoRelay?: AutoRelayOptions | false
}

export interface RelayClientEvents {
  /** A stop CONNECT was refused with `status`. */
  'relay:stop-refused': { relay: PeerId, status: number, error: Error }
}

export class CircuitRelayClient {
  readonly transport: CircuitRelayTransport
  readonly #host: ServiceHost
  readonly #options: CircuitRelayTransportOptions
  /** Automatic relay selection; undefined when turned off. */
  readonly autoRelay: AutoRelay | undefined

  constructor (host: ServiceHost, options: CircuitRelayTransportOptions = {}) {
    this.#host = host
    this.#options = options
    this.transport = new CircuitRelayTransport(host)
    host.addTransport(this.transport)
    this.autoRelay = options.autoRelay === false ? undefined : new AutoRelay(host, this.transport, options.autoRelay ?? {})
  }

  start (): void {
    const host = this.#host
    host.handle(RELAY_STOP_PROTOCOL, async (stream, connection) => {
      await handleStop(stream, connection, {
        self: host.peerId,
        listeners: this.transport.listeners,
        onRefused: (relay, status, error) => { host.dispatchEvent(new CustomEvent('relay:stop-refused', { detail: { relay, status, error } })) }
      })
    }, { maxInboundStreams: this.#options.maxInboundStopStreams ?? MAX_INBOUND_STOP_STREAMS })
    this.autoRelay?.start()
  }

  async stop (): Promise<void> {
    this.autoRelay?.stop()
    this.#host.unhandle(RELAY_STOP_PROTOCOL)
    await this.transport.closeListeners()
  }

  /** Live reservations, one per relay we listen through. */
  get reservations (): ReservationInfo[] {
    return [...this.transport.listeners].flatMap(l => l.reservation !== undefined ? [l.reservation] : [])
  }
}

/** The relay client service factory. */
export function circuitRelayTransport (options: CircuitRelayTransportOptions = {}): ServiceFactory<CircuitRelayClient> {
  return { create: host => new CircuitRelayClient(host, options) }
}
