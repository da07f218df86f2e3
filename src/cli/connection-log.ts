/**
 * Tells the `start` user who is connected: one line per connection as it
 * opens and closes, and one when the node's automatic identify of the peer
 * finishes (naming its agent), from the node's events; and one per refused
 * inbound connection (rate or connection limit) and per stalled handshake shed
 * for a newcomer (`inbound:shed`), each kind at most one line a second with a
 * count of the ones in between, so a flood cannot flood the terminal.
 */
import type { Connection } from '../connection/connection.js'
import type { Wasp2pNode } from '../node/node.js'
import type { IdentifyResult } from '../protocols/identify/types.js'
import type { Output } from './output.js'
import type { InboundRefusal, InboundShed } from '../connection-manager/connection-manager.js'

/** Refusal lines, and shed lines, are each logged at most this often; the others are counted into the next line of their kind. */
const THROTTLED_LOG_INTERVAL_MS = 1_000

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
  const refusals = throttled(out)
  const onRefused = (event: Event): void => {
    const { remoteAddr, reason, error } = (event as CustomEvent<InboundRefusal>).detail
    refusals(`refused inbound connection from ${remoteAddr.toString()}: ${error.name}: ${error.message}; ${reason !== undefined ? `told the dialer "${reason}"` : 'reset'}`)
  }
  const sheds = throttled(out)
  const onShed = (event: Event): void => {
    const { remoteAddr, stalledMs, error } = (event as CustomEvent<InboundShed>).detail
    sheds(`shed a handshake from ${remoteAddr.toString()} stalled ${Math.round(stalledMs)} ms for a newcomer: ${error.name}`)
  }
  node.connectionManager.addEventListener('inbound:refused', onRefused)
  node.connectionManager.addEventListener('inbound:shed', onShed)
  node.addEventListener('connection:open', onOpen)
  node.addEventListener('connection:close', onClose)
  node.addEventListener('peer:identify', onIdentify)
  return {
    stop () {
      node.connectionManager.removeEventListener('inbound:refused', onRefused)
      node.connectionManager.removeEventListener('inbound:shed', onShed)
      node.removeEventListener('connection:open', onOpen)
      node.removeEventListener('connection:close', onClose)
      node.removeEventListener('peer:identify', onIdentify)
    }
  }
}

/** A line logger that writes at most one line per THROTTLED_LOG_INTERVAL_MS and counts the rest into the next one. */
function throttled (out: Output): (line: string) => void {
  let last = -Infinity
  let unlogged = 0
  return (line) => {
    const now = Date.now()
    if (now - last < THROTTLED_LOG_INTERVAL_MS) { unlogged++; return }
    last = now
    const more = unlogged > 0 ? ` (and ${unlogged} more since the last such line)` : ''
    unlogged = 0
    out.log(line + more)
  }
}
