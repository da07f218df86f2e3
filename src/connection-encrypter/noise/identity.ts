/**
 * Static key authentication (noise-libp2p spec, "Static Key Authentication"):
 * the Noise static key is separate from the libp2p identity key and is bound
 * to it by an identity signature over
 * "noise-libp2p-static-key:" ‖ static X25519 public key.
 */
import type { PrivateKey, PublicKey } from '../../keys/types.js'
import type { PeerId } from '../../peer-id/types.js'
import { peerIdFromPublicKey, publicKeyFromProtobuf } from './_deps.js'
import { concatBytes } from './_bytes.js'
import { STATIC_KEY_SIGNATURE_PREFIX } from './constants.js'
import { InvalidSignatureError, UnexpectedPeerError } from './errors.js'
import type { NoiseHandshakePayload } from './payload.js'

const PREFIX = /* @__PURE__ */ new TextEncoder().encode(STATIC_KEY_SIGNATURE_PREFIX)

function signedData (staticPublicKey: Uint8Array): Uint8Array {
  return concatBytes([PREFIX, staticPublicKey])
}

export async function signStaticKey (privateKey: PrivateKey, staticPublicKey: Uint8Array): Promise<Uint8Array> {
  return await privateKey.sign(signedData(staticPublicKey))
}

export interface RemoteIdentity {
  publicKey: PublicKey
  peerId: PeerId
}

/**
 * Decodes the remote identity key, checks its signature over the remote
 * static key, and, when the caller expects a particular peer, that it is that peer.
 */
export async function verifyRemoteIdentity (payload: NoiseHandshakePayload, remoteStaticKey: Uint8Array, expectedPeer?: PeerId): Promise<RemoteIdentity> {
  if (payload.identityKey.length === 0) throw new InvalidSignatureError('the handshake payload carries no identity key')
  if (payload.identitySig.length === 0) throw new InvalidSignatureError('the handshake payload carries no identity signature')
  let publicKey: PublicKey
  let peerId: PeerId
  try {
    publicKey = publicKeyFromProtobuf(payload.identityKey)
    peerId = peerIdFromPublicKey(publicKey)
  } catch (err) {
    throw new InvalidSignatureError('the identity key in the handshake payload cannot be decoded', { cause: err })
  }
  let valid: boolean
  try {
    valid = await publicKey.verify(signedData(remoteStaticKey), payload.identitySig)
  } catch (err) {
    throw new InvalidSignatureError(`the identity signature of ${peerId.toString()} cannot be checked`, { cause: err })
  }
  if (!valid) throw new InvalidSignatureError(`the identity signature of ${peerId.toString()} over its static Noise key does not verify`)
  if (expectedPeer !== undefined && !expectedPeer.equals(peerId)) {
    throw new UnexpectedPeerError(`expected peer ${expectedPeer.toString()} but the remote is ${peerId.toString()}`)
  }
  return { publicKey, peerId }
}
