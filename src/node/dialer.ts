/**
 * Dials a peer (by multiaddr, or by PeerId through the peer store's
 * addresses) into a Connection, through the connection manager:
 *
 * - an open connection to the peer is reused (one connection per peer);
 * - concurrent dials to the same peer share one job in the dial queue, which
 *   bounds concurrency and applies the dial timeout;
 * - the gater is asked before dialing the peer and each address, after the
 *   socket exists, and (through the upgrader) after Noise and after the muxer;
 * - a peer's addresses are tried in `orderAddresses` order, at most
 *   `maxDialsPerPeer` of them, one after another.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '../connection/connection.js'
import type { Upgrader } from '../connection/upgrader.js'
import type { PeerId } from '../peer-id/types.js'
import type { Transport } from '../transport/types.js'
import { getPeerIdFromMultiaddr, withPeerId } from '../multiaddr/index.js'
import { UnsupportedTransportError } from '../transport/errors.js'
import type { ConnectionManager } from '../connection-manager/connection-manager.js'
import { orderAddresses, type DialCandidate } from '../connection-manager/address-order.js'
import type { DialQueue } from '../connection-manager/dial-queue.js'
import { enforce, type ConnectionGater } from '../connection-manager/gater.js'
import { DialError, NoKnownAddressesError } from '../connection-manager/errors.js'
import { DialSelfError } from './errors.js'

export interface DialerInit {
  localPeer: PeerId
  transports: Transport[]
  upgrader: Upgrader
  manager: ConnectionManager
  queue: DialQueue
  gater: ConnectionGater
  /** Known addresses of a peer (the peer store's), for dials by PeerId. */
  addressesOf: (peer: PeerId) => Promise<DialCandidate[]>
}

export interface DialOptions {
  signal?: AbortSignal
  /** A new connection even when one to the peer is open (AutoNAT's dial-back must test the address itself). */
  force?: boolean
}

let forcedDials = 0

export class Dialer {
  readonly #init: DialerInit

  constructor (init: DialerInit) { this.#init = init }

  async dial (target: Multiaddr | PeerId, options: DialOptions = {}): Promise<Connection> {
    const addr = isPeerId(target) ? undefined : target
    const peer = isPeerId(target) ? target : getPeerIdFromMultiaddr(target)
    if (peer?.equals(this.#init.localPeer) === true) throw new DialSelfError('cannot dial our own peer id')
    const force = options.force === true
    if (peer !== undefined) {
      const open = force ? undefined : this.#init.manager.table.openTo(peer)
      if (open !== undefined) return open
      await enforce('dial-peer', this.#init.gater.denyDialPeer?.(peer), `dialing ${peer.toString()}`)
    }
    // A forced dial shares no queue job: each one must make its own connection.
    const key = force ? `force ${++forcedDials}` : peer?.toString() ?? (addr as Multiaddr).toString()
    return await this.#init.queue.run(key, async signal => {
      // A dial that finished while this one queued may have made the connection.
      if (peer !== undefined && !force) {
        const open = this.#init.manager.table.openTo(peer)
        if (open !== undefined) return open
      }
      const candidates = addr !== undefined ? [{ multiaddr: addr }] : await this.#init.addressesOf(peer as PeerId)
      return await this.#dialAny(peer, candidates, signal, force)
    }, options.signal)
  }

  async #dialAny (peer: PeerId | undefined, candidates: DialCandidate[], signal: AbortSignal, force: boolean): Promise<Connection> {
    const dialable = orderAddresses(candidates)
      .map(c => peer !== undefined ? withPeerId(c.multiaddr, peer) : c.multiaddr)
      .filter(a => this.#transportFor(a) !== undefined)
      .slice(0, this.#init.manager.options.maxDialsPerPeer)
    if (dialable.length === 0) {
      if (candidates.length === 0) throw new NoKnownAddressesError(`no known addresses for ${peer?.toString() ?? 'the peer'}`)
      throw new UnsupportedTransportError(`no configured transport can dial ${candidates.map(c => c.multiaddr.toString()).join(', ')}`)
    }
    const errors: Error[] = []
    for (const addr of dialable) {
      try {
        return await this.#dialAddress(peer, addr, signal, force)
      } catch (err) {
        errors.push(err as Error)
        if (signal.aborted) break
      }
    }
    if (errors.length === 1) throw errors[0] as Error
    throw new DialError(`all ${errors.length} addresses failed: ${errors.map(e => e.message).join('; ')}`, errors)
  }

  async #dialAddress (peer: PeerId | undefined, addr: Multiaddr, signal: AbortSignal, force: boolean): Promise<Connection> {
    const { gater, manager, upgrader } = this.#init
    manager.checkDialAddress(addr)
    await enforce('dial-multiaddr', gater.denyDialMultiaddr?.(addr), `dialing ${addr.toString()}`)
    const release = manager.reserveOutbound()
    try {
      const raw = await (this.#transportFor(addr) as Transport).dial(addr, { signal })
      try {
        await enforce('outbound-connection', gater.denyOutboundConnection?.(peer, raw), `the connection to ${addr.toString()}`)
      } catch (err) {
        raw.abort(err as Error)
        throw err
      }
      const connection = await upgrader.upgradeOutbound(raw, { signal, ...(peer !== undefined ? { remotePeer: peer } : {}) })
      // Dialed by a bare address, the peer turned out to be one we are already connected to: keep one connection.
      const existing = force ? undefined : manager.table.openTo(connection.remotePeer)
      if (existing !== undefined) {
        void connection.close()
        return existing
      }
      manager.add(connection)
      return connection
    } finally {
      release()
    }
  }

  #transportFor (addr: Multiaddr): Transport | undefined {
    return this.#init.transports.find(t => t.dialFilter([addr]).length > 0)
  }
}

export function isPeerId (value: unknown): value is PeerId {
  return typeof value === 'object' && value !== null && (value as PeerId).multihash instanceof Uint8Array && typeof (value as PeerId).toCID === 'function'
}
