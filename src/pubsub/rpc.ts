/**
 * The pubsub RPC and its protobuf (pubsub README "The RPC", gossipsub-v1.0.md
 * "Protobuf", v1.1 "PRUNE Backoff and Peer Exchange", v1.2 IDONTWANT):
 *
 *   message RPC { repeated SubOpts subscriptions = 1; repeated Message publish = 2; optional ControlMessage control = 3; }
 *   message SubOpts { optional bool subscribe = 1; optional string topicid = 2; }
 *   message Message { optional bytes from = 1; optional bytes data = 2; optional bytes seqno = 3;
 *                     required string topic = 4; optional bytes signature = 5; optional bytes key = 6; }
 *   message ControlMessage { repeated ControlIHave ihave = 1; repeated ControlIWant iwant = 2;
 *                            repeated ControlGraft graft = 3; repeated ControlPrune prune = 4;
 *                            repeated ControlIDontWant idontwant = 5; }
 *   message ControlIHave { optional string topicID = 1; repeated bytes messageIDs = 2; }
 *   message ControlIWant { repeated bytes messageIDs = 1; }
 *   message ControlGraft { optional string topicID = 1; }
 *   message ControlPrune { optional string topicID = 1; repeated PeerInfo peers = 2; optional uint64 backoff = 3; }
 *   message PeerInfo { optional bytes peerID = 1; optional bytes signedPeerRecord = 2; }
 *   message ControlIDontWant { repeated bytes messageIDs = 1; }
 *
 * Absent optional fields stay `undefined` (the signature policies tell absent
 * from empty). Decoded byte fields are copies, so an RPC outlives its frame.
 */
import { ProtoReader, ProtoWriter, ProtobufError } from '../protobuf/index.js'
import { MAX_RPC_FIELDS, MAX_RPC_SIZE } from './constants.js'
import { InvalidRpcError } from './errors.js'

export interface SubOpts { subscribe: boolean, topic: string }

export interface RpcMessage {
  from?: Uint8Array
  data?: Uint8Array
  seqno?: Uint8Array
  topic: string
  signature?: Uint8Array
  key?: Uint8Array
}

export interface ControlIHave { topic: string, messageIds: Uint8Array[] }
export interface ControlIWant { messageIds: Uint8Array[] }
export interface ControlGraft { topic: string }
export interface PxPeer { peerId?: Uint8Array, signedPeerRecord?: Uint8Array }
export interface ControlPrune { topic: string, peers: PxPeer[], backoff?: number }
export interface ControlIDontWant { messageIds: Uint8Array[] }

export interface ControlMessage {
  ihave: ControlIHave[]
  iwant: ControlIWant[]
  graft: ControlGraft[]
  prune: ControlPrune[]
  idontwant: ControlIDontWant[]
}

export interface Rpc {
  subscriptions: SubOpts[]
  messages: RpcMessage[]
  control?: ControlMessage
}

export function emptyControl (): ControlMessage {
  return { ihave: [], iwant: [], graft: [], prune: [], idontwant: [] }
}

export function isEmptyControl (c: ControlMessage): boolean {
  return c.ihave.length + c.iwant.length + c.graft.length + c.prune.length + c.idontwant.length === 0
}

/** The Message protobuf; `withSignature: false` gives the bytes the signature covers (pubsub README "Message Signing"). */
export function encodeMessage (m: RpcMessage, withSignature = true): Uint8Array {
  const w = new ProtoWriter()
  if (m.from !== undefined) w.bytes(1, m.from)
  if (m.data !== undefined) w.bytes(2, m.data)
  if (m.seqno !== undefined) w.bytes(3, m.seqno)
  w.string(4, m.topic)
  if (withSignature) {
    if (m.signature !== undefined) w.bytes(5, m.signature)
    if (m.key !== undefined) w.bytes(6, m.key)
  }
  return w.finish()
}

function encodeControl (c: ControlMessage): Uint8Array {
  const w = new ProtoWriter()
  for (const ihave of c.ihave) {
    const x = new ProtoWriter().string(1, ihave.topic)
    for (const id of ihave.messageIds) x.bytes(2, id)
    w.bytes(1, x.finish())
  }
  for (const iwant of c.iwant) {
    const x = new ProtoWriter()
    for (const id of iwant.messageIds) x.bytes(1, id)
    w.bytes(2, x.finish())
  }
  for (const graft of c.graft) w.bytes(3, new ProtoWriter().string(1, graft.topic).finish())
  for (const prune of c.prune) {
    const x = new ProtoWriter().string(1, prune.topic)
    for (const peer of prune.peers) {
      const p = new ProtoWriter()
      if (peer.peerId !== undefined) p.bytes(1, peer.peerId)
      if (peer.signedPeerRecord !== undefined) p.bytes(2, peer.signedPeerRecord)
      x.bytes(2, p.finish())
    }
    if (prune.backoff !== undefined) x.uint64(3, prune.backoff)
    w.bytes(4, x.finish())
  }
  for (const idontwant of c.idontwant) {
    const x = new ProtoWriter()
    for (const id of idontwant.messageIds) x.bytes(1, id)
    w.bytes(5, x.finish())
  }
  return w.finish()
}

export function encodeRpc (rpc: Rpc): Uint8Array {
  const w = new ProtoWriter()
  for (const sub of rpc.subscriptions) w.bytes(1, new ProtoWriter().bool(1, sub.subscribe).string(2, sub.topic).finish())
  for (const m of rpc.messages) w.bytes(2, encodeMessage(m))
  if (rpc.control !== undefined && !isEmptyControl(rpc.control)) w.bytes(3, encodeControl(rpc.control))
  return w.finish()
}

/** Field budget shared by an RPC and every message nested in it. */
class Budget {
  constructor (public left: number) {}
  reader (bytes: Uint8Array): ProtoReader {
    if (this.left <= 0) throw new InvalidRpcError(`more than ${MAX_RPC_FIELDS} fields in one RPC`)
    const r = new ProtoReader(bytes, { maxSize: MAX_RPC_SIZE, maxFields: this.left })
    return r
  }
}

const copy = (b: Uint8Array): Uint8Array => b.slice()

function decodeIds (r: ProtoReader, field: number, budget: Budget): Uint8Array[] {
  const ids: Uint8Array[] = []
  while (r.next()) {
    budget.left--
    if (r.field === field) ids.push(copy(r.bytes()))
    else r.skipField()
  }
  return ids
}

function decodeMessage (bytes: Uint8Array, budget: Budget): RpcMessage {
  const r = budget.reader(bytes)
  const m: RpcMessage = { topic: '' }
  while (r.next()) {
    budget.left--
    switch (r.field) {
      case 1: m.from = copy(r.bytes()); break
      case 2: m.data = copy(r.bytes()); break
      case 3: m.seqno = copy(r.bytes()); break
      case 4: m.topic = r.string(); break
      case 5: m.signature = copy(r.bytes()); break
      case 6: m.key = copy(r.bytes()); break
      default: r.skipField()
    }
  }
  return m
}

function decodePrune (bytes: Uint8Array, budget: Budget): ControlPrune {
  const r = budget.reader(bytes)
  const prune: ControlPrune = { topic: '', peers: [] }
  while (r.next()) {
    budget.left--
    switch (r.field) {
      case 1: prune.topic = r.string(); break
      case 2: {
        const p = budget.reader(r.bytes())
        const peer: PxPeer = {}
        while (p.next()) {
          budget.left--
          if (p.field === 1) peer.peerId = copy(p.bytes())
          else if (p.field === 2) peer.signedPeerRecord = copy(p.bytes())
          else p.skipField()
        }
        prune.peers.push(peer)
        break
      }
      case 3: {
        const backoff = r.uint64()
        // Seconds; anything beyond a day is treated as a day (a far-future backoff is just a long one).
        prune.backoff = Number(backoff > 86_400n ? 86_400n : backoff)
        break
      }
      default: r.skipField()
    }
  }
  return prune
}

function decodeControl (bytes: Uint8Array, budget: Budget): ControlMessage {
  const r = budget.reader(bytes)
  const c = emptyControl()
  while (r.next()) {
    budget.left--
    switch (r.field) {
      case 1: {
        const x = budget.reader(r.bytes())
        const ihave: ControlIHave = { topic: '', messageIds: [] }
        while (x.next()) {
          budget.left--
          if (x.field === 1) ihave.topic = x.string()
          else if (x.field === 2) ihave.messageIds.push(copy(x.bytes()))
          else x.skipField()
        }
        c.ihave.push(ihave)
        break
      }
      case 2: c.iwant.push({ messageIds: decodeIds(budget.reader(r.bytes()), 1, budget) }); break
      case 3: {
        const x = budget.reader(r.bytes())
        let topic = ''
        while (x.next()) { budget.left--; if (x.field === 1) topic = x.string(); else x.skipField() }
        c.graft.push({ topic })
        break
      }
      case 4: c.prune.push(decodePrune(r.bytes(), budget)); break
      case 5: c.idontwant.push({ messageIds: decodeIds(budget.reader(r.bytes()), 1, budget) }); break
      default: r.skipField()
    }
  }
  return c
}

/** Decodes one RPC frame; InvalidRpcError on any malformation or beyond MAX_RPC_FIELDS fields. */
export function decodeRpc (bytes: Uint8Array): Rpc {
  const budget = new Budget(MAX_RPC_FIELDS)
  const rpc: Rpc = { subscriptions: [], messages: [] }
  try {
    const r = budget.reader(bytes)
    while (r.next()) {
      budget.left--
      switch (r.field) {
        case 1: {
          const x = budget.reader(r.bytes())
          const sub: SubOpts = { subscribe: false, topic: '' }
          while (x.next()) {
            budget.left--
            if (x.field === 1) sub.subscribe = x.bool()
            else if (x.field === 2) sub.topic = x.string()
            else x.skipField()
          }
          rpc.subscriptions.push(sub)
          break
        }
        case 2: rpc.messages.push(decodeMessage(r.bytes(), budget)); break
        case 3: rpc.control = decodeControl(r.bytes(), budget); break
        default: r.skipField()
      }
    }
  } catch (err) {
    if (err instanceof InvalidRpcError) throw err
    if (err instanceof ProtobufError) throw new InvalidRpcError(`malformed RPC: ${err.message}`)
    throw err
  }
  if (budget.left < 0) throw new InvalidRpcError(`more than ${MAX_RPC_FIELDS} fields in one RPC`)
  return rpc
}
