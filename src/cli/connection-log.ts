/**
 * Tells the `start` user who is connected: logs each connection as it opens
 * (identifying the peer, so the line names its agent) and as it closes.
 *
 * Connections are found by polling getConnections() every
 * CONNECTION_LOG_POLL_MS; when the node emits `connection:open` events this
 * becomes a listener.
 */
import type { Connection } from '../connection/connection.js'
import type { Wasp2pNode } from '../node/node.js'
import type { IdentifyService } from '../protocols/identify/service.js'
import type { Output } from './output.js'

/** How often new connections are looked for, ms: often enough to feel live, cheap when idle. */
export const CONNECTION_LOG_POLL_MS = 500

export interface ConnectionLog {
  stop: () => void
}

export function logConnections (node: Wasp2pNode, identify: IdentifyService, out: Output): ConnectionLog {
  const seen = new Set<Connection>()
  const check = (): void => {
    for (const connection of node.getConnections()) {
      if (seen.has(connection)) continue
      seen.add(connection)
      const peer = connection.remotePeer.toString()
      out.log(`connection ${connection.direction} ${peer} via ${connection.remoteAddr.toString()}`)
      connection.addCloseListener(() => {
        seen.delete(connection)
        out.log(`disconnected ${peer}`)
      })
      identify.identify(connection)
        .then(result => { out.log(`identified ${peer}: ${result.agentVersion ?? 'no agent'}, ${result.protocols.length} protocols`) })
        .catch(() => {}) // not every peer answers identify; the connection stays either way
    }
  }
  const timer = setInterval(check, CONNECTION_LOG_POLL_MS)
  return { stop: () => { clearInterval(timer) } }
}
