/**
 * Dials a multiaddr into a Connection: reuse an open connection to the same
 * peer, join a dial already in flight to it, else pick the first transport
 * whose dial filter accepts the address, dial and upgrade.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '../connection/connection.js'
import type { Upgrader } from '../connection/upgrader.js'
import type { PeerId } from '../peer-id/types.js'
import type { Transport } from '../transport/types.js'
import { getPeerIdFromMultiaddr } from '../multiaddr/index.js'
import { UnsupportedTransportError } from '../transport/errors.js'
import type { ConnectionTable } from './connections.js'
import { DialSelfError } from './errors.js'

export interface DialerInit {
  localPeer: PeerId
  transports: Transport[]
  upgrader: Upgrader
  connections: ConnectionTable
}

export interface DialOptions {
  signal?: AbortSignal
}

export class Dialer {
  readonly #init: DialerInit
  readonly #pending = new Map<string, Promise<Connection>>()

  constructor (init: DialerInit) { this.#init = init }

  async dial (addr: Multiaddr, options: DialOptions = {}): Promise<Connection> {
    const peer = getPeerIdFromMultiaddr(addr)
    if (peer?.equals(this.#init.localPeer) === true) throw new DialSelfError('cannot dial our own peer id')
    if (peer !== undefined) {
      const open = this.#init.connections.openTo(peer)
      if (open !== undefined) return open
    }
    const key = peer?.toString() ?? addr.toString()
    const inFlight = this.#pending.get(key)
    if (inFlight !== undefined) return await inFlight
    const dialing = this.#dialNew(addr, peer, options).finally(() => { this.#pending.delete(key) })
    this.#pending.set(key, dialing)
    return await dialing
  }

  async #dialNew (addr: Multiaddr, peer: PeerId | undefined, options: DialOptions): Promise<Connection> {
    const transport = this.#init.transports.find(t => t.dialFilter([addr]).length > 0)
    if (transport === undefined) throw new UnsupportedTransportError(`no configured transport can dial ${addr.toString()}`)
    const raw = await transport.dial(addr, options)
    const connection = await this.#init.upgrader.upgradeOutbound(raw, { ...options, ...(peer !== undefined ? { remotePeer: peer } : {}) })
    this.#init.connections.add(connection)
    return connection
  }
}
