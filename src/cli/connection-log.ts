/**
 * Tells the `start` user who is connected: one line per connection as it
 * opens and closes, and one when the node's automatic identify of the peer
 * finishes (naming its agent), from the node's events; and one per refused
 * inbound connection (rate or connection limit), at most one a second with a
 * count of the ones in between, so a flood cannot flood the terminal.
 */
import type { Connection } from '../connection/connection.js'
import type { Wasp2pNode } from '../node/node.js'
import type { IdentifyResult } from '../protocols/identify/types.js'
import type { Output } from './output.js'
import type { InboundRefusal } from '../connection-manager/connection-manager.js'

/** Refusals are logged at most this often; the others are counted into the next line. */
const REFUSAL_LOG_INTERVAL_MS = 1_000

export interface ConnectionLog {
  stop: () => void
}

export function logConnections (node: Wasp2pNode, out: Output): ConnectionLog {
  const onOpen = (event: Event): void => {
    const connection = (event as CustomEvent<Connection>).detail
    out.log(`connection ${connection.direction} ${connection.remotePeer.toString()} via ${connection.remoteAddr.toString()}`)
  }
  const onClose = (event: Event): void => {
    const connection = (event as CustomEvent<Connection>).detail
    out.log(`disconnected ${connection.remotePeer.toString()}`)
  }
  const onIdentify = (event: Event): void => {
    const result = (event as CustomEvent<IdentifyResult>).detail
    out.log(`identified ${result.peerId.toString()}: ${result.agentVersion ?? 'no agent'}, ${result.protocols.length} protocols`)
  }
  let lastRefusalLog = -Infinity
  let unlogged = 0
  const onRefused = (event: Event): void => {
    const { remoteAddr, reason, error } = (event as CustomEvent<InboundRefusal>).detail
    const now = Date.now()
    if (now - lastRefusalLog < REFUSAL_LOG_INTERVAL_MS) { unlogged++; return }
    lastRefusalLog = now
    const more = unlogged > 0 ? ` (and ${unlogged} more since the last such line)` : ''
    unlogged = 0
    out.log(`refused inbound connection from ${remoteAddr.toString()}: ${error.name}: ${error.message}; ${reason !== undefined ? `told the dialer "${reason}"` : 'reset'}${more}`)
  }
  node.connectionManager.addEventListener('inbound:refused', onRefused)
  node.addEventListener('connection:open', onOpen)
  node.addEventListener('connection:close', onClose)
  node.addEventListener('peer:identify', onIdentify)
  return {
    stop () {
      node.connectionManager.removeEventListener('inbound:refused', onRefused)
      node.removeEventListener('connection:open', onOpen)
      node.removeEventListener('connection:close', onClose)
      node.removeEventListener('peer:identify', onIdentify)
    }
  }
}
