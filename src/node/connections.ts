/** The open connections of a node, by remote peer; closed ones drop out by themselves. */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '../connection/connection.js'
import type { PeerId } from '../peer-id/types.js'

/** The `p2p-circuit` multiaddr code: a connection through a relay. */
const P2P_CIRCUIT_CODE = 290
/** The `webrtc` code: after `/p2p-circuit` it means the relay carried only the signaling (webrtc.md). */
const WEBRTC_CODE = 0x0119

/** An address through a relay: `/p2p-circuit`, unless `/webrtc` follows it (then the relay only signals). */
export function isRelayedAddr (addr: Multiaddr): boolean {
  const codes = addr.getComponents().map(c => c.code)
  const at = codes.indexOf(P2P_CIRCUIT_CODE)
  return at >= 0 && codes[at + 1] !== WEBRTC_CODE
}

/** A connection whose bytes go through a relay. */
export function isRelayed (connection: Connection): boolean {
  return isRelayedAddr(connection.remoteAddr)
}

export class ConnectionTable {
  readonly #byPeer = new Map<string, Set<Connection>>()

  add (connection: Connection): void {
    const key = connection.remotePeer.toString()
    let set = this.#byPeer.get(key)
    if (set === undefined) { set = new Set(); this.#byPeer.set(key, set) }
    set.add(connection)
    connection.addCloseListener(() => {
      set.delete(connection)
      if (set.size === 0 && this.#byPeer.get(key) === set) this.#byPeer.delete(key)
    })
  }

  /**
   * An open connection to `peer`, if there is one (the oldest, so dials
   * converge on one); a direct one before a relayed or `limited` one, so
   * new streams leave the relay once DCUtR has made a direct connection.
   */
  openTo (peer: PeerId): Connection | undefined {
    let relayed: Connection | undefined
    for (const connection of this.#byPeer.get(peer.toString()) ?? []) {
      if (connection.status !== 'open') continue
      if (!connection.limited && !isRelayed(connection)) return connection
      relayed ??= connection
    }
    return relayed
  }

  /** Connections in the table (open or closing). */
  size (): number {
    let n = 0
    for (const set of this.#byPeer.values()) n += set.size
    return n
  }

  /** Peers with at least one connection. */
  peers (): string[] { return [...this.#byPeer.keys()] }

  all (peer?: PeerId): Connection[] {
    if (peer !== undefined) return [...(this.#byPeer.get(peer.toString()) ?? [])]
    return [...this.#byPeer.values()].flatMap(set => [...set])
  }
}
