/**
 * Multiaddr helpers over @multiformats/multiaddr (multiformats multiaddr
 * spec; libp2p addressing spec for `/p2p/<peer-id>`). Everywhere wasp2p takes
 * an address, a string works too: `toMultiaddr` is the one conversion point.
 */
import { isMultiaddr, multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { PeerId } from '../peer-id/types.js'
import { peerIdFromString } from '../peer-id/from.js'

export { multiaddr, isMultiaddr, type Multiaddr }

/** The `p2p` multiaddr protocol code (multicodec table). */
export const P2P_CODE = 421

/** Text or bytes that do not parse as a multiaddr, or a `/p2p/` part that contradicts a PeerId. */
export class InvalidMultiaddrError extends Error {
  override name = 'InvalidMultiaddrError'
}

/** A Multiaddr from a Multiaddr, its text or its bytes; InvalidMultiaddrError otherwise. */
export function toMultiaddr (addr: Multiaddr | string | Uint8Array): Multiaddr {
  if (isMultiaddr(addr)) return addr
  if (typeof addr !== 'string' && !(addr instanceof Uint8Array)) throw new TypeError('address must be a Multiaddr, string or Uint8Array')
  try {
    return multiaddr(addr)
  } catch (err) {
    throw new InvalidMultiaddrError(`invalid multiaddr: ${(err as Error).message}`)
  }
}

/** The PeerId of the address's final `/p2p/<id>` component, if it ends with one. */
export function getPeerIdFromMultiaddr (addr: Multiaddr | string): PeerId | undefined {
  const components = toMultiaddr(addr).getComponents()
  const last = components[components.length - 1]
  if (last?.code !== P2P_CODE || last.value === undefined) return undefined
  try {
    return peerIdFromString(last.value)
  } catch (err) {
    throw new InvalidMultiaddrError(`invalid /p2p/ component: ${(err as Error).message}`)
  }
}

/**
 * The address ending in `/p2p/<peerId>`: unchanged if it already does,
 * InvalidMultiaddrError if it ends with a different PeerId.
 */
export function withPeerId (addr: Multiaddr | string, peerId: PeerId): Multiaddr {
  const ma = toMultiaddr(addr)
  const existing = getPeerIdFromMultiaddr(ma)
  if (existing !== undefined) {
    if (!existing.equals(peerId)) throw new InvalidMultiaddrError(`address is for ${existing.toString()}, not ${peerId.toString()}`)
    return ma
  }
  return ma.encapsulate(`/p2p/${peerId.toString()}`)
}

/** The address without its final `/p2p/<id>` component (unchanged if it has none). */
export function withoutPeerId (addr: Multiaddr | string): Multiaddr {
  const ma = toMultiaddr(addr)
  const components = ma.getComponents()
  if (components[components.length - 1]?.code !== P2P_CODE) return ma
  return multiaddr(components.slice(0, -1))
}
