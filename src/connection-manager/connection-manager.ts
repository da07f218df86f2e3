/**
 * The connection manager: admits or refuses inbound sockets (deny list,
 * rate per host, pending-handshake and inbound limits; the allow list
 * bypasses the limits), checks the outbound limit before a dial, keeps the
 * table of open connections, and prunes when the total passes
 * `maxConnections`: lowest peer-store tag value first, and among equal
 * values the oldest connection first. Inbound connections are refused at the
 * socket once the total is reached, so only our own dials (and allow-listed
 * hosts) push the total over it; pruning the oldest untagged connection then
 * keeps the peer the application just asked for, and peers it wants to keep
 * are the ones it tags. Allow-listed hosts are never pruned.
 *
 * Loopback hosts (and private ones, opt-in) skip the per-host rate and
 * pending limits: those limits tell hosts apart, and every local process is
 * the same host. A refused socket is told why before any handshake where
 * the refusal is a limit (`refuse`, multistream `na` + `refused:<reason>`),
 * and each refusal is announced as an `inbound:refused` event.
 */
import type { Connection } from '../connection/connection.js'
import type { PeerId } from '../peer-id/types.js'
import type { RawConnection } from '../transport/types.js'
import { ConnectionTable } from '../node/connections.js'
import { AddressList, hostOf } from './address-filter.js'
import {
  INBOUND_CONNECTION_BURST_PER_HOST, INBOUND_CONNECTIONS_PER_HOST_PER_SECOND, INBOUND_UPGRADE_TIMEOUT_MS,
  DIAL_TIMEOUT_MS, MAX_CONNECTIONS, MAX_DIAL_CONCURRENCY, MAX_DIAL_QUEUE_LENGTH, MAX_DIALS_PER_PEER,
  MAX_INBOUND_CONNECTIONS, MAX_INBOUND_PENDING_CONNECTIONS, MAX_INBOUND_PENDING_PER_HOST, MAX_OUTBOUND_CONNECTIONS,
  LOOPBACK_RANGES, MAX_REFUSALS_IN_PROGRESS, PRIVATE_RANGES, REFUSAL_TIMEOUT_MS
} from './constants.js'
import { ConnectionDeniedError, ConnectionLimitError, InboundRateLimitError } from './errors.js'
import { HostRateLimiter } from './rate-limiter.js'
import { refuse } from '../multistream/refusal.js'

export interface ConnectionManagerOptions {
  /** Default MAX_CONNECTIONS. */
  maxConnections?: number
  /** Default MAX_INBOUND_CONNECTIONS. */
  maxInboundConnections?: number
  /** Default MAX_OUTBOUND_CONNECTIONS. */
  maxOutboundConnections?: number
  /** Default MAX_INBOUND_PENDING_CONNECTIONS. */
  maxInboundPendingConnections?: number
  /** Default MAX_INBOUND_PENDING_PER_HOST. */
  maxInboundPendingPerHost?: number
  /** Default MAX_DIAL_CONCURRENCY. */
  maxDialConcurrency?: number
  /** Addresses tried per peer; default MAX_DIALS_PER_PEER. */
  maxDialsPerPeer?: number
  /** Default MAX_DIAL_QUEUE_LENGTH. */
  maxDialQueueLength?: number
  /** Default DIAL_TIMEOUT_MS. */
  dialTimeoutMs?: number
  /** Default INBOUND_UPGRADE_TIMEOUT_MS. */
  inboundUpgradeTimeoutMs?: number
  /** Default INBOUND_CONNECTIONS_PER_HOST_PER_SECOND. */
  inboundConnectionsPerHostPerSecond?: number
  /** Default INBOUND_CONNECTION_BURST_PER_HOST. */
  inboundConnectionBurstPerHost?: number
  /**
   * Loopback hosts (LOOPBACK_RANGES) skip the per-host rate and pending
   * limits; default true. Set false to limit them like public hosts (tests
   * that simulate remote peers on one machine).
   */
  exemptLoopback?: boolean
  /** Private-network hosts (PRIVATE_RANGES) skip the per-host rate and pending limits too; default false. */
  exemptPrivateNetworks?: boolean
  /** Hosts (IPs or multiaddr prefixes) exempt from inbound limits, rate limiting and pruning. */
  allow?: string[]
  /** Hosts (IPs or multiaddr prefixes) refused outright, inbound and outbound. */
  deny?: string[]
}

export type ResolvedConnectionManagerOptions = Required<Omit<ConnectionManagerOptions, 'allow' | 'deny'>>

export function resolveOptions (o: ConnectionManagerOptions = {}): ResolvedConnectionManagerOptions {
  return {
    maxConnections: o.maxConnections ?? MAX_CONNECTIONS,
    maxInboundConnections: o.maxInboundConnections ?? MAX_INBOUND_CONNECTIONS,
    maxOutboundConnections: o.maxOutboundConnections ?? MAX_OUTBOUND_CONNECTIONS,
    maxInboundPendingConnections: o.maxInboundPendingConnections ?? MAX_INBOUND_PENDING_CONNECTIONS,
    maxInboundPendingPerHost: o.maxInboundPendingPerHost ?? MAX_INBOUND_PENDING_PER_HOST,
    maxDialConcurrency: o.maxDialConcurrency ?? MAX_DIAL_CONCURRENCY,
    maxDialsPerPeer: o.maxDialsPerPeer ?? MAX_DIALS_PER_PEER,
    maxDialQueueLength: o.maxDialQueueLength ?? MAX_DIAL_QUEUE_LENGTH,
    dialTimeoutMs: o.dialTimeoutMs ?? DIAL_TIMEOUT_MS,
    inboundUpgradeTimeoutMs: o.inboundUpgradeTimeoutMs ?? INBOUND_UPGRADE_TIMEOUT_MS,
    inboundConnectionsPerHostPerSecond: o.inboundConnectionsPerHostPerSecond ?? INBOUND_CONNECTIONS_PER_HOST_PER_SECOND,
    inboundConnectionBurstPerHost: o.inboundConnectionBurstPerHost ?? INBOUND_CONNECTION_BURST_PER_HOST,
    exemptLoopback: o.exemptLoopback ?? true,
    exemptPrivateNetworks: o.exemptPrivateNetworks ?? false
  }
}

export interface ConnectionManagerInit {
  options?: ConnectionManagerOptions
  /** The summed tag value of a peer in the peer store; default 0 for all. */
  tagValue?: (peer: PeerId) => Promise<number> | number
  /** Told about every connection added to the table (the node emits its events from here). */
  onAdded?: (connection: Connection) => void
}

/** What admitInbound hands back: call `release` when the upgrade is over, either way. */
export interface InboundTicket {
  release: () => void
  /** The host is allow-listed: the connection is exempt from limits and pruning. */
  allowed: boolean
}

/** Detail of the `inbound:refused` event. */
export interface InboundRefusal {
  remoteAddr: RawConnection['remoteAddr']
  /** The wire reason sent to the dialer (`rate-limit`, `connection-limit`), or undefined when it was reset without one. */
  reason: string | undefined
  error: Error
}

/** The reason code a refusal error is announced with to the dialer; undefined: reset without a word. */
function reasonFor (err: Error): string | undefined {
  if (err instanceof InboundRateLimitError) return 'rate-limit'
  if (err instanceof ConnectionLimitError) return 'connection-limit'
  // Deny-listed hosts and anything unexpected: a reset tells a hostile host nothing.
  return undefined
}

export class ConnectionManager extends EventTarget {
  readonly options: ResolvedConnectionManagerOptions
  readonly table = new ConnectionTable()
  readonly #allow: AddressList
  readonly #deny: AddressList
  readonly #rate: HostRateLimiter
  /** Hosts that skip the per-host limits: loopback and, opt-in, private ranges. */
  readonly #exempt: AddressList
  #refusing = 0
  readonly #init: ConnectionManagerInit
  #pendingInbound = 0
  /** Pending inbound upgrades per host; entries are deleted at zero, so size ≤ pending count. */
  readonly #pendingByHost = new Map<string, number>()
  #pendingOutbound = 0
  #pruning = false

  constructor (init: ConnectionManagerInit = {}) {
    super()
    this.#init = init
    this.options = resolveOptions(init.options)
    this.#exempt = new AddressList([
      ...(this.options.exemptLoopback ? LOOPBACK_RANGES : []),
      ...(this.options.exemptPrivateNetworks ? PRIVATE_RANGES : [])
    ])
    this.#allow = new AddressList(init.options?.allow)
    this.#deny = new AddressList(init.options?.deny)
    this.#rate = new HostRateLimiter(this.options.inboundConnectionsPerHostPerSecond, this.options.inboundConnectionBurstPerHost)
  }

  get pendingInbound (): number { return this.#pendingInbound }

  #count (direction: 'inbound' | 'outbound'): number {
    let n = 0
    for (const c of this.table.all()) if (c.direction === direction && c.status === 'open') n++
    return n
  }

  isAllowed (raw: { remoteAddr: RawConnection['remoteAddr'] }): boolean { return this.#allow.matches(raw.remoteAddr) }

  /** Deny-listed addresses are never dialed. */
  checkDialAddress (addr: RawConnection['remoteAddr']): void {
    if (this.#deny.matches(addr)) throw new ConnectionDeniedError('dial-multiaddr', `${addr.toString()} is on the deny list`)
  }

  /**
   * Admission of an accepted socket, before any byte is read: throws
   * (ConnectionDeniedError, InboundRateLimitError, ConnectionLimitError) to refuse.
   */
  admitInbound (raw: RawConnection): InboundTicket {
    const addr = raw.remoteAddr
    if (this.#deny.matches(addr)) throw new ConnectionDeniedError('inbound-connection', `${addr.toString()} is on the deny list`)
    const allowed = this.#allow.matches(addr)
    const host = admissionHostOf(addr)
    const fromHost = this.#pendingByHost.get(host) ?? 0
    if (!allowed) {
      const o = this.options
      const perHost = !this.#exempt.matches(addr)
      if (this.#pendingInbound >= o.maxInboundPendingConnections) throw new ConnectionLimitError(`${this.#pendingInbound} inbound upgrades already in progress`)
      if (perHost && fromHost >= o.maxInboundPendingPerHost) throw new ConnectionLimitError(`${fromHost} inbound upgrades from ${host} already in progress`)
      if (this.#pendingInbound + this.#count('inbound') >= o.maxInboundConnections) throw new ConnectionLimitError(`inbound connection limit ${o.maxInboundConnections} reached`)
      if (this.table.size() >= o.maxConnections) throw new ConnectionLimitError(`connection limit ${o.maxConnections} reached`)
      if (perHost && !this.#rate.take(host)) throw new InboundRateLimitError(`${host} opened connections too fast`)
    }
    this.#pendingInbound++
    this.#pendingByHost.set(host, fromHost + 1)
    let released = false
    return {
      allowed,
      release: () => {
        if (released) return
        released = true
        this.#pendingInbound--
        const left = (this.#pendingByHost.get(host) ?? 1) - 1
        if (left > 0) this.#pendingByHost.set(host, left); else this.#pendingByHost.delete(host)
      }
    }
  }

  /**
   * Disposes of a socket admitInbound refused with `err`. For a limit, the
   * dialer is told the reason before any handshake (see multistream/refusal.ts)
   * unless MAX_REFUSALS_IN_PROGRESS refusals are already under way; otherwise,
   * and for the deny list, the socket is reset. Emits `inbound:refused`.
   */
  refuse (raw: RawConnection, err: Error): void {
    const reason = this.#refusing < MAX_REFUSALS_IN_PROGRESS ? reasonFor(err) : undefined
    this.dispatchEvent(new CustomEvent<InboundRefusal>('inbound:refused', { detail: { remoteAddr: raw.remoteAddr, reason, error: err } }))
    if (reason === undefined) { raw.abort(err); return }
    this.#refusing++
    void refuse(raw, reason, REFUSAL_TIMEOUT_MS).finally(() => { this.#refusing-- })
  }

  /** Refusals (with a reason) in progress. */
  get refusing (): number { return this.#refusing }

  /** Reserves an outbound slot (throws ConnectionLimitError); call the result when the dial is over. */
  reserveOutbound (): () => void {
    const max = this.options.maxOutboundConnections
    if (this.#pendingOutbound + this.#count('outbound') >= max) throw new ConnectionLimitError(`outbound connection limit ${max} reached`)
    this.#pendingOutbound++
    let released = false
    return () => { if (!released) { released = true; this.#pendingOutbound-- } }
  }

  /** Adds an upgraded connection and prunes if the total is now over the limit. */
  add (connection: Connection): void {
    this.table.add(connection)
    this.#init.onAdded?.(connection)
    // A failing tag lookup must not become an unhandled rejection; the next add prunes again.
    if (this.table.size() > this.options.maxConnections) this.prune().catch(() => {})
  }

  /** Closes connections until at most `maxConnections` remain (see the module comment for the order). */
  async prune (): Promise<void> {
    if (this.#pruning) return
    this.#pruning = true
    try {
      const excess = this.table.size() - this.options.maxConnections
      if (excess <= 0) return
      const candidates = this.table.all().filter(c => c.status === 'open' && !this.#allow.matches(c.remoteAddr))
      const values = new Map<string, number>()
      for (const c of candidates) {
        const key = c.remotePeer.toString()
        if (!values.has(key)) values.set(key, await this.#init.tagValue?.(c.remotePeer) ?? 0)
      }
      candidates.sort((a, b) =>
        ((values.get(a.remotePeer.toString()) ?? 0) - (values.get(b.remotePeer.toString()) ?? 0)) ||
        (a.opened - b.opened))
      const victims = candidates.slice(0, excess)
      const err = new ConnectionLimitError(`pruned: over the connection limit ${this.options.maxConnections}`)
      for (const c of victims) c.abort(err)
    } finally {
      this.#pruning = false
    }
  }
}

/**
 * The host an inbound connection is counted against by the per-host limits:
 * its IP, except for a relayed one (`<relay addr>/p2p/R/p2p-circuit/p2p/I`),
 * whose IP is the relay's: many peers reach us through one relay, so each
 * relayed initiator counts as its own host (the relay itself bounds circuits
 * per peer, circuit-v2.md "Reservation" limits).
 */
function admissionHostOf (addr: RawConnection['remoteAddr']): string {
  const components = addr.getComponents()
  const circuit = components.findIndex(c => c.name === 'p2p-circuit')
  if (circuit < 0) return hostOf(addr)
  return `p2p-circuit/${components.slice(circuit - 1).map(c => c.value ?? '').join('/')}`
}

