/**
 * The node's events (dispatched on the node, an EventTarget, as CustomEvents):
 *
 * - `connection:open` (detail: Connection) — a connection finished its upgrade;
 * - `peer:connect` (detail: PeerId) — right after the first connection:open for a peer;
 * - `peer:identify` (detail: IdentifyResult) — identify on a new connection finished;
 * - `connection:close` (detail: Connection) — a connection closed, for any reason;
 * - `peer:disconnect` (detail: PeerId) — right after the last connection:close for a peer;
 * - `self:peer:update` (detail: { peerId }) — our protocols or addresses changed (identify pushes).
 *
 * Services add their own (see each service's module).
 */
import type { Connection } from '../connection/connection.js'
import type { PeerId } from '../peer-id/types.js'
import type { IdentifyResult } from '../protocols/identify/types.js'

export interface NodeEvents {
  'connection:open': Connection
  'connection:close': Connection
  'peer:connect': PeerId
  'peer:disconnect': PeerId
  'peer:identify': IdentifyResult
  'self:peer:update': { peerId: PeerId }
}

export type NodeEventName = keyof NodeEvents
