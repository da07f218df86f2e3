/**
 * The node's events (dispatched on the node, an EventTarget, as CustomEvents):
 *
 * - `connection:open` (detail: Connection) — a connection finished its upgrade;
 * - `peer:connect` (detail: PeerId) — right after the first connection:open for a peer;
 * - `peer:identify` (detail: IdentifyResult) — identify on a new connection finished;
 * - `connection:close` (detail: Connection) — a connection closed, for any reason;
 * - `peer:disconnect` (detail: PeerId) — right after the last connection:close for a peer;
 * - `self:peer:update` (detail: { peerId }) — our protocols or addresses changed (identify pushes);
 * - `peer:discovery` (detail: { id, multiaddrs }) — a discovery service (mDNS) found a peer; its
 *   addresses (without /p2p/) are already in the peer store.
 * - `self:reachability` (detail: ReachabilityEvent) — AutoNAT changed its verdict on us (src/autonat/service.ts).
 * - `relay:reservation` / `relay:reservation-lost` — a circuit relay listener made or refreshed its
 *   reservation, or gave up on it (src/relay/client/listener.ts).
 *
 * Services add their own (see each service's module).
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '../connection/connection.js'
import type { PeerId } from '../peer-id/types.js'
import type { IdentifyResult } from '../protocols/identify/types.js'
import type { ReachabilityEvent } from '../autonat/service.js'
import type { CircuitListenerEvents } from '../relay/client/listener.js'

export interface NodeEvents {
  'connection:open': Connection
  'connection:close': Connection
  'peer:connect': PeerId
  'peer:disconnect': PeerId
  'peer:identify': IdentifyResult
  'self:peer:update': { peerId: PeerId }
  'peer:discovery': { id: PeerId, multiaddrs: Multiaddr[] }
  'self:reachability': ReachabilityEvent
  'relay:reservation': CircuitListenerEvents['relay:reservation']
  'relay:reservation-lost': CircuitListenerEvents['relay:reservation-lost']
}

export type NodeEventName = keyof NodeEvents
