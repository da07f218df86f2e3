import type { Multiaddr } from '@multiformats/multiaddr'
import type { PeerId } from '../../peer-id/types.js'
import type { PeerStore } from '../../peer-store/types.js'

/** What we tell others about ourselves. */
export interface IdentifyLocalInfo {
  protocolVersion?: string
  agentVersion?: string
  /** Our public key in the libp2p PublicKey protobuf form. */
  publicKey?: Uint8Array
  listenAddrs: Multiaddr[]
  /** The protocols we accept inbound streams for. */
  protocols: string[]
  /** Our current signed peer record, serialised as a signed envelope. */
  signedPeerRecord?: Uint8Array
}

/** A signed peer record after its signature and peer id were checked. */
export interface CertifiedPeerRecord {
  seq: bigint
  addresses: Multiaddr[]
}

/**
 * Opens a signed envelope in the `libp2p-routing-state` domain, verifies its
 * signature and that its PeerRecord is `expectedPeer`'s; rejects otherwise.
 */
export type OpenPeerRecord = (envelope: Uint8Array, expectedPeer: PeerId) => Promise<CertifiedPeerRecord>

export interface IdentifyContext {
  /** The connection the stream runs on: whom we talk to, and where they are as we see them. */
  connection: { readonly remotePeer: PeerId, readonly remoteAddr?: Multiaddr }
  /** What we announce (handleIdentify, pushIdentify). */
  local?: IdentifyLocalInfo
  /** Where what we learn goes (identify, handleIdentifyPush); omitted: only returned. */
  peerStore?: PeerStore
  /** Verifies signed peer records; default `openPeerRecord` (./peer-record.ts). A record that fails is ignored. */
  openPeerRecord?: OpenPeerRecord
  /** Default IDENTIFY_TIMEOUT_MS. */
  timeout?: number
  signal?: AbortSignal
}

export interface IdentifyResult {
  peerId: PeerId
  protocolVersion: string | undefined
  agentVersion: string | undefined
  /** The marshalled public key, when sent (already checked against peerId). */
  publicKey: Uint8Array | undefined
  /** The addresses to trust: from the signed peer record when it verified, else the plain listenAddrs. */
  listenAddrs: Multiaddr[]
  /** Where the remote sees us. */
  observedAddr: Multiaddr | undefined
  protocols: string[]
  /** The verified signed peer record, if one was sent and verified. */
  peerRecord: (CertifiedPeerRecord & { envelope: Uint8Array }) | undefined
}
