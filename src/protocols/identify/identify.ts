/**
 * Identify and identify/push (identify spec, "Overview"). The responder of
 * `/ipfs/id/1.0.0` writes one varint-length-prefixed Identify message and
 * closes; the initiator reads it. For `/ipfs/id/push/1.0.0` the roles turn:
 * the initiator writes and the responder reads, treating absent fields as
 * unchanged.
 *
 * What the remote claims is checked before it is kept: the message is at
 * most MAX_IDENTIFY_MESSAGE_SIZE, its public key must hash to the peer id the
 * secure channel authenticated, and a signed peer record (RFC 0003) must
 * verify and name that same peer, in which case its addresses replace the
 * unsigned listenAddrs.
 */
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { ByteReader, UnexpectedEndError, VarintError, encodeVarint } from '../../stream/byte-reader.js'
import type { ByteStream } from '../../stream/types.js'
import type { PeerData } from '../../peer-store/types.js'
import { withTimeout } from '../_timeout.js'
import { publicKeyMatchesPeer } from './_peer-key.js'
import { openPeerRecord } from './peer-record.js'
import { publicKeyFromProtobuf } from '../../keys/index.js'
import type { PublicKey } from '../../keys/types.js'
import {
  AGENT_VERSION_KEY, IDENTIFY_ADDRESS_TTL_MS, IDENTIFY_TIMEOUT_MS, MAX_IDENTIFY_MESSAGE_SIZE,
  MAX_IDENTIFY_VERSION_LENGTH, PROTOCOL_VERSION_KEY
} from './constants.js'
import {
  IdentifyMessageTooLargeError, IdentifyPeerMismatchError, IdentifyTimeoutError, InvalidIdentifyMessageError
} from './errors.js'
import { decodeIdentify, encodeIdentify, type IdentifyMessage } from './message.js'
import type { IdentifyContext, IdentifyLocalInfo, IdentifyResult } from './types.js'

/** Metadata key under which the seq of the last accepted peer record is kept (8 bytes, big-endian). */
export const PEER_RECORD_SEQ_KEY = 'PeerRecordSeq'

const encoder = /* @__PURE__ */ new TextEncoder()

function messageFor (local: IdentifyLocalInfo | undefined, observed: Multiaddr | undefined): IdentifyMessage {
  if (local === undefined) throw new TypeError('identify needs context.local to describe this node')
  return {
    protocolVersion: local.protocolVersion,
    agentVersion: local.agentVersion,
    publicKey: local.publicKey,
    listenAddrs: local.listenAddrs.map(a => a.bytes),
    observedAddr: observed?.bytes,
    protocols: local.protocols,
    signedPeerRecord: local.signedPeerRecord
  }
}

async function writeMessage (stream: ByteStream, message: IdentifyMessage): Promise<void> {
  const body = encodeIdentify(message)
  // Peers apply the same cap (js-libp2p exactly this one): a bigger message would be dropped there.
  if (body.length > MAX_IDENTIFY_MESSAGE_SIZE) {
    throw new IdentifyMessageTooLargeError(`our identify message of ${body.length} bytes exceeds the limit of ${MAX_IDENTIFY_MESSAGE_SIZE}`)
  }
  const prefix = encodeVarint(body.length)
  const frame = new Uint8Array(prefix.length + body.length)
  frame.set(prefix)
  frame.set(body, prefix.length)
  await stream.write(frame)
}

async function readMessage (stream: ByteStream, context: IdentifyContext): Promise<IdentifyMessage> {
  const timeout = context.timeout ?? IDENTIFY_TIMEOUT_MS
  const reader = new ByteReader(stream)
  const read = (async () => {
    const length = await reader.readVarint()
    if (length > MAX_IDENTIFY_MESSAGE_SIZE) {
      throw new IdentifyMessageTooLargeError(`identify message of ${length} bytes exceeds the limit of ${MAX_IDENTIFY_MESSAGE_SIZE}`)
    }
    return await reader.readExactly(length)
  })()
  let bytes: Uint8Array
  try {
    bytes = await withTimeout(read, timeout, () => new IdentifyTimeoutError(`no identify message within ${timeout} ms`), context.signal)
  } catch (err) {
    if (err instanceof UnexpectedEndError || err instanceof VarintError) {
      throw new InvalidIdentifyMessageError(`identify message unreadable: ${err.message}`)
    }
    throw err
  }
  return decodeIdentify(bytes)
}

function parseAddr (bytes: Uint8Array): Multiaddr | undefined {
  try {
    return multiaddr(bytes)
  } catch {
    return undefined
  }
}

function clip (text: string | undefined): string | undefined {
  return text === undefined ? undefined : text.slice(0, MAX_IDENTIFY_VERSION_LENGTH)
}

/** Checks a received message against the connection and turns it into a result. */
async function validate (message: IdentifyMessage, context: IdentifyContext): Promise<IdentifyResult> {
  const peerId = context.connection.remotePeer
  if (message.publicKey !== undefined && !publicKeyMatchesPeer(message.publicKey, peerId)) {
    throw new IdentifyPeerMismatchError(`the identify public key is not that of ${peerId.toString()}`)
  }
  let peerRecord: IdentifyResult['peerRecord']
  if (message.signedPeerRecord !== undefined) {
    try {
      const record = await (context.openPeerRecord ?? openPeerRecord)(message.signedPeerRecord, peerId)
      peerRecord = { ...record, envelope: message.signedPeerRecord }
    } catch {
      // An invalid record is discarded (RFC 0003, "Signed Envelope Domain"); the plain addresses still count.
      peerRecord = undefined
    }
  }
  const listenAddrs = peerRecord?.addresses ??
    message.listenAddrs.map(parseAddr).filter((a): a is Multiaddr => a !== undefined)
  return {
    peerId,
    protocolVersion: clip(message.protocolVersion),
    agentVersion: clip(message.agentVersion),
    publicKey: message.publicKey,
    listenAddrs,
    observedAddr: message.observedAddr === undefined ? undefined : parseAddr(message.observedAddr),
    protocols: message.protocols,
    peerRecord
  }
}

/** A key of a type we cannot parse still identified the peer (by its hash); it is just not stored. */
function parsePublicKey (bytes: Uint8Array | undefined): PublicKey | undefined {
  if (bytes === undefined) return undefined
  try {
    return publicKeyFromProtobuf(bytes)
  } catch {
    return undefined
  }
}

function seqBytes (seq: bigint): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, seq), false)
  return out
}

/**
 * Writes what identify learned to the peer store. A full identify replaces
 * the protocol list; a push leaves out what it did not carry. A peer record
 * older than one already accepted is a replay: its addresses are not used.
 */
async function record (result: IdentifyResult, message: IdentifyMessage, context: IdentifyContext, push: boolean): Promise<void> {
  const store = context.peerStore
  if (store === undefined) return
  const data: PeerData = {}
  const metadata: Record<string, Uint8Array> = {}
  if (result.agentVersion !== undefined) metadata[AGENT_VERSION_KEY] = encoder.encode(result.agentVersion)
  if (result.protocolVersion !== undefined) metadata[PROTOCOL_VERSION_KEY] = encoder.encode(result.protocolVersion)

  let addresses = result.listenAddrs
  let certified = false
  let withdrawn: PeerData['addresses'] = []
  if (result.peerRecord !== undefined) {
    const known = await store.get(result.peerId)
    const stored = known?.metadata.get(PEER_RECORD_SEQ_KEY)
    const storedSeq = stored?.length === 8 ? new DataView(stored.buffer, stored.byteOffset, 8).getBigUint64(0, false) : -1n
    if (result.peerRecord.seq < storedSeq) {
      addresses = []
    } else {
      certified = true
      data.peerRecordEnvelope = result.peerRecord.envelope
      metadata[PEER_RECORD_SEQ_KEY] = seqBytes(result.peerRecord.seq)
      // A newer record is the peer's whole signed list (peer-record spec): an address an
      // older record certified and this one leaves out was withdrawn, not merely unmentioned.
      const current = new Set(addresses.map(a => a.toString()))
      withdrawn = (known?.addresses ?? []).filter(a => a.certified && !current.has(a.multiaddr.toString())).map(a => ({ multiaddr: a.multiaddr, ttl: 0 }))
    }
  }
  if (addresses.length > 0 || withdrawn.length > 0) {
    data.addresses = [...addresses.map(a => ({ multiaddr: a, ttl: IDENTIFY_ADDRESS_TTL_MS, certified })), ...withdrawn]
  }
  if (!push || message.protocols.length > 0) data.protocols = result.protocols
  if (Object.keys(metadata).length > 0) data.metadata = metadata
  const publicKey = parsePublicKey(result.publicKey)
  if (publicKey !== undefined) data.publicKey = publicKey
  if (push) {
    await store.merge(result.peerId, data)
  } else {
    // Protocols are the peer's full current list; addresses accumulate until their TTL.
    await store.merge(result.peerId, { ...data, protocols: undefined })
    if (data.protocols !== undefined) await store.patch(result.peerId, { protocols: data.protocols })
  }
}

/** Sends our Identify message and closes: the responder of `id`, the initiator of `id/push`. */
async function sendIdentify (stream: ByteStream, context: IdentifyContext): Promise<void> {
  try {
    await writeMessage(stream, messageFor(context.local, context.connection.remoteAddr))
    await stream.close()
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}

/** Reads, checks and records the remote's Identify message: the initiator of `id`, the responder of `id/push`. */
async function receiveIdentify (stream: ByteStream, context: IdentifyContext, push: boolean): Promise<IdentifyResult> {
  try {
    // The reader never writes: the stream must already be negotiated (or flush its proposal when read).
    const message = await readMessage(stream, context)
    const result = await validate(message, context)
    await record(result, message, context, push)
    await stream.close()
    return result
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}

/** Responder of `/ipfs/id/1.0.0`: sends our Identify message and closes the stream. */
export async function handleIdentify (stream: ByteStream, context: IdentifyContext): Promise<void> {
  await sendIdentify(stream, context)
}

/** Initiator of `/ipfs/id/1.0.0`: reads, checks and records the remote's Identify message. */
export async function identify (stream: ByteStream, context: IdentifyContext): Promise<IdentifyResult> {
  return await receiveIdentify(stream, context, false)
}

/** Initiator of `/ipfs/id/push/1.0.0`: sends our current Identify message and closes. */
export async function pushIdentify (stream: ByteStream, context: IdentifyContext): Promise<void> {
  await sendIdentify(stream, context)
}

/** Responder of `/ipfs/id/push/1.0.0`: reads, checks and records a pushed update. */
export async function handleIdentifyPush (stream: ByteStream, context: IdentifyContext): Promise<IdentifyResult> {
  return await receiveIdentify(stream, context, true)
}
