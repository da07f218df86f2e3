/**
 * WebRTC addresses (webrtc.md step 1): a peer B behind relay R listens on
 * `<R's address>/p2p/R/p2p-circuit/webrtc` and is dialed at
 * `<R's address>/p2p/R/p2p-circuit/webrtc/p2p/B`; without `/webrtc` the same
 * address is B's relayed one, over which the signaling runs.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import { multiaddr } from '@multiformats/multiaddr'
import { parseCircuitAddr, P2P_CIRCUIT_CODE, type CircuitParts } from '../../relay/addresses.js'
import { InvalidCircuitAddressError } from '../../relay/errors.js'
import { WEBRTC_CODE } from './constants.js'

export interface WebRTCAddrParts extends CircuitParts {
  /** The address without `/webrtc`: the relayed address of the target (dial) or the circuit listen address. */
  circuitAddr: Multiaddr
}

/** Splits a `…/p2p-circuit/webrtc[/p2p/B]` address; InvalidCircuitAddressError for anything else. */
export function parseWebRTCAddr (addr: Multiaddr): WebRTCAddrParts {
  const components = addr.getComponents()
  const at = components.findIndex(c => c.code === WEBRTC_CODE)
  if (at < 1 || components[at - 1]?.code !== P2P_CIRCUIT_CODE || components.slice(at + 1).some(c => c.code === WEBRTC_CODE)) {
    throw new InvalidCircuitAddressError(`${addr.toString()} is not a <relay>/p2p-circuit/webrtc address`)
  }
  const circuitAddr = multiaddr([...components.slice(0, at), ...components.slice(at + 1)])
  return { ...parseCircuitAddr(circuitAddr), circuitAddr }
}

export function webRTCParts (addr: Multiaddr): WebRTCAddrParts | undefined {
  try { return parseWebRTCAddr(addr) } catch { return undefined }
}
