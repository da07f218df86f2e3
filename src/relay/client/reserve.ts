/**
 * A client's RESERVE on a relay (circuit-v2.md "Reservation"): sends the
 * request on a new hop stream, checks the answer (status OK, a reservation,
 * a voucher signed by this relay for us when one is given) and returns the
 * relay addresses to listen on, each `<addr>/p2p/<relay>`.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import { multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '../../connection/connection.js'
import { P2P_CODE, getPeerIdFromMultiaddr, withPeerId } from '../../multiaddr/index.js'
import type { PeerId } from '../../peer-id/types.js'
import { RelayStream, effectiveLimit } from '../_exchange.js'
import { isCircuitAddr } from '../addresses.js'
import { RELAY_HOP_PROTOCOL } from '../constants.js'
import { MalformedRelayMessageError, RelayRefusedError, UnexpectedRelayMessageError } from '../errors.js'
import { HopType, type RelayLimit } from '../messages.js'
import { RelayStatus, statusName } from '../status.js'
import { openVoucher, type ReservationVoucher } from '../voucher.js'

export interface ReservationInfo {
  relay: PeerId
  /** UTC UNIX seconds. */
  expire: bigint
  /** Where peers reach us through this relay: `<relay addr>/p2p/<relay>` (append `/p2p-circuit`). */
  relayAddrs: Multiaddr[]
  limit: RelayLimit | undefined
  voucher: ReservationVoucher | undefined
}

export async function reserve (connection: Connection, self: PeerId): Promise<ReservationInfo> {
  const relay = connection.remotePeer
  const hop = new RelayStream(await connection.newStream(RELAY_HOP_PROTOCOL))
  try {
    await hop.writeHop({ type: HopType.RESERVE })
    const answer = await hop.readHop()
    if (answer.type !== HopType.STATUS) throw new UnexpectedRelayMessageError(`relay answered RESERVE with a message of type ${String(answer.type)}`)
    if (answer.status !== RelayStatus.OK) throw new RelayRefusedError(answer.status ?? RelayStatus.UNUSED, `reservation refused by ${relay.toString()}: ${statusName(answer.status)}`)
    const reservation = answer.reservation
    if (reservation === undefined) throw new MalformedRelayMessageError('reservation accepted without a Reservation')
    const voucher = reservation.voucher === undefined
      ? undefined
      : await openVoucher(reservation.voucher, { relay, peer: self, expiration: reservation.expire })
    const relayAddrs: Multiaddr[] = []
    for (const bytes of reservation.addrs) {
      try {
        const addr = multiaddr(bytes)
        if (isCircuitAddr(addr)) continue
        const named = getPeerIdFromMultiaddr(addr)
        if (named !== undefined && !named.equals(relay)) continue
        const full = withPeerId(addr, relay)
        if (!relayAddrs.some(a => a.equals(full))) relayAddrs.push(full)
      } catch { /* an address we cannot parse is left out, not fatal */ }
    }
    // A relay that lists no address (go-libp2p on a refresh): the one we reached it at.
    if (relayAddrs.length === 0) relayAddrs.push(withPeerId(stripP2p(connection.remoteAddr), relay))
    await hop.finish()
    return { relay, expire: reservation.expire, relayAddrs, limit: effectiveLimit(answer.limit), voucher }
  } catch (err) {
    hop.fail(err as Error)
    throw err
  }
}

function stripP2p (addr: Multiaddr): Multiaddr {
  const components = addr.getComponents()
  return components[components.length - 1]?.code === P2P_CODE ? multiaddr(components.slice(0, -1)) : addr
}
