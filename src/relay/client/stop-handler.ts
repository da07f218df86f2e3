/**
 * The target's side of the stop protocol (circuit-v2.md "Stop Protocol"):
 * the relay sends CONNECT naming the initiator; we answer STATUS OK and the
 * stream becomes the relayed connection, handed to a circuit listener's
 * `onConnection` (the node upgrades it like any inbound connection).
 * Without a listener (no reservation, so nobody to hand it to) the answer is
 * CONNECTION_FAILED; a malformed request gets MALFORMED_MESSAGE, a STATUS
 * in place of CONNECT gets UNEXPECTED_MESSAGE.
 */
import { multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '../../connection/connection.js'
import { P2P_CODE } from '../../multiaddr/index.js'
import { peerIdFromMultihash } from '../../peer-id/from.js'
import type { PeerId } from '../../peer-id/types.js'
import type { Stream } from '../../stream/types.js'
import { CircuitConnection, RelayStream } from '../_exchange.js'
import { isCircuitAddr } from '../addresses.js'
import { MalformedRelayMessageError, RelayRefusedError, UnexpectedRelayMessageError } from '../errors.js'
import { StopType } from '../messages.js'
import { RelayStatus } from '../status.js'
import type { CircuitListener } from './listener.js'

export interface StopContext {
  self: PeerId
  listeners: ReadonlySet<CircuitListener>
  onRefused?: (relay: PeerId, status: number, error: Error) => void
}

export async function handleStop (stream: Stream, connection: Connection, ctx: StopContext): Promise<void> {
  const stop = new RelayStream(stream)
  let status: number = RelayStatus.MALFORMED_MESSAGE
  try {
    const request = await stop.readStop()
    if (request.type === undefined) throw new MalformedRelayMessageError('stop message without a type')
    if (request.type !== StopType.CONNECT) { status = RelayStatus.UNEXPECTED_MESSAGE; throw new UnexpectedRelayMessageError(`stop message of type ${request.type} from a relay`) }
    if (request.peer === undefined) throw new MalformedRelayMessageError('stop CONNECT without a peer')
    let initiator: PeerId
    try {
      initiator = peerIdFromMultihash(request.peer.id)
    } catch (err) {
      throw new MalformedRelayMessageError(`stop CONNECT peer id: ${(err as Error).message}`)
    }
    if (isCircuitAddr(connection.remoteAddr)) { status = RelayStatus.PERMISSION_DENIED; throw new RelayRefusedError(status, 'stop over a relayed connection') }
    const relay = connection.remotePeer
    const listener = [...ctx.listeners].find(l => l.relay?.equals(relay) === true) ?? [...ctx.listeners][0]
    if (listener === undefined) { status = RelayStatus.CONNECTION_FAILED; throw new RelayRefusedError(status, 'not listening through any relay') }
    await stop.writeStop({ type: StopType.STATUS, status: RelayStatus.OK })
    const relayBase = withoutTrailingP2p(connection.remoteAddr).encapsulate(`/p2p/${relay.toString()}/p2p-circuit`)
    listener.onConnection(new CircuitConnection(stop, {
      remoteAddr: relayBase.encapsulate(`/p2p/${initiator.toString()}`),
      localAddr: relayBase.encapsulate(`/p2p/${ctx.self.toString()}`),
      limit: request.limit
    }))
  } catch (err) {
    ctx.onRefused?.(connection.remotePeer, status, err as Error)
    try {
      await stop.writeStop({ type: StopType.STATUS, status })
      await stop.finish()
    } catch {
      stop.fail(err as Error)
    }
  }
}

function withoutTrailingP2p (addr: ReturnType<typeof multiaddr>): ReturnType<typeof multiaddr> {
  const components = addr.getComponents()
  return components[components.length - 1]?.code === P2P_CODE ? multiaddr(components.slice(0, -1)) : addr
}
