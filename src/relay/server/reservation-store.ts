/**
 * The relay's reservations (circuit-v2.md "Reservation"): one per peer,
 * valid until its expiry and only while the connection it was made on is
 * open ("If the peer disconnects, the reservation is no longer valid").
 * Bounded in total (MAX_RESERVATIONS) and per IP (MAX_RESERVATIONS_PER_IP);
 * a refresh by a peer that holds one never counts against either.
 */
import type { Connection } from '../../connection/connection.js'
import { hostOf } from '../../connection-manager/address-filter.js'
import type { PeerId } from '../../peer-id/types.js'
import { MAX_RESERVATIONS, MAX_RESERVATIONS_PER_IP, RESERVATION_TTL_MS } from '../constants.js'
import { RelayStatus } from '../status.js'

export interface ReservationLimits {
  /** Default RESERVATION_TTL_MS. */
  reservationTtlMs?: number
  /** Default MAX_RESERVATIONS. */
  maxReservations?: number
  /** Default MAX_RESERVATIONS_PER_IP. */
  maxReservationsPerIp?: number
}

export interface Reservation {
  readonly peer: PeerId
  /** The reserving connection's host (`ip4/1.2.3.4`), for the per-IP cap. */
  readonly ip: string
  readonly connection: Connection
  /** UTC UNIX seconds, as sent (spec "Reservation.expire"). */
  readonly expire: bigint
}

export type ReserveResult = { status: typeof RelayStatus.OK, reservation: Reservation } | { status: number }

export class ReservationStore {
  readonly #byPeer = new Map<string, Reservation>()
  readonly #ttlMs: number
  readonly #max: number
  readonly #maxPerIp: number

  constructor (limits: ReservationLimits = {}) {
    this.#ttlMs = limits.reservationTtlMs ?? RESERVATION_TTL_MS
    this.#max = limits.maxReservations ?? MAX_RESERVATIONS
    this.#maxPerIp = limits.maxReservationsPerIp ?? MAX_RESERVATIONS_PER_IP
  }

  /** Live reservations (expired ones are dropped first). */
  get size (): number { this.#sweep(); return this.#byPeer.size }

  reserve (connection: Connection): ReserveResult {
    this.#sweep()
    const key = connection.remotePeer.toString()
    const ip = hostOf(connection.remoteAddr)
    const existing = this.#byPeer.get(key)
    if (existing === undefined) {
      if (this.#byPeer.size >= this.#max) return { status: RelayStatus.RESERVATION_REFUSED }
      let fromIp = 0
      for (const r of this.#byPeer.values()) if (r.ip === ip) fromIp++
      if (fromIp >= this.#maxPerIp) return { status: RelayStatus.RESERVATION_REFUSED }
    }
    const expire = BigInt(Math.floor((Date.now() + this.#ttlMs) / 1000))
    const reservation: Reservation = { peer: connection.remotePeer, ip, connection, expire }
    this.#byPeer.set(key, reservation)
    if (existing?.connection !== connection) {
      connection.addCloseListener(() => {
        if (this.#byPeer.get(key)?.connection === connection) this.#byPeer.delete(key)
      })
    }
    return { status: RelayStatus.OK, reservation }
  }

  /** The peer's reservation if it is still valid. */
  get (peer: PeerId): Reservation | undefined {
    const key = peer.toString()
    const r = this.#byPeer.get(key)
    if (r === undefined) return undefined
    if (!this.#valid(r)) { this.#byPeer.delete(key); return undefined }
    return r
  }

  remove (peer: PeerId): void { this.#byPeer.delete(peer.toString()) }

  clear (): void { this.#byPeer.clear() }

  #valid (r: Reservation): boolean {
    return r.connection.status === 'open' && Number(r.expire) * 1000 > Date.now()
  }

  /** At most MAX_RESERVATIONS entries, so this is bounded. */
  #sweep (): void {
    for (const [key, r] of this.#byPeer) if (!this.#valid(r)) this.#byPeer.delete(key)
  }
}
