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
 *
 * Loopback as a whole is one host for the pending limit, and leaves
 * PENDING_SLOTS_RESERVED_FOR_REMOTE slots to others. When the slots a new
 * socket needs are all taken, it sheds the pending upgrade that has gone
 * longest without reaching its next stage, if that is at least
 * PENDING_UPGRADE_STALL_MS (`inbound:shed` event), so slowloris sockets
 * cannot hold honest peers out until their handshakes time out.
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
  LOOPBACK_RANGES, MAX_REFUSALS_IN_PROGRESS, PENDING_SLOTS_RESERVED_FOR_REMOTE, PENDING_UPGRADE_STALL_MS, PRIVATE_RANGES, REFUSAL_TIMEOUT_MS
} from './constants.js'
import { ConnectionDeniedError, ConnectionLimitError, InboundRateLimitError, PendingUpgradeShedError } from './errors.js'
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
  /**
   * Pending slots loopback (when exempt) can never take; default
   * PENDING_SLOTS_RESERVED_FOR_REMOTE. Loopback together holds at most
   * maxInboundPendingConnections minus this (at least 1).
   */
  pendingSlotsReservedForRemote?: number
  /** Default PENDING_UPGRADE_STALL_MS; 0: a full set of pending upgrades refuses new sockets instead of shedding. */
  pendingUpgradeStallMs?: number
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
    pendingSlotsReservedForRemote: o.pendingSlotsReservedForRemote ?? PENDING_SLOTS_RESERVED_FOR_REMOTE,
    pendingUpgradeStallMs: o.pendingUpgradeStallMs ?? PENDING_UPGRADE_STALL_MS,
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
  /** The upgrade reached its next stage: it is not stalled (see PENDING_UPGRADE_STALL_MS). */
  progress: () => void
  /** The host is allow-listed: the connection is exempt from limits and pruning. */
  allowed: boolean
}

/** Detail of the `inbound:shed` event: a stalled pending upgrade abandoned for a new socket. */
export interface InboundShed {
  remoteAddr: RawConnection['remoteAddr']
  /** How long it had gone without progress, in ms. */
  stalledMs: number
  error: PendingUpgradeShedError
}

/** A pending inbound upgrade as admission sees it. */
interface PendingUpgrade {
  readonly remoteAddr: RawConnection['remoteAddr']
  /** Whose pending limit it counts against: the host, or LOOPBACK for every exempt loopback host. */
  readonly key: string
  readonly allowed: boolean
  /** performance.now() at admission or at its latest stage. */
  progressAt: number
  /** Abandons the upgrade (aborts its socket). */
  readonly shed: (err: PendingUpgradeShedError) => void
  readonly release: () => void
}

/** Detail of the `inbound:refused` event. */
export interface InboundRefusal {
  remoteAddr: RawConnection['remoteAddr']
  /** The wire reason sent to the dialer (`rate-limit`, `connection-limit`), or undefined when it was reset without one. */
  reason: string | undefined
  error: Error
}

/** The pending-limit key all exempt loopback hosts share (one machine, one share). */
const LOOPBACK = 'loopback'

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
  /** Loopback, when exempt: it shares one pending limit (all but the reserved slots). */
  readonly #loopback: AddressList
  #refusing = 0
  #shed = 0
  readonly #init: ConnectionManagerInit
  #pendingInbound = 0
  /** Pending inbound upgrades per host (LOOPBACK for all exempt loopback hosts); entries are deleted at zero, so size ≤ pending count. */
  readonly #pendingByHost = new Map<string, number>()
  /** The pending upgrades themselves, oldest admission first (Set order), so shedding can pick one. */
  readonly #pending = new Set<PendingUpgrade>()
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
    this.#loopback = new AddressList(this.options.exemptLoopback ? LOOPBACK_RANGES : [])
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
   * `shed` abandons this upgrade should a later socket need its slot (the
   * node aborts the upgrade); without it the upgrade is never shed.
   */
  admitInbound (raw: RawConnection, shed?: (err: PendingUpgradeShedError) => void): InboundTicket {
    const addr = raw.remoteAddr
    if (this.#deny.matches(addr)) throw new ConnectionDeniedError('inbound-connection', `${addr.toString()} is on the deny list`)
    const allowed = this.#allow.matches(addr)
    const host = admissionHostOf(addr)
    // A relayed connection is keyed by its initiator (admissionHostOf), wherever the relay runs.
    const loopback = !isRelayedAdmission(host) && this.#loopback.matches(addr)
    const key = loopback && !allowed ? LOOPBACK : host
    if (!allowed) {
      const o = this.options
      const perHost = !this.#exempt.matches(addr)
      const fromKey = this.#pendingByHost.get(key) ?? 0
      const keyLimit = loopback
        ? Math.max(1, o.maxInboundPendingConnections - o.pendingSlotsReservedForRemote)
        : perHost ? o.maxInboundPendingPerHost : Infinity
      // A full share is freed by shedding a stalled upgrade of the same host (or of loopback);
      // a full node by shedding the most stalled of all. Every check that could still refuse
      // runs before anything is shed.
      let victim: PendingUpgrade | undefined
      if (fromKey >= keyLimit) {
        victim = this.#stalledVictim(key)
        if (victim === undefined) throw new ConnectionLimitError(`${fromKey} inbound upgrades from ${key} already in progress`)
      } else if (this.#pendingInbound >= o.maxInboundPendingConnections) {
        victim = this.#stalledVictim()
        if (victim === undefined) throw new ConnectionLimitError(`${this.#pendingInbound} inbound upgrades already in progress`)
      }
      const pendingAfter = this.#pendingInbound - (victim !== undefined ? 1 : 0)
      if (pendingAfter + this.#count('inbound') >= o.maxInboundConnections) throw new ConnectionLimitError(`inbound connection limit ${o.maxInboundConnections} reached`)
      if (this.table.size() >= o.maxConnections) throw new ConnectionLimitError(`connection limit ${o.maxConnections} reached`)
      if (perHost && !this.#rate.take(host)) throw new InboundRateLimitError(`${host} opened connections too fast`)
      if (victim !== undefined) this.#shedOne(victim)
    }
    this.#pendingInbound++
    this.#pendingByHost.set(key, (this.#pendingByHost.get(key) ?? 0) + 1)
    let released = false
    const release = (): void => {
      if (released) return
      released = true
      this.#pending.delete(entry)
      this.#pendingInbound--
      const left = (this.#pendingByHost.get(key) ?? 1) - 1
      if (left > 0) this.#pendingByHost.set(key, left); else this.#pendingByHost.delete(key)
    }
    const entry: PendingUpgrade = { remoteAddr: addr, key, allowed, progressAt: performance.now(), shed: shed ?? (() => {}), release }
    if (shed !== undefined) this.#pending.add(entry)
    return { allowed, release, progress: () => { entry.progressAt = performance.now() } }
  }

  /**
   * The pending upgrade stalled longest, if it has been stalled for at least
   * `pendingUpgradeStallMs` (never an allow-listed one), among those counted
   * against `key` when given; undefined when none qualifies, and the new
   * socket is then refused as before.
   */
  #stalledVictim (key?: string): PendingUpgrade | undefined {
    const stallMs = this.options.pendingUpgradeStallMs
    if (stallMs <= 0) return undefined
    const before = performance.now() - stallMs
    let victim: PendingUpgrade | undefined
    for (const p of this.#pending) {
      if (!p.allowed && (key === undefined || p.key === key) && p.progressAt <= before && (victim === undefined || p.progressAt < victim.progressAt)) victim = p
    }
    return victim
  }

  /** Abandons `victim` to free its slot, and announces it as `inbound:shed`. */
  #shedOne (victim: PendingUpgrade): void {
    const stalledMs = Math.round(performance.now() - victim.progressAt)
    const error = new PendingUpgradeShedError(`inbound upgrade from ${victim.remoteAddr.toString()} shed: no progress for ${stalledMs} ms while every pending slot was taken`)
    // The slot is free now, whatever the abort does later (release is idempotent).
    victim.release()
    this.#shed++
    this.dispatchEvent(new CustomEvent<InboundShed>('inbound:shed', { detail: { remoteAddr: victim.remoteAddr, stalledMs, error } }))
    victim.shed(error)
  }

  /** Pending upgrades shed so far (PENDING_UPGRADE_STALL_MS). */
  get shedUpgrades (): number { return this.#shed }

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
const RELAYED_ADMISSION_PREFIX = 'p2p-circuit/'
const isRelayedAdmission = (host: string): boolean => host.startsWith(RELAYED_ADMISSION_PREFIX)

function admissionHostOf (addr: RawConnection['remoteAddr']): string {
  const components = addr.getComponents()
  const circuit = components.findIndex(c => c.name === 'p2p-circuit')
  if (circuit < 0) return hostOf(addr)
  return `${RELAYED_ADMISSION_PREFIX}${components.slice(circuit - 1).map(c => c.value ?? '').join('/')}`
}

