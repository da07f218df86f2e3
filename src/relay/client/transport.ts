/**
 * The `/p2p-circuit` transport (circuit-v2.md "Connection Initiation"):
 * `dial(<relay addr>/p2p/R/p2p-circuit/p2p/T)` connects to R (or reuses a
 * connection), opens a hop stream, sends CONNECT for T, and once R answers
 * OK yields the stream as a raw connection that the node upgrades (Noise,
 * yamux) end to end with T. Listening is ./listener.ts.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { ServiceHost } from '../../node/service.js'
import type { DialOptions, Listener, ListenerOptions, RawConnection, Transport } from '../../transport/types.js'
import { CircuitConnection, RelayStream } from '../_exchange.js'
import { circuitParts, isCircuitAddr, parseCircuitAddr } from '../addresses.js'
import { RELAY_HOP_PROTOCOL } from '../constants.js'
import { InvalidCircuitAddressError, RelayRefusedError, UnexpectedRelayMessageError } from '../errors.js'
import { HopType } from '../messages.js'
import { RelayStatus, statusName } from '../status.js'
import { CircuitListener } from './listener.js'

export class CircuitRelayTransport implements Transport {
  readonly name = 'p2p-circuit'
  /** Listening circuit listeners: where the stop handler hands inbound circuits. */
  readonly listeners = new Set<CircuitListener>()
  readonly #host: ServiceHost

  constructor (host: ServiceHost) { this.#host = host }

  async dial (addr: Multiaddr, options: DialOptions = {}): Promise<RawConnection> {
    const { relayAddr, relay, target } = parseCircuitAddr(addr)
    if (target === undefined) throw new InvalidCircuitAddressError(`${addr.toString()} names no target after /p2p-circuit`)
    if (target.equals(this.#host.peerId)) throw new InvalidCircuitAddressError('a circuit to ourselves')
    const relayConnection = await this.#host.dial(relayAddr, options.signal !== undefined ? { signal: options.signal } : {})
    // Spec: implementations should not relay over relayed connections.
    if (isCircuitAddr(relayConnection.remoteAddr)) throw new InvalidCircuitAddressError(`the connection to relay ${relay.toString()} is itself relayed`)
    const hop = new RelayStream(await relayConnection.newStream(RELAY_HOP_PROTOCOL, options.signal !== undefined ? { signal: options.signal } : {}))
    const onAbort = (): void => { hop.fail(options.signal?.reason instanceof Error ? options.signal.reason : new Error('dial aborted')) }
    options.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      await hop.writeHop({ type: HopType.CONNECT, peer: { id: target.multihash, addrs: [] } })
      const answer = await hop.readHop()
      if (answer.type !== HopType.STATUS) throw new UnexpectedRelayMessageError(`relay answered CONNECT with a message of type ${String(answer.type)}`)
      if (answer.status !== RelayStatus.OK) throw new RelayRefusedError(answer.status ?? RelayStatus.UNUSED, `relay ${relay.toString()} refused the circuit to ${target.toString()}: ${statusName(answer.status)}`)
      return new CircuitConnection(hop, {
        remoteAddr: addr,
        localAddr: relayAddr.encapsulate(`/p2p-circuit/p2p/${this.#host.peerId.toString()}`),
        limit: answer.limit
      })
    } catch (err) {
      hop.fail(err as Error)
      throw err
    } finally {
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  createListener (options: ListenerOptions): Listener {
    return new CircuitListener(this.#host, this.listeners, options.onConnection)
  }

  /** `<relay>/p2p/R/p2p-circuit/p2p/T`. */
  dialFilter (addrs: Multiaddr[]): Multiaddr[] {
    return addrs.filter(a => circuitParts(a)?.target !== undefined)
  }

  /** `<relay>/p2p/R/p2p-circuit`. */
  listenFilter (addrs: Multiaddr[]): Multiaddr[] {
    return addrs.filter(a => { const parts = circuitParts(a); return parts !== undefined && parts.target === undefined })
  }

  /** Closes every circuit listener (the node's stop does too, through their close()). */
  async closeListeners (): Promise<void> {
    await Promise.all([...this.listeners].map(async l => { await l.close() }))
  }
}
