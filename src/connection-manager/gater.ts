/**
 * The connection gater: user functions consulted at each stage of a
 * connection's life, earliest first, so a refusal costs as little as
 * possible (a dial never starts; an inbound socket is closed before any
 * handshake; a peer is refused right after Noise proves who it is, before the
 * muxer starts). Each returns true (or a promise of true) to deny. A denial
 * closes whatever exists at that stage and surfaces as ConnectionDeniedError.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { PeerId } from '../peer-id/types.js'
import type { RawConnection } from '../transport/types.js'
import { ConnectionDeniedError, type GaterStage } from './errors.js'

type Verdict = boolean | Promise<boolean>

export interface ConnectionGater {
  /** Before dialing a peer at all. */
  denyDialPeer?: (peer: PeerId) => Verdict
  /** Before dialing each address (`/p2p/` included when known). */
  denyDialMultiaddr?: (addr: Multiaddr) => Verdict
  /** A socket was accepted; nothing has been read yet. */
  denyInboundConnection?: (raw: RawConnection) => Verdict
  /** Our dial produced a socket; nothing has been written yet. */
  denyOutboundConnection?: (peer: PeerId | undefined, raw: RawConnection) => Verdict
  /** The security handshake finished: `peer` is authenticated. */
  denyInboundEncryptedConnection?: (peer: PeerId, raw: RawConnection) => Verdict
  denyOutboundEncryptedConnection?: (peer: PeerId, raw: RawConnection) => Verdict
  /** The muxer is agreed; the connection is about to open. */
  denyInboundUpgradedConnection?: (peer: PeerId, raw: RawConnection) => Verdict
  denyOutboundUpgradedConnection?: (peer: PeerId, raw: RawConnection) => Verdict
}

/** Throws ConnectionDeniedError when `verdict` is (or resolves to) true. */
export async function enforce (stage: GaterStage, verdict: Verdict | undefined, what: string): Promise<void> {
  if (verdict === undefined) return
  if (await verdict) throw new ConnectionDeniedError(stage, `the gater denied ${what} (${stage})`)
}
