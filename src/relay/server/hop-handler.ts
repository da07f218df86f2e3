/**
 * The relay's side of the hop protocol (circuit-v2.md "Hop Protocol"):
 *
 * - RESERVE: refused over a relayed connection (PERMISSION_DENIED, "should
 *   not accept reservations over already relayed connections") or past the
 *   reservation caps (RESERVATION_REFUSED); otherwise answered with the
 *   expiry, our public addresses and a signed voucher, plus the limit.
 * - CONNECT: needs a valid reservation and an open direct connection of the
 *   target (NO_RESERVATION), room under the circuit caps
 *   (RESOURCE_LIMIT_EXCEEDED), a target that accepts the stop CONNECT
 *   (CONNECTION_FAILED); then the hop and stop streams are spliced.
 * - anything else: UNEXPECTED_MESSAGE; undecodable: MALFORMED_MESSAGE.
 *
 * Each refusal is written as a STATUS message and the stream is closed.
 */
import type { Connection } from '../../connection/connection.js'
import type { PrivateKey } from '../../keys/types.js'
import type { Multiaddr } from '@multiformats/multiaddr'
import { peerIdFromMultihash } from '../../peer-id/from.js'
import type { PeerId } from '../../peer-id/types.js'
import type { Stream } from '../../stream/types.js'
import { RelayStream } from '../_exchange.js'
import { isCircuitAddr } from '../addresses.js'
import { RELAY_STOP_PROTOCOL } from '../constants.js'
import { MalformedRelayMessageError, RelayRefusedError, UnexpectedRelayMessageError } from '../errors.js'
import { HopType, StopType, type RelayLimit } from '../messages.js'
import { RelayStatus, statusName } from '../status.js'
import { ReservationVoucher, sealVoucher } from '../voucher.js'
import type { CircuitCounter } from './circuit-counter.js'
import type { ReservationStore } from './reservation-store.js'
import { splice, type SpliceResult } from './splice.js'

export interface HopContext {
  peerId: PeerId
  privateKey: PrivateKey
  reservations: ReservationStore
  circuits: CircuitCounter
  limit: RelayLimit | undefined
  /** Our public addresses (with `/p2p/<us>`), for Reservation.addrs. */
  addresses: () => Multiaddr[]
  /** Open connections of a peer. */
  connectionsOf: (peer: PeerId) => Connection[]
  /** Aborted when the relay stops: every circuit is cut. */
  signal: AbortSignal
  /** Deadline of the request/answer exchange; default RELAY_EXCHANGE_TIMEOUT_MS. */
  exchangeTimeoutMs?: number
  /** Called once a reservation is granted (the service tags the peer against pruning). */
  onReserved?: (peer: PeerId, expire: bigint) => Promise<void>
  /** Told about each refusal and each finished circuit (events, tests). */
  onRefused?: (kind: 'reserve' | 'connect', peer: PeerId, status: number, reason: Error) => void
  onCircuitClosed?: (from: PeerId, to: PeerId, result: SpliceResult) => void
}

function refuse (status: number, reason: string): RelayRefusedError {
  return new RelayRefusedError(status, `${statusName(status)}: ${reason}`)
}

export async function handleHop (stream: Stream, connection: Connection, ctx: HopContext): Promise<void> {
  const hop = new RelayStream(stream, ctx.exchangeTimeoutMs)
  let request
  try {
    request = await hop.readHop()
    if (request.type === undefined) throw new MalformedRelayMessageError('hop message without a type')
  } catch (err) {
    await answerError(hop, connection, 'connect', err as Error, ctx)
    return
  }
  try {
    if (request.type === HopType.RESERVE) await reserve(hop, connection, ctx)
    else if (request.type === HopType.CONNECT) await connect(hop, connection, request.peer?.id, ctx)
    else throw new UnexpectedRelayMessageError(`hop message of type ${request.type} from a client`)
  } catch (err) {
    await answerError(hop, connection, request.type === HopType.RESERVE ? 'reserve' : 'connect', err as Error, ctx)
  }
}

/** Writes the status that matches `err` (if the stream can still take it) and closes the stream. */
async function answerError (hop: RelayStream, connection: Connection, kind: 'reserve' | 'connect', err: Error, ctx: HopContext): Promise<void> {
  const code = (err as { status?: unknown }).status
  const status = typeof code === 'number' ? code : undefined
  ctx.onRefused?.(kind, connection.remotePeer, status ?? RelayStatus.UNUSED, err)
  if (status === undefined) { hop.fail(err); return }
  try {
    await hop.writeHop({ type: HopType.STATUS, status })
    await hop.finish()
  } catch {
    hop.fail(err)
  }
}

async function reserve (hop: RelayStream, connection: Connection, ctx: HopContext): Promise<void> {
  if (isCircuitAddr(connection.remoteAddr)) throw refuse(RelayStatus.PERMISSION_DENIED, 'no reservations over a relayed connection')
  const result = ctx.reservations.reserve(connection)
  if (!('reservation' in result)) throw refuse(result.status, `no room for a reservation of ${connection.remotePeer.toString()}`)
  const { reservation } = result
  await ctx.onReserved?.(connection.remotePeer, reservation.expire)
  const voucher = await sealVoucher(new ReservationVoucher({ relay: ctx.peerId, peer: connection.remotePeer, expiration: reservation.expire }), ctx.privateKey)
  const addrs = ctx.addresses().filter(a => !isCircuitAddr(a)).map(a => a.bytes)
  await hop.writeHop({
    type: HopType.STATUS,
    status: RelayStatus.OK,
    reservation: { expire: reservation.expire, addrs, voucher },
    ...(ctx.limit !== undefined ? { limit: ctx.limit } : {})
  })
  await hop.finish()
}

async function connect (hop: RelayStream, connection: Connection, targetId: Uint8Array | undefined, ctx: HopContext): Promise<void> {
  if (isCircuitAddr(connection.remoteAddr)) throw refuse(RelayStatus.PERMISSION_DENIED, 'no circuits over a relayed connection')
  if (targetId === undefined) throw new MalformedRelayMessageError('CONNECT without a peer')
  let target: PeerId
  try {
    target = peerIdFromMultihash(targetId)
  } catch (err) {
    throw new MalformedRelayMessageError(`CONNECT peer id: ${(err as Error).message}`)
  }
  const source = connection.remotePeer
  if (target.equals(source) || target.equals(ctx.peerId)) throw refuse(RelayStatus.PERMISSION_DENIED, 'a circuit to itself or to the relay')
  if (ctx.reservations.get(target) === undefined) throw refuse(RelayStatus.NO_RESERVATION, `${target.toString()} holds no reservation`)
  const targetConnection = ctx.connectionsOf(target).find(c => c.status === 'open' && !isCircuitAddr(c.remoteAddr))
  if (targetConnection === undefined) throw refuse(RelayStatus.NO_RESERVATION, `${target.toString()} is not connected`)
  const release = ctx.circuits.acquire(source.toString(), target.toString())
  if (release === undefined) throw refuse(RelayStatus.RESOURCE_LIMIT_EXCEEDED, `circuit limit reached for ${source.toString()} → ${target.toString()}`)
  let spliced = false
  try {
    const stop = await openStop(targetConnection, source, ctx.limit, ctx.exchangeTimeoutMs)
    try {
      await hop.writeHop({ type: HopType.STATUS, status: RelayStatus.OK, ...(ctx.limit !== undefined ? { limit: ctx.limit } : {}) })
    } catch (err) {
      stop.fail(err as Error)
      throw err
    }
    hop.done()
    stop.done()
    spliced = true
    void splice(
      { source: hop.reader.rest(), stream: hop.stream },
      { source: stop.reader.rest(), stream: stop.stream },
      ctx.limit, ctx.signal
    ).then(result => { ctx.onCircuitClosed?.(source, target, result) }).finally(release)
  } finally {
    if (!spliced) release()
  }
}

/** Opens the stop stream and sends CONNECT (spec "Stop Protocol"); CONNECTION_FAILED unless the target answers OK. */
async function openStop (target: Connection, source: PeerId, limit: RelayLimit | undefined, timeoutMs: number | undefined): Promise<RelayStream> {
  let stop: RelayStream | undefined
  try {
    stop = new RelayStream(await target.newStream(RELAY_STOP_PROTOCOL), timeoutMs)
    await stop.writeStop({ type: StopType.CONNECT, peer: { id: source.multihash, addrs: [] }, ...(limit !== undefined ? { limit } : {}) })
    const answer = await stop.readStop()
    if (answer.type !== StopType.STATUS || answer.status !== RelayStatus.OK) {
      throw new Error(`target answered ${statusName(answer.status)}`)
    }
    return stop
  } catch (err) {
    if (stop !== undefined) stop.fail(err as Error)
    throw refuse(RelayStatus.CONNECTION_FAILED, `stop CONNECT to ${target.remotePeer.toString()} failed: ${(err as Error).message}`)
  }
}
