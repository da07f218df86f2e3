/**
 * Signed peer records for identify (RFC 0003): opening the one a remote sent,
 * and sealing our own. The envelope is opened with the domain and payload
 * type every deployed implementation uses (`libp2p-peer-record`, 0x0301; see
 * src/record/peer-record.ts): its signature is checked before the payload is
 * decoded, and the record must be signed by its own peer. Identify then also
 * requires that peer to be the one on the other end of the connection, or a
 * peer could hand us someone else's (validly signed, possibly stale) record.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { PrivateKey } from '../../keys/types.js'
import { peerIdFromPrivateKey } from '../../peer-id/index.js'
import type { PeerId } from '../../peer-id/types.js'
import { PeerRecord, RecordEnvelope } from '../../record/index.js'
import { IdentifyPeerMismatchError } from './errors.js'
import type { CertifiedPeerRecord } from './types.js'

/** The default OpenPeerRecord: rejects unless the envelope verifies and names `expectedPeer`. */
export async function openPeerRecord (envelope: Uint8Array, expectedPeer: PeerId): Promise<CertifiedPeerRecord> {
  const { record } = await PeerRecord.consumeEnvelope(envelope)
  if (!record.peerId.equals(expectedPeer)) {
    throw new IdentifyPeerMismatchError(`the peer record is ${record.peerId.toString()}'s, not ${expectedPeer.toString()}'s`)
  }
  return { seq: record.seqNumber, addresses: record.multiaddrs }
}

/** Our own record of `addresses`, sealed with our key: what goes in IdentifyLocalInfo.signedPeerRecord. */
export async function sealPeerRecord (privateKey: PrivateKey, addresses: Multiaddr[], seq?: bigint): Promise<Uint8Array> {
  const record = new PeerRecord({ peerId: peerIdFromPrivateKey(privateKey), multiaddrs: addresses, seqNumber: seq })
  return (await RecordEnvelope.seal(record, privateKey)).marshal()
}
