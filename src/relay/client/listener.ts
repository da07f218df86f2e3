/**
 * Listening through a relay (circuit-v2.md "Reservation"): `listen(<relay
 * addr>/p2p/R/p2p-circuit)` dials R, reserves, and from then on announces
 * `<R's addrs>/p2p/R/p2p-circuit`. The reservation is refreshed before it
 * expires ("it's the responsibility of the client to refresh") and after the
 * relay connection drops; RESERVATION_MAX_FAILURES refreshes in a row that
 * fail end the listening (no addresses, a `relay:reservation-lost` event).
 *
 * Every change of what the reservation lets us announce (made, renewed with
 * other relay addresses, voided by a dropped connection, lost, released)
 * refreshes the node's address manager, so `getMultiaddrs()` and the signed
 * peer record follow and `self:peer:update` fires.
 *
 * `release()` (automatic relay selection, ./auto-relay.ts) stops refreshing
 * and announcing without closing the listener; `listen()` may then take it
 * up again, on the same relay or another one.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '../../connection/connection.js'
import type { ServiceHost } from '../../node/service.js'
import type { PeerId } from '../../peer-id/types.js'
import type { Listener, RawConnection } from '../../transport/types.js'
import { ListenError } from '../../transport/errors.js'
import { parseCircuitAddr } from '../addresses.js'
import { RESERVATION_REFRESH_BEFORE_EXPIRY_MS, RESERVATION_REFRESH_MIN_DELAY_MS } from '../constants.js'
import { InvalidCircuitAddressError } from '../errors.js'
import { reserve, type ReservationInfo } from './reserve.js'

/**
 * Delay before retrying a failed refresh: 10 s. A relay that restarts or a
 * link that flaps gets a few chances before the listener gives up.
 */
export const RESERVATION_RETRY_DELAY_MS = 10_000

/** Refreshes that may fail in a row before the listener stops: 6 (a minute of retries). */
export const RESERVATION_MAX_FAILURES = 6

/** Milliseconds from now until the refresh of a reservation expiring at `expire` (UNIX seconds). */
export function refreshDelay (expire: bigint, now = Date.now()): number {
  const left = Number(expire) * 1000 - now
  const margin = Math.min(RESERVATION_REFRESH_BEFORE_EXPIRY_MS, left / 4)
  // setTimeout takes at most a signed 32-bit delay.
  return Math.min(Math.max(left - margin, RESERVATION_REFRESH_MIN_DELAY_MS), 2 ** 31 - 1)
}

export interface CircuitListenerEvents {
  'relay:reservation': ReservationInfo
  'relay:reservation-lost': { relay: PeerId, error: Error }
}

export class CircuitListener implements Listener {
  readonly onConnection: (connection: RawConnection) => void
  readonly #host: ServiceHost
  readonly #registry: Set<CircuitListener>
  #relay: PeerId | undefined
  #relayAddr: Multiaddr | undefined
  #reservation: ReservationInfo | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  #failures = 0
  #closed = false
  #released = false
  #lost = false
  #watched: Connection | undefined
  /** Reservations made so far (the first and every refresh): tests and diagnostics. */
  reservationCount = 0

  constructor (host: ServiceHost, registry: Set<CircuitListener>, onConnection: (connection: RawConnection) => void) {
    this.#host = host
    this.#registry = registry
    this.onConnection = onConnection
  }

  get relay (): PeerId | undefined { return this.#relay }
  get reservation (): ReservationInfo | undefined { return this.#reservation }
  /** Released, or gave up after RESERVATION_MAX_FAILURES: not reserving, nothing announced, `listen()` may take it up again. */
  get idle (): boolean { return !this.#closed && (this.#released || this.#lost) }

  async listen (addr: Multiaddr): Promise<void> {
    let parts
    try {
      parts = parseCircuitAddr(addr)
    } catch (err) {
      throw new ListenError(`cannot listen on ${addr.toString()}: ${(err as Error).message}`, { cause: err })
    }
    if (parts.target !== undefined) throw new InvalidCircuitAddressError(`${addr.toString()} names a target; listen on <relay>/p2p-circuit`)
    this.#relay = parts.relay
    this.#relayAddr = parts.relayAddr
    this.#released = false
    this.#lost = false
    this.#failures = 0
    try {
      await this.#reserve()
    } catch (err) {
      this.#released = true // idle: automatic relay selection may take it up again for another relay
      throw new ListenError(`reservation on ${parts.relay.toString()} failed: ${(err as Error).message}`, { cause: err })
    }
    this.#registry.add(this)
  }

  async #reserve (): Promise<void> {
    const connection = await this.#host.dial(this.#relayAddr as Multiaddr)
    const info = await reserve(connection, this.#host.peerId)
    if (this.#closed || this.#released) return
    this.#reservation = info
    this.#failures = 0
    this.reservationCount++
    this.#watch(connection)
    this.#schedule(refreshDelay(info.expire))
    this.#host.dispatchEvent(new CustomEvent('relay:reservation', { detail: info }))
    this.#host.addressManager.refresh()
  }

  /** A dropped relay connection voids the reservation (spec): reserve again soon. */
  #watch (connection: Connection): void {
    if (this.#watched === connection) return
    this.#watched = connection
    connection.addCloseListener(() => {
      if (this.#closed || this.#released || this.#watched !== connection) return
      this.#reservation = undefined
      this.#host.addressManager.refresh()
      this.#schedule(RESERVATION_REFRESH_MIN_DELAY_MS)
    })
  }

  #schedule (delayMs: number): void {
    clearTimeout(this.#timer)
    if (this.#closed || this.#released) return
    this.#timer = setTimeout(() => { void this.#refresh() }, delayMs)
  }

  async #refresh (): Promise<void> {
    try {
      await this.#reserve()
    } catch (err) {
      if (this.#closed || this.#released) return
      this.#failures++
      if (this.#failures >= RESERVATION_MAX_FAILURES) {
        this.#reservation = undefined
        this.#lost = true
        this.#host.addressManager.refresh()
        this.#host.dispatchEvent(new CustomEvent('relay:reservation-lost', { detail: { relay: this.#relay as PeerId, error: err as Error } }))
        return
      }
      this.#schedule(RESERVATION_RETRY_DELAY_MS)
    }
  }

  /** `<relay addr>/p2p/R/p2p-circuit` for each address of the relay; none without a reservation. */
  getAddrs (): Multiaddr[] {
    return (this.#reservation?.relayAddrs ?? []).map(a => a.encapsulate('/p2p-circuit'))
  }

  /**
   * Stops reserving on this relay and announcing through it (the relay's slot
   * expires on its own: circuit v2 has no cancel message); `listen()` may reuse the listener.
   */
  release (): void {
    if (this.#closed || this.#released) return
    this.#released = true
    clearTimeout(this.#timer)
    this.#watched = undefined
    this.#reservation = undefined
    this.#registry.delete(this)
    this.#host.addressManager.refresh()
  }

  async close (): Promise<void> {
    this.#closed = true
    clearTimeout(this.#timer)
    this.#reservation = undefined
    this.#registry.delete(this)
  }
}
