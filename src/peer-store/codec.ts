/**
 * How a persistent peer store writes one peer: UTF-8 JSON (version 1), bytes
 * in base64, expiry times as epoch milliseconds (null for never). JSON, not
 * protobuf, because tag values are arbitrary finite numbers and because a
 * human inspecting the database can read it; a peer is at most a few tens of
 * KiB either way. Decoding checks every field: a record that does not parse
 * (a corrupt file, an older incompatible writer) is a CorruptPeerRecordError,
 * and the store drops it rather than failing to start.
 */
import { base64 } from 'multiformats/bases/base64'
import { multiaddr } from '@multiformats/multiaddr'
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '../keys/protobuf.js'
import type { Peer } from './types.js'

/** Format version written in every record. */
export const PEER_RECORD_VERSION = 1

/** A stored peer that does not decode. */
export class CorruptPeerRecordError extends Error {
  override name = 'CorruptPeerRecordError'
}

interface StoredPeer {
  v: number
  id: string
  addresses: Array<[string, boolean, number | null]>
  protocols: string[]
  publicKey: string | null
  envelope: string | null
  metadata: Array<[string, string]>
  tags: Array<[string, number, number | null]>
  updated: number
}

const finiteOrNull = (n: number | undefined): number | null => n === undefined || n === Infinity ? null : n

export function encodePeer (peer: Peer): Uint8Array {
  const stored: StoredPeer = {
    v: PEER_RECORD_VERSION,
    id: peer.id,
    addresses: peer.addresses.map(a => [a.multiaddr.toString(), a.certified, finiteOrNull(a.expires)]),
    protocols: peer.protocols,
    publicKey: peer.publicKey === undefined ? null : base64.baseEncode(publicKeyToProtobuf(peer.publicKey)),
    envelope: peer.peerRecordEnvelope === undefined ? null : base64.baseEncode(peer.peerRecordEnvelope),
    metadata: [...peer.metadata].map(([k, v]) => [k, base64.baseEncode(v)]),
    tags: [...peer.tags].map(([name, t]) => [name, t.value, finiteOrNull(t.expires)]),
    updated: peer.updated
  }
  return new TextEncoder().encode(JSON.stringify(stored))
}

function check (ok: boolean, what: string): asserts ok {
  if (!ok) throw new CorruptPeerRecordError(`stored peer: ${what}`)
}

const isTime = (n: unknown): n is number | null => n === null || (typeof n === 'number' && Number.isFinite(n))

export function decodePeer (bytes: Uint8Array): Peer {
  let raw: any
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (err) {
    throw new CorruptPeerRecordError(`stored peer is not JSON: ${(err as Error).message}`)
  }
  check(raw !== null && typeof raw === 'object', 'not an object')
  check(raw.v === PEER_RECORD_VERSION, `version ${String(raw.v)}, expected ${PEER_RECORD_VERSION}`)
  check(typeof raw.id === 'string' && raw.id.length > 0, 'bad id')
  check(Array.isArray(raw.addresses) && Array.isArray(raw.protocols) && Array.isArray(raw.metadata) && Array.isArray(raw.tags), 'missing lists')
  check(typeof raw.updated === 'number' && Number.isFinite(raw.updated), 'bad updated time')
  try {
    return {
      id: raw.id,
      addresses: raw.addresses.map((a: unknown) => {
        check(Array.isArray(a) && typeof a[0] === 'string' && typeof a[1] === 'boolean' && isTime(a[2]), 'bad address')
        return { multiaddr: multiaddr(a[0]), certified: a[1], expires: a[2] ?? Infinity }
      }),
      protocols: raw.protocols.map((p: unknown) => { check(typeof p === 'string', 'bad protocol'); return p }),
      publicKey: raw.publicKey === null ? undefined : publicKeyFromProtobuf(base64.baseDecode(String(raw.publicKey))),
      peerRecordEnvelope: raw.envelope === null ? undefined : base64.baseDecode(String(raw.envelope)),
      metadata: new Map(raw.metadata.map((m: unknown) => {
        check(Array.isArray(m) && typeof m[0] === 'string' && typeof m[1] === 'string', 'bad metadata entry')
        return [m[0], base64.baseDecode(m[1])]
      })),
      tags: new Map(raw.tags.map((t: unknown) => {
        check(Array.isArray(t) && typeof t[0] === 'string' && typeof t[1] === 'number' && Number.isFinite(t[1]) && isTime(t[2]), 'bad tag')
        return [t[0], t[2] === null ? { value: t[1] } : { value: t[1], expires: t[2] }]
      })),
      updated: raw.updated
    }
  } catch (err) {
    if (err instanceof CorruptPeerRecordError) throw err
    throw new CorruptPeerRecordError(`stored peer ${String(raw.id)}: ${(err as Error).message}`)
  }
}
