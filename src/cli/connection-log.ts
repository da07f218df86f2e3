/**
 * Tells the `start` user who is connected: one line per connection as it
 * opens and closes, and one when the node's automatic identify of the peer
 * finishes (naming its agent), from the node's events.
 */
import type { Connection } from '../connection/connection.js'
import type { Wasp2pNode } from '../node/node.js'
import type { IdentifyResult } from '../protocols/identify/types.js'
import type { Output } from './output.js'

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
  node.addEventListener('connection:open', onOpen)
  node.addEventListener('connection:close', onClose)
  node.addEventListener('peer:identify', onIdentify)
  return {
    stop () {
      node.removeEventListener('connection:open', onOpen)
      node.removeEventListener('connection:close', onClose)
      node.removeEventListener('peer:identify', onIdentify)
    }
  }
}
