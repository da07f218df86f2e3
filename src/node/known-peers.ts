/**
 * Reconnecting to known peers: once the node listens, dial the peers the peer
 * store remembers (with a persistent peer store, those of the last run), so a
 * restarted node rejoins its neighbourhood without a bootstrap list. Peers
 * are tried best first (highest tag value, then most recently updated), at
 * most KNOWN_PEERS_MAX_DIALS of them, KNOWN_PEERS_CONCURRENCY at a time; a
 * peer that does not answer is simply skipped (its addresses expire in time).
 */
import type { PeerId } from '../peer-id/types.js'
import type { Peer, PeerStore } from '../peer-store/types.js'
import type { ServiceFactory, ServiceHost } from './service.js'

/**
 * Most known peers dialed on start: 32. Enough to rejoin any small network
 * and to fill a DHT routing table's nearest buckets; a store of 1024 peers
 * must not turn into 1024 dials at every start.
 */
export const KNOWN_PEERS_MAX_DIALS = 32

/** Dials in flight at once: 8 (the dial queue bounds them too; this keeps the start-up burst small). */
export const KNOWN_PEERS_CONCURRENCY = 8

export interface KnownPeersOptions {
  /** Default KNOWN_PEERS_MAX_DIALS. */
  maxDials?: number
  /** Default KNOWN_PEERS_CONCURRENCY. */
  concurrency?: number
}

export interface KnownPeersHost {
  readonly peerId: PeerId
  readonly peerStore: PeerStore
  dial: ServiceHost['dial']
  getConnections: ServiceHost['getConnections']
}

export interface ReconnectResult {
  /** Peers (base58 text) a connection was opened to. */
  connected: string[]
  /** Peers whose dial failed. */
  failed: string[]
}

function tagTotal (peer: Peer): number {
  let total = 0
  for (const tag of peer.tags.values()) total += tag.value
  return total
}

/** Dials the best known peers that have addresses and no connection yet. */
export async function reconnectKnownPeers (host: KnownPeersHost, options: KnownPeersOptions = {}): Promise<ReconnectResult> {
  const maxDials = options.maxDials ?? KNOWN_PEERS_MAX_DIALS
  const concurrency = Math.max(1, options.concurrency ?? KNOWN_PEERS_CONCURRENCY)
  const self = host.peerId.toString()
  const candidates = (await host.peerStore.all())
    .filter(p => p.id !== self && p.addresses.length > 0 && host.getConnections(p.id).length === 0)
    .sort((a, b) => tagTotal(b) - tagTotal(a) || b.updated - a.updated)
    .slice(0, maxDials)
  const result: ReconnectResult = { connected: [], failed: [] }
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < candidates.length) {
      const peer = candidates[next++] as Peer
      try {
        await host.dial(peer.id)
        result.connected.push(peer.id)
      } catch {
        result.failed.push(peer.id)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, candidates.length) }, worker))
  return result
}

/** The service form: reconnects in `afterStart()` without holding up the start; `done` resolves with the outcome. */
export function knownPeers (options: KnownPeersOptions = {}): ServiceFactory<{ done: Promise<ReconnectResult> }> {
  return {
    create (host) {
      let resolve!: (r: ReconnectResult) => void
      const done = new Promise<ReconnectResult>(r => { resolve = r })
      return {
        done,
        afterStart () { void reconnectKnownPeers(host, options).then(resolve, () => resolve({ connected: [], failed: [] })) }
      }
    }
  }
}
