/**
 * Automatic relay selection: while AutoNAT says we are private (the node
 * event `self:reachability`, src/autonat/service.ts), hold reservations on
 * AUTO_RELAY_COUNT relays by ourselves, so that peers can reach us through
 * `…/p2p-circuit` addresses without a relay named in `listen`; once AutoNAT
 * says public, release them (stop refreshing and announcing: circuit v2 has
 * no cancel message, the relay's slot expires on its own).
 *
 * Candidates, in order: the configured `relays` (multiaddrs with `/p2p/`),
 * then peers we are directly connected to whose identify lists the hop
 * protocol (circuit-v2.md "Hop Protocol"). A candidate that refused or failed
 * is skipped for a backoff that doubles from AUTO_RELAY_RETRY_MS up to
 * AUTO_RELAY_MAX_BACKOFF_MS. Each reservation is kept refreshed by its
 * listener (./listener.ts); a listener that loses its reservation is
 * taken up again for the next candidate, so the listeners this makes are
 * bounded by AUTO_RELAY_COUNT.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { ServiceHost } from '../../node/service.js'
import type { ReachabilityEvent } from '../../autonat/service.js'
import type { PeerId } from '../../peer-id/types.js'
import { toMultiaddr, getPeerIdFromMultiaddr, withPeerId } from '../../multiaddr/index.js'
import { isCircuitAddr } from '../addresses.js'
import { RELAY_HOP_PROTOCOL } from '../constants.js'
import type { CircuitListener } from './listener.js'
import type { CircuitRelayTransport } from './transport.js'

/**
 * Relays to hold a reservation on while private: 2, go-libp2p autorelay's
 * default of desired relays. One relay that restarts would leave us
 * unreachable until a new reservation; two cover that, more only cost the relays slots.
 */
export const AUTO_RELAY_COUNT = 2

/**
 * First backoff of a candidate that failed, and the delay before looking
 * again when no candidate was left to try: 5 s. Doubled on each further failure.
 */
export const AUTO_RELAY_RETRY_MS = 5_000

/** Longest backoff of a failing candidate: 5 minutes (a relay that is down for long is tried rarely, still tried). */
export const AUTO_RELAY_MAX_BACKOFF_MS = 5 * 60_000

/**
 * How often, while private, the selection checks that it still holds
 * AUTO_RELAY_COUNT reservations: 30 s. Losses are also noticed at once
 * (`relay:reservation-lost`, a new identified peer); this catches the rest.
 */
export const AUTO_RELAY_CHECK_INTERVAL_MS = 30_000

/** Candidates remembered with a backoff: 64 (bounds the map of failures). */
export const AUTO_RELAY_MAX_BACKOFF_ENTRIES = 64

export interface AutoRelayOptions {
  /** Default AUTO_RELAY_COUNT; 0 turns automatic selection off. */
  count?: number
  /** Relays to try first, each `<addr>/p2p/<relay id>`. */
  relays?: string[]
  /** Default AUTO_RELAY_RETRY_MS. */
  retryMs?: number
  /** Default AUTO_RELAY_MAX_BACKOFF_MS. */
  maxBackoffMs?: number
}

interface Backoff { until: number, delayMs: number }

export class AutoRelay {
  readonly #host: ServiceHost
  readonly #transport: CircuitRelayTransport
  readonly #count: number
  readonly #configured: Multiaddr[]
  readonly #retryMs: number
  readonly #maxBackoffMs: number
  /** Listeners this selection made (reused once idle): at most #count. */
  readonly #mine = new Set<CircuitListener>()
  readonly #backoff = new Map<string, Backoff>()
  #wanted = false
  #running = false
  #again = false
  #timer: ReturnType<typeof setTimeout> | undefined
  #stopped = true

  constructor (host: ServiceHost, transport: CircuitRelayTransport, options: AutoRelayOptions = {}) {
    this.#host = host
    this.#transport = transport
    this.#count = options.count ?? AUTO_RELAY_COUNT
    this.#configured = (options.relays ?? []).map(a => toMultiaddr(a))
    this.#retryMs = options.retryMs ?? AUTO_RELAY_RETRY_MS
    this.#maxBackoffMs = options.maxBackoffMs ?? AUTO_RELAY_MAX_BACKOFF_MS
  }

  /** True while AutoNAT's last verdict was private. */
  get active (): boolean { return this.#wanted }

  readonly #onReachability = (event: CustomEvent<ReachabilityEvent>): void => {
    const verdict = event.detail.reachability
    if (verdict === 'private') {
      this.#wanted = true
      this.#kick()
    } else if (verdict === 'public') {
      this.#wanted = false
      clearTimeout(this.#timer)
      for (const listener of this.#mine) listener.release()
    }
  }

  readonly #onChance = (): void => { if (this.#wanted) this.#kick() }

  start (): void {
    if (this.#count <= 0) return
    this.#stopped = false
    this.#host.addEventListener('self:reachability', this.#onReachability)
    this.#host.addEventListener('peer:identify', this.#onChance)
    this.#host.addEventListener('relay:reservation-lost', this.#onChance)
  }

  stop (): void {
    this.#stopped = true
    this.#wanted = false
    clearTimeout(this.#timer)
    this.#host.removeEventListener('self:reachability', this.#onReachability)
    this.#host.removeEventListener('peer:identify', this.#onChance)
    this.#host.removeEventListener('relay:reservation-lost', this.#onChance)
  }

  #kick (): void {
    if (this.#running) { this.#again = true; return }
    void this.#select()
  }

  #schedule (delayMs: number): void {
    clearTimeout(this.#timer)
    if (this.#stopped || !this.#wanted) return
    this.#timer = setTimeout(() => { this.#kick() }, delayMs)
  }

  /** Relays we hold a live reservation on (ours or named in `listen`). */
  #held (): Set<string> {
    return new Set([...this.#transport.listeners].flatMap(l => l.reservation !== undefined ? [l.reservation.relay.toString()] : []))
  }

  /** `<addr>/p2p/R` for each candidate not held and not backing off, configured ones first. */
  async #candidates (held: Set<string>): Promise<Array<{ relay: PeerId, addr: Multiaddr }>> {
    const now = Date.now()
    const out: Array<{ relay: PeerId, addr: Multiaddr }> = []
    const seen = new Set(held)
    const offer = (relay: PeerId, addr: Multiaddr): void => {
      const key = relay.toString()
      if (seen.has(key) || relay.equals(this.#host.peerId) || (this.#backoff.get(key)?.until ?? 0) > now) return
      seen.add(key)
      out.push({ relay, addr })
    }
    for (const addr of this.#configured) {
      const relay = getPeerIdFromMultiaddr(addr)
      if (relay !== undefined) offer(relay, addr)
    }
    for (const connection of this.#host.getConnections()) {
      if (connection.status !== 'open' || isCircuitAddr(connection.remoteAddr)) continue
      const peer = connection.remotePeer
      const protocols = (await this.#host.peerStore.get(peer))?.protocols ?? []
      if (protocols.includes(RELAY_HOP_PROTOCOL)) offer(peer, withPeerId(connection.remoteAddr, peer))
    }
    return out
  }

  async #select (): Promise<void> {
    this.#running = true
    try {
      do {
        this.#again = false
        await this.#round()
      } while (this.#again && this.#wanted && !this.#stopped)
    } finally {
      this.#running = false
    }
  }

  async #round (): Promise<void> {
    if (!this.#wanted || this.#stopped) return
    const held = this.#held()
    let missing = this.#count - held.size
    if (missing > 0) {
      for (const { relay, addr } of await this.#candidates(held)) {
        if (missing <= 0 || !this.#wanted || this.#stopped) break
        if (await this.#reserveOn(relay, addr)) missing--
      }
    }
    this.#schedule(missing > 0 ? this.#retryMs : AUTO_RELAY_CHECK_INTERVAL_MS)
  }

  async #reserveOn (relay: PeerId, addr: Multiaddr): Promise<boolean> {
    const key = relay.toString()
    const listenAddr = addr.encapsulate('/p2p-circuit')
    try {
      const idle = [...this.#mine].find(l => l.idle)
      if (idle !== undefined) {
        await idle.listen(listenAddr)
      } else if (this.#mine.size < this.#count) {
        await this.#host.listen(listenAddr)
        const made = [...this.#transport.listeners].find(l => l.relay?.equals(relay) === true && !this.#mine.has(l))
        if (made !== undefined) this.#mine.add(made)
      } else {
        return false
      }
      this.#backoff.delete(key)
      if (!this.#wanted) { for (const l of this.#mine) l.release() }
      return true
    } catch {
      const delayMs = Math.min((this.#backoff.get(key)?.delayMs ?? this.#retryMs / 2) * 2, this.#maxBackoffMs)
      this.#backoff.delete(key)
      this.#backoff.set(key, { until: Date.now() + delayMs, delayMs })
      if (this.#backoff.size > AUTO_RELAY_MAX_BACKOFF_ENTRIES) this.#backoff.delete(this.#backoff.keys().next().value as string)
      return false
    }
  }
}
