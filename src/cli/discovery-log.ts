/** What `wasp2p start` prints about mDNS: its state once, then each peer the first time it is found. */
import type { MdnsDiscovery } from '../discovery/mdns/mdns.js'
import type { Wasp2pNode } from '../node/node.js'
import type { Output } from './output.js'

/** Peers remembered as already printed: 1024; past it the log may print a peer twice, never grow. */
export const MAX_LOGGED_DISCOVERIES = 1024

export function describeMdns (service: MdnsDiscovery | undefined): string {
  if (service === undefined) return 'mdns: off'
  if (!service.supported) return 'mdns: not supported here'
  if (service.error !== undefined) return `mdns: unavailable (${service.error.message})`
  return `mdns: discovering on ${service.interfaces.join(', ')}`
}

export function logDiscoveries (node: Wasp2pNode, out: Output): { stop: () => void } {
  const seen = new Set<string>()
  const onDiscovery = (event: CustomEvent<{ id: { toString: () => string } }>): void => {
    const id = event.detail.id.toString()
    if (seen.has(id)) return
    if (seen.size >= MAX_LOGGED_DISCOVERIES) seen.clear()
    seen.add(id)
    out.log(`discovered ${id} (mdns)`)
  }
  node.addEventListener('peer:discovery', onDiscovery as EventListener)
  return { stop: () => { node.removeEventListener('peer:discovery', onDiscovery as EventListener) } }
}
