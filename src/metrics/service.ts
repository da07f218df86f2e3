/**
 * `metrics()`: a node service that counts what the node does and renders it
 * as Prometheus text (`scrape()`) or a plain object (`snapshot()`, also
 * `node.metrics()`), the same numbers in Node and browsers. Serving
 * `/metrics` over HTTP is the CLI's job (`wasp2p start --metrics-port N`,
 * src/cli/metrics-server.ts); this module does no I/O.
 *
 * Sources, each the cheapest place that already sees the event:
 * - connections: the node's `connection:open` / `connection:close` events;
 * - streams and their bytes: the resource manager's stream hooks (a stream
 *   is counted once it negotiated a protocol and was admitted; its payload
 *   bytes by a meter only streams of an observed node carry);
 * - dial outcomes: the dialer, for each dial that could not reuse a connection;
 * - refusals: every ResourceLimitError the resource manager raises;
 * - DHT queries: the DHT service's `dht:query` events, when it runs;
 * - buffered bytes and peers: read from `node.resources()` at scrape time.
 */
import type { Connection } from '../connection/connection.js'
import type { ServiceFactory, ServiceHost } from '../node/service.js'
import type { NodeObserver } from '../node/observer.js'
import type { StreamMeter } from '../resources/observer.js'
import { Registry, type Family, type MetricsSnapshot } from './registry.js'

export type { MetricsSnapshot, FamilySnapshot } from './registry.js'

export interface MetricsOptions {
  /** Prefix of every metric name; default 'wasp2p_'. */
  prefix?: string
}

/** The `dht:query` event's detail (src/dht/service.ts). */
interface DhtQueryDetail { operation: string, outcome: string }

/** The transport of a connection, from its remote address: tcp, ws, wss, memory, relay, … */
export function transportOf (connection: Pick<Connection, 'remoteAddr'>): string {
  const names = connection.remoteAddr.getComponents().map(c => c.name)
  if (names.includes('p2p-circuit')) return 'relay'
  for (const name of ['wss', 'ws', 'webrtc', 'webtransport', 'quic-v1', 'memory']) if (names.includes(name)) return name
  if (names.includes('tls') && names.includes('ws')) return 'wss'
  return names.includes('tcp') ? 'tcp' : (names.at(-1) ?? 'unknown')
}

export class MetricsService {
  readonly #host: ServiceHost
  readonly #registry = new Registry()
  readonly #connections: Family
  readonly #connectionsOpened: Family
  readonly #connectionsClosed: Family
  readonly #streams: Family
  readonly #bytesIn: Family
  readonly #bytesOut: Family
  readonly #dials: Family
  readonly #dhtQueries: Family
  readonly #refusals: Family
  readonly #buffered: Family
  readonly #peers: Family

  readonly #onOpen = (event: CustomEvent<Connection>): void => {
    const c = event.detail
    const transport = transportOf(c)
    this.#connections.with(c.direction, transport).inc()
    this.#connectionsOpened.with(c.direction, transport).inc()
  }

  readonly #onClose = (event: CustomEvent<Connection>): void => {
    const c = event.detail
    const transport = transportOf(c)
    this.#connections.with(c.direction, transport).dec()
    this.#connectionsClosed.with(c.direction, transport).inc()
  }

  readonly #onDhtQuery = (event: Event): void => {
    const d = (event as CustomEvent<DhtQueryDetail>).detail
    this.#dhtQueries.with(d.operation, d.outcome).inc()
  }

  readonly #observer: NodeObserver = {
    streamOpened: stream => {
      this.#streams.with(stream.protocol, stream.direction).inc()
      const received = this.#bytesIn.with(stream.protocol)
      const sent = this.#bytesOut.with(stream.protocol)
      const meter: StreamMeter = { received: n => { received.value += n }, sent: n => { sent.value += n } }
      return meter
    },
    streamClosed: stream => { this.#streams.with(stream.protocol, stream.direction).dec() },
    refused: err => { this.#refusals.with(err.scope, err.limit).inc() },
    dialed: err => {
      if (err === undefined) this.#dials.with('success', '').inc()
      else this.#dials.with('failure', err.name).inc()
    }
  }

  constructor (host: ServiceHost, options: MetricsOptions = {}) {
    this.#host = host
    const p = options.prefix ?? 'wasp2p_'
    const r = this.#registry
    this.#connections = r.gauge(`${p}connections`, 'Open connections.', ['direction', 'transport'])
    this.#connectionsOpened = r.counter(`${p}connections_opened_total`, 'Connections that finished their upgrade.', ['direction', 'transport'])
    this.#connectionsClosed = r.counter(`${p}connections_closed_total`, 'Connections that closed, for any reason.', ['direction', 'transport'])
    this.#streams = r.gauge(`${p}streams`, 'Open streams that negotiated a protocol.', ['protocol', 'direction'])
    this.#bytesIn = r.counter(`${p}stream_received_bytes_total`, 'Payload bytes read from negotiated streams (after multistream-select).', ['protocol'])
    this.#bytesOut = r.counter(`${p}stream_sent_bytes_total`, 'Payload bytes written to negotiated streams (after multistream-select).', ['protocol'])
    this.#dials = r.counter(`${p}dials_total`, 'Dials that could not reuse a connection, by outcome and error name.', ['outcome', 'error'])
    this.#dhtQueries = r.counter(`${p}dht_queries_total`, 'DHT operations started through the DHT service, by outcome.', ['operation', 'outcome'])
    this.#refusals = r.counter(`${p}resource_refusals_total`, 'Connections, streams or received bytes a resource limit refused.', ['scope', 'limit'])
    this.#buffered = r.gauge(`${p}resource_buffered_bytes`, 'Received bytes not yet read, node-wide.')
    this.#peers = r.gauge(`${p}peers`, 'Peers with at least one connection.')
  }

  /** Idempotent; nothing is removed on stop, so the gauges follow connections that close after the services stopped. */
  start (): void {
    this.#host.observe(this.#observer)
    this.#host.addEventListener('connection:open', this.#onOpen)
    this.#host.addEventListener('connection:close', this.#onClose)
    this.#host.addEventListener('dht:query' as 'connection:open', this.#onDhtQuery as (e: CustomEvent<Connection>) => void)
  }

  #refresh (): void {
    const usage = this.#host.resources()
    this.#buffered.with().set(usage.node.memory)
    this.#peers.with().set(Object.keys(usage.peers).length)
  }

  /** Every metric in the Prometheus text format (0.0.4). */
  scrape (): string {
    this.#refresh()
    return this.#registry.text()
  }

  /** Every metric as a plain object: `{ name: { type, help, series: [{ labels, value }] } }`. */
  snapshot (): MetricsSnapshot {
    this.#refresh()
    return this.#registry.snapshot()
  }
}

/** The metrics service: `createNode({ services: { metrics: metrics() } })`, then `node.metrics()` or `node.services.metrics.scrape()`. */
export function metrics (options: MetricsOptions = {}): ServiceFactory<MetricsService> {
  return { create: host => new MetricsService(host, options) }
}

/** The value of one series in a snapshot (0 when absent): `valueOf(snap, 'wasp2p_streams', { protocol: '/echo/1.0.0' })` sums the matching series. */
export function valueOf (snapshot: MetricsSnapshot, name: string, labels: Record<string, string> = {}): number {
  let sum = 0
  for (const s of snapshot[name]?.series ?? []) {
    if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) sum += s.value
  }
  return sum
}
