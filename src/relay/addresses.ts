/**
 * Circuit addresses (circuit-v2.md "Interaction"): a peer behind relay R is
 * dialed at `<R's address>/p2p/R/p2p-circuit/p2p/<peer>`, and listens
 * (reserves) through R at `<R's address>/p2p/R/p2p-circuit`.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import { multiaddr } from '@multiformats/multiaddr'
import { P2P_CODE, getPeerIdFromMultiaddr } from '../multiaddr/index.js'
import type { PeerId } from '../peer-id/types.js'
import { InvalidCircuitAddressError } from './errors.js'

/** The `p2p-circuit` multiaddr protocol code (multicodec table). */
export const P2P_CIRCUIT_CODE = 290

export function isCircuitAddr (addr: Multiaddr): boolean {
  return addr.getComponents().some(c => c.code === P2P_CIRCUIT_CODE)
}

export interface CircuitParts {
  /** The relay's address, ending in `/p2p/<relay>`. */
  relayAddr: Multiaddr
  relay: PeerId
  /** The target, for a dial address; undefined for a listen address. */
  target: PeerId | undefined
}

/**
 * Splits `<relay addr>/p2p/R/p2p-circuit[/p2p/T]`; InvalidCircuitAddressError
 * for no relay id, more than one `p2p-circuit`, or anything after `/p2p/T`.
 */
export function parseCircuitAddr (addr: Multiaddr): CircuitParts {
  const components = addr.getComponents()
  const at = components.findIndex(c => c.code === P2P_CIRCUIT_CODE)
  if (at < 0) throw new InvalidCircuitAddressError(`${addr.toString()} is not a circuit address`)
  const before = components.slice(0, at)
  const after = components.slice(at + 1)
  if (after.some(c => c.code === P2P_CIRCUIT_CODE)) throw new InvalidCircuitAddressError(`${addr.toString()}: a circuit through a circuit`)
  if (before.length < 2 || before[before.length - 1]?.code !== P2P_CODE) throw new InvalidCircuitAddressError(`${addr.toString()} names no dialable relay before /p2p-circuit`)
  if (after.length > 1 || (after.length === 1 && after[0]?.code !== P2P_CODE)) throw new InvalidCircuitAddressError(`${addr.toString()}: only /p2p/<target> may follow /p2p-circuit`)
  const relayAddr = multiaddr(before)
  const relay = getPeerIdFromMultiaddr(relayAddr) as PeerId
  const target = after.length === 1 ? getPeerIdFromMultiaddr(multiaddr(after)) : undefined
  return { relayAddr, relay, target }
}

/** `parseCircuitAddr` as a test, for the transport's filters. */
export function circuitParts (addr: Multiaddr): CircuitParts | undefined {
  try { return parseCircuitAddr(addr) } catch { return undefined }
}
