/**
 * The noise-libp2p handshake (noise-libp2p spec, "The Noise Handshake"): XX
 * over 2-byte big-endian length-prefixed frames, with the libp2p payload in
 * messages 2 and 3 ("the first message ... that guarantees secrecy"):
 *
 *     initiator                                   responder
 *     -> e                                        (empty payload)
 *     <- e, ee, s, es   payload: identity key, signature, responder's muxers
 *     -> s, se          payload: identity key, signature, the initiator's chosen muxer
 *
 * The initiator checks the responder's identity (and the expected PeerId)
 * before it reveals its own in message 3.
 */
import type { PeerId } from '../../peer-id/types.js'
import { UnexpectedEndError, type ByteReader } from '../../stream/byte-reader.js'
import type { ByteStream } from '../../stream/types.js'
import { MAX_NOISE_MESSAGE_LENGTH } from './constants.js'
import { NoiseHandshakeError } from './errors.js'
import { HandshakeState, type DHKeyPair, type TransportCipherStates } from './handshake-state.js'
import { verifyRemoteIdentity } from './identity.js'
import { initiatorAnnouncement, selectStreamMuxer } from './muxer-negotiation.js'
import { decodePayload, encodePayload, type NoiseExtensions } from './payload.js'

/** Our static Noise key, our identity key (PublicKey protobuf) and its signature vouching for the static key. */
export interface LocalIdentity {
  staticKeyPair: DHKeyPair
  identityKey: Uint8Array
  identitySig: Uint8Array
}

export interface HandshakeOptions {
  initiator: boolean
  connection: ByteStream
  /** Reads from `connection`; keeps any bytes that arrive after message 3 for the transport phase. */
  reader: ByteReader
  local: LocalIdentity
  remotePeer?: PeerId
  streamMuxers: readonly string[]
}

export interface HandshakeResult extends TransportCipherStates {
  remotePeer: PeerId
  remoteExtensions: NoiseExtensions | undefined
  streamMuxer: string | undefined
  handshakeHash: Uint8Array
}

const EMPTY = new Uint8Array(0)

export async function performHandshake (options: HandshakeOptions): Promise<HandshakeResult> {
  return options.initiator ? await runInitiator(options) : await runResponder(options)
}

async function runInitiator (options: HandshakeOptions): Promise<HandshakeResult> {
  const state = new HandshakeState({ initiator: true, staticKeyPair: options.local.staticKeyPair })
  await writeFrame(options.connection, await state.writeMessage(EMPTY))

  const responderPayload = decodePayload(await state.readMessage(await readFrame(options.reader, 2)))
  const remote = await verifyRemoteIdentity(responderPayload, remoteStatic(state), options.remotePeer)
  const streamMuxer = selectStreamMuxer(options.streamMuxers, responderPayload.extensions?.streamMuxers ?? [])

  await writeFrame(options.connection, await state.writeMessage(localPayload(options, initiatorAnnouncement(streamMuxer))))
  return { ...state.split(), remotePeer: remote.peerId, remoteExtensions: responderPayload.extensions, streamMuxer, handshakeHash: state.handshakeHash }
}

async function runResponder (options: HandshakeOptions): Promise<HandshakeResult> {
  const state = new HandshakeState({ initiator: false, staticKeyPair: options.local.staticKeyPair })
  // Message 1's payload is cleartext and unauthenticated; the spec forbids extensions there, so it is ignored.
  await state.readMessage(await readFrame(options.reader, 1))
  await writeFrame(options.connection, await state.writeMessage(localPayload(options, options.streamMuxers)))

  const initiatorPayload = decodePayload(await state.readMessage(await readFrame(options.reader, 3)))
  const remote = await verifyRemoteIdentity(initiatorPayload, remoteStatic(state), options.remotePeer)
  const streamMuxer = selectStreamMuxer(initiatorPayload.extensions?.streamMuxers ?? [], options.streamMuxers)
  return { ...state.split(), remotePeer: remote.peerId, remoteExtensions: initiatorPayload.extensions, streamMuxer, handshakeHash: state.handshakeHash }
}

function localPayload (options: HandshakeOptions, streamMuxers: readonly string[]): Uint8Array {
  return encodePayload({
    identityKey: options.local.identityKey,
    identitySig: options.local.identitySig,
    // Our streams keep a FIN sent with the proposal (src/multistream/handle.ts reads it after the negotiation).
    extensions: { webtransportCerthashes: [], streamMuxers: [...streamMuxers], earlyFin: true }
  })
}

function remoteStatic (state: HandshakeState): Uint8Array {
  const key = state.remoteStaticKey
  if (key === undefined) throw new NoiseHandshakeError('the remote static key is missing after its message')
  return key
}

async function writeFrame (connection: ByteStream, message: Uint8Array): Promise<void> {
  if (message.length > MAX_NOISE_MESSAGE_LENGTH) {
    throw new NoiseHandshakeError(`handshake message of ${message.length} bytes exceeds ${MAX_NOISE_MESSAGE_LENGTH}`)
  }
  const frame = new Uint8Array(2 + message.length)
  frame[0] = message.length >>> 8
  frame[1] = message.length & 0xff
  frame.set(message, 2)
  await connection.write(frame)
}

async function readFrame (reader: ByteReader, messageNumber: number): Promise<Uint8Array> {
  try {
    return await reader.readUint16Prefixed()
  } catch (err) {
    if (err instanceof UnexpectedEndError) {
      throw new NoiseHandshakeError(`the connection ended before handshake message ${messageNumber} was complete`, { cause: err })
    }
    throw err
  }
}
