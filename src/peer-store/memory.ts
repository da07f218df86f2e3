/**
 * In-memory PeerStore. Reads hand out copies, so a caller can never change
 * the store behind its back; every write builds the new peer state aside,
 * validates it, then commits it, so a rejected write leaves nothing half-done.
 */
import {
  DEFAULT_MAX_PEERS, MAX_ADDRESSES_PER_PEER, MAX_METADATA_ENTRIES, MAX_METADATA_VALUE_SIZE,
  MAX_PROTOCOL_LENGTH, MAX_PROTOCOLS_PER_PEER, MAX_TAGS_PER_PEER
} from './limits.js'
import { PeerStoreLimitError } from './errors.js'
import type {
  Address, Peer, PeerData, PeerDeleteDetail, PeerIdLike, PeerStore, PeerUpdateDetail, Tag, TagInput
} from './types.js'

export interface MemoryPeerStoreOptions {
  /** Default DEFAULT_MAX_PEERS. */
  maxPeers?: number
  /** Current time in epoch milliseconds; default Date.now (tests pass their own clock). */
  clock?: () => number
}

interface Entry {
  id: string
  /** By multiaddr text, so re-adding an address refreshes it instead of duplicating it. */
  addresses: Map<string, Address>
  protocols: string[]
  publicKey: Peer['publicKey']
  peerRecordEnvelope: Uint8Array | undefined
  metadata: Map<string, Uint8Array>
  tags: Map<string, Tag>
  updated: number
}

type Mode = 'patch' | 'merge'

function keyOf (id: PeerIdLike): string {
  if (typeof id === 'string') return id
  if (id == null || typeof id.toString !== 'function') throw new TypeError('peer id must be a PeerId or a string')
  return id.toString()
}

function entriesOf<V> (input: Map<string, V> | Record<string, V>): Array<[string, V]> {
  return input instanceof Map ? [...input.entries()] : Object.entries(input)
}

export class MemoryPeerStore extends EventTarget implements PeerStore {
  readonly #peers = new Map<string, Entry>()
  readonly #maxPeers: number
  readonly #clock: () => number

  constructor (options: MemoryPeerStoreOptions = {}) {
    super()
    this.#maxPeers = options.maxPeers ?? DEFAULT_MAX_PEERS
    if (!Number.isInteger(this.#maxPeers) || this.#maxPeers < 1) throw new RangeError('maxPeers must be a positive integer')
    this.#clock = options.clock ?? Date.now
  }

  /** Number of peers stored (synchronous: for limits and tests). */
  get size (): number { return this.#peers.size }

  async get (id: PeerIdLike): Promise<Peer | undefined> {
    const entry = this.#peers.get(keyOf(id))
    return entry === undefined ? undefined : this.#snapshot(entry)
  }

  async has (id: PeerIdLike): Promise<boolean> {
    return this.#peers.has(keyOf(id))
  }

  async all (): Promise<Peer[]> {
    return [...this.#peers.values()].map(entry => this.#snapshot(entry))
  }

  async delete (id: PeerIdLike): Promise<void> {
    const key = keyOf(id)
    const entry = this.#peers.get(key)
    if (entry === undefined) return
    this.#peers.delete(key)
    this.#emitDelete(entry, 'deleted')
  }

  async patch (id: PeerIdLike, data: PeerData): Promise<Peer> {
    return this.#write(keyOf(id), data, 'patch')
  }

  async merge (id: PeerIdLike, data: PeerData): Promise<Peer> {
    return this.#write(keyOf(id), data, 'merge')
  }

  #write (key: string, data: PeerData, mode: Mode): Peer {
    if (data == null || typeof data !== 'object') throw new TypeError('peer data must be an object')
    const now = this.#clock()
    const existing = this.#peers.get(key)
    const previous = existing === undefined ? undefined : this.#snapshot(existing)
    const next = existing === undefined ? emptyEntry(key) : cloneEntry(existing)
    dropExpired(next, now)

    if (data.addresses !== undefined) applyAddresses(next, data.addresses, mode, now)
    if (data.protocols !== undefined) applyProtocols(next, data.protocols, mode)
    if (data.publicKey !== undefined) next.publicKey = data.publicKey
    if (data.peerRecordEnvelope !== undefined) next.peerRecordEnvelope = data.peerRecordEnvelope.slice()
    if (data.metadata !== undefined) applyMetadata(next, data.metadata, mode)
    if (data.tags !== undefined) applyTags(next, data.tags, mode, now)
    next.updated = now

    this.#peers.set(key, next)
    if (existing === undefined) this.#evictIfFull(key, now)
    const peer = this.#snapshot(next)
    this.dispatchEvent(new CustomEvent<PeerUpdateDetail>('peer:update', { detail: { peer, previous } }))
    return peer
  }

  /**
   * Puts back a peer exactly as a persistent store saved it (absolute expiry
   * times and `updated` kept, the same per-peer limits applied), without a
   * `peer:update` event: for a store loading its state at start-up. Past
   * maxPeers the usual eviction applies (with `peer:delete` events).
   */
  restore (peer: Peer): void {
    const now = this.#clock()
    const entry = emptyEntry(keyOf(peer.id))
    for (const a of peer.addresses) if (a.expires > now) entry.addresses.set(a.multiaddr.toString(), { ...a })
    capAddresses(entry)
    applyProtocols(entry, peer.protocols, 'patch')
    entry.publicKey = peer.publicKey
    entry.peerRecordEnvelope = peer.peerRecordEnvelope?.slice()
    applyMetadata(entry, peer.metadata, 'patch')
    for (const [name, tag] of peer.tags) if (tag.expires === undefined || tag.expires > now) entry.tags.set(name, { ...tag })
    if (entry.tags.size > MAX_TAGS_PER_PEER) throw new PeerStoreLimitError(`more than ${MAX_TAGS_PER_PEER} tags`)
    entry.updated = peer.updated
    this.#peers.set(entry.id, entry)
    this.#evictIfFull(entry.id, now)
  }

  /** Over the cap, drops the peer with the lowest total tag value, then the least recently updated. */
  #evictIfFull (keep: string, now: number): void {
    while (this.#peers.size > this.#maxPeers) {
      let victim: Entry | undefined
      let victimValue = Infinity
      for (const entry of this.#peers.values()) {
        if (entry.id === keep) continue
        const value = tagValue(entry, now)
        if (victim === undefined || value < victimValue || (value === victimValue && entry.updated < victim.updated)) {
          victim = entry
          victimValue = value
        }
      }
      if (victim === undefined) return
      this.#peers.delete(victim.id)
      this.#emitDelete(victim, 'evicted')
    }
  }

  #emitDelete (entry: Entry, reason: PeerDeleteDetail['reason']): void {
    const peer = this.#snapshot(entry)
    this.dispatchEvent(new CustomEvent<PeerDeleteDetail>('peer:delete', { detail: { peer, reason } }))
  }

  /** A copy without what has expired (which is also forgotten for good). */
  #snapshot (entry: Entry): Peer {
    dropExpired(entry, this.#clock())
    const addresses = [...entry.addresses.values()]
      .sort((a, b) => Number(b.certified) - Number(a.certified))
      .map(a => ({ ...a }))
    return {
      id: entry.id,
      addresses,
      protocols: [...entry.protocols],
      publicKey: entry.publicKey,
      peerRecordEnvelope: entry.peerRecordEnvelope?.slice(),
      metadata: new Map([...entry.metadata].map(([k, v]) => [k, v.slice()])),
      tags: new Map([...entry.tags].map(([k, t]) => [k, { ...t }])),
      updated: entry.updated
    }
  }
}

function emptyEntry (id: string): Entry {
  return {
    id,
    addresses: new Map(),
    protocols: [],
    publicKey: undefined,
    peerRecordEnvelope: undefined,
    metadata: new Map(),
    tags: new Map(),
    updated: 0
  }
}

function cloneEntry (e: Entry): Entry {
  return {
    ...e,
    addresses: new Map([...e.addresses].map(([k, a]) => [k, { ...a }])),
    protocols: [...e.protocols],
    metadata: new Map(e.metadata),
    tags: new Map([...e.tags].map(([k, t]) => [k, { ...t }]))
  }
}

function dropExpired (entry: Entry, now: number): void {
  for (const [key, address] of entry.addresses) if (address.expires <= now) entry.addresses.delete(key)
  for (const [name, tag] of entry.tags) if (tag.expires !== undefined && tag.expires <= now) entry.tags.delete(name)
}

function tagValue (entry: Entry, now: number): number {
  let total = 0
  for (const tag of entry.tags.values()) if (tag.expires === undefined || tag.expires > now) total += tag.value
  return total
}

function expiry (ttl: number | undefined, now: number, what: string): number {
  if (ttl === undefined || ttl === Infinity) return Infinity
  if (typeof ttl !== 'number' || Number.isNaN(ttl) || ttl < 0) throw new RangeError(`${what}: ttl must be a non-negative number of milliseconds`)
  return now + ttl
}

function applyAddresses (entry: Entry, input: PeerData['addresses'] & object, mode: Mode, now: number): void {
  if (mode === 'patch') entry.addresses.clear()
  for (const { multiaddr, ttl, certified } of input) {
    if (multiaddr == null || typeof multiaddr.toString !== 'function') throw new TypeError('address must be a Multiaddr')
    const key = multiaddr.toString()
    const expires = expiry(ttl, now, `address ${key}`)
    if (expires <= now) { entry.addresses.delete(key); continue }
    const old = entry.addresses.get(key)
    // A plain sighting of an address does not undo a signed record's certification.
    const isCertified = certified === true || (mode === 'merge' && old?.certified === true && certified === undefined)
    entry.addresses.delete(key)
    entry.addresses.set(key, { multiaddr, certified: isCertified, expires })
  }
  capAddresses(entry)
}

function capAddresses (entry: Entry): void {
  if (entry.addresses.size <= MAX_ADDRESSES_PER_PEER) return
  // Keep certified addresses first, then those that live longest; among equals the first seen.
  const kept = [...entry.addresses.entries()]
    .sort(([, a], [, b]) => Number(b.certified) - Number(a.certified) || b.expires - a.expires)
    .slice(0, MAX_ADDRESSES_PER_PEER)
  entry.addresses = new Map(kept)
}

function applyProtocols (entry: Entry, input: string[], mode: Mode): void {
  const protocols = new Set(mode === 'merge' ? entry.protocols : [])
  for (const protocol of input) {
    if (protocols.size >= MAX_PROTOCOLS_PER_PEER) break
    if (typeof protocol !== 'string' || protocol.length === 0 || protocol.length > MAX_PROTOCOL_LENGTH) continue
    protocols.add(protocol)
  }
  entry.protocols = [...protocols]
}

function applyMetadata (entry: Entry, input: NonNullable<PeerData['metadata']>, mode: Mode): void {
  if (mode === 'patch') entry.metadata.clear()
  for (const [key, value] of entriesOf(input)) {
    if (value === undefined) { entry.metadata.delete(key); continue }
    if (!(value instanceof Uint8Array)) throw new TypeError(`metadata ${key}: value must be a Uint8Array`)
    if (value.length > MAX_METADATA_VALUE_SIZE) {
      throw new PeerStoreLimitError(`metadata ${key}: ${value.length} bytes exceeds the limit of ${MAX_METADATA_VALUE_SIZE}`)
    }
    entry.metadata.set(key, value.slice())
  }
  if (entry.metadata.size > MAX_METADATA_ENTRIES) throw new PeerStoreLimitError(`more than ${MAX_METADATA_ENTRIES} metadata entries`)
}

function applyTags (entry: Entry, input: NonNullable<PeerData['tags']>, mode: Mode, now: number): void {
  if (mode === 'patch') entry.tags.clear()
  for (const [name, tag] of entriesOf<TagInput | undefined>(input)) {
    if (tag === undefined) { entry.tags.delete(name); continue }
    const value = tag.value ?? 0
    if (!Number.isFinite(value)) throw new RangeError(`tag ${name}: value must be a finite number`)
    const expires = expiry(tag.ttl, now, `tag ${name}`)
    entry.tags.set(name, expires === Infinity ? { value } : { value, expires })
  }
  if (entry.tags.size > MAX_TAGS_PER_PEER) throw new PeerStoreLimitError(`more than ${MAX_TAGS_PER_PEER} tags`)
}
