/**
 * A PeerStore that outlives the process: the in-memory store (./memory.ts,
 * so the same limits, eviction order, events and copy-on-read) in front of a
 * Datastore that every change is written through to, one key per peer
 * (`/peers/<id>`, ./codec.ts). Opening loads what the datastore holds, so a
 * restarted node knows its peers again. The memory half never exceeds
 * maxPeers, so neither does the datastore: evictions are deleted there too.
 *
 * A write resolves once the datastore has it; datastore writes happen in the
 * order of the changes, one at a time.
 */
import type { Datastore } from '../datastore/types.js'
import { decodePeer, encodePeer, CorruptPeerRecordError } from './codec.js'
import { MemoryPeerStore, type MemoryPeerStoreOptions } from './memory.js'
import type { Peer, PeerData, PeerDeleteDetail, PeerIdLike, PeerStore, PeerUpdateDetail } from './types.js'

/** Key prefix of the peers in the datastore. */
export const PEER_STORE_PREFIX = '/peers/'

export interface PersistentPeerStoreOptions extends MemoryPeerStoreOptions {
  /** Key prefix; default PEER_STORE_PREFIX (give each store sharing a datastore its own). */
  prefix?: string
}

export class PersistentPeerStore extends EventTarget implements PeerStore {
  readonly #memory: MemoryPeerStore
  readonly #datastore: Datastore
  readonly #prefix: string
  #tail: Promise<void> = Promise.resolve()
  #failure: unknown
  /** Corrupt records dropped while loading (tests and diagnostics). */
  droppedOnLoad = 0

  private constructor (datastore: Datastore, options: PersistentPeerStoreOptions) {
    super()
    this.#datastore = datastore
    this.#prefix = options.prefix ?? PEER_STORE_PREFIX
    this.#memory = new MemoryPeerStore(options)
    this.#memory.addEventListener('peer:update', event => {
      const { peer } = (event as CustomEvent<PeerUpdateDetail>).detail
      this.#enqueue(async () => { await this.#datastore.put(this.#prefix + peer.id, encodePeer(peer)) })
      this.dispatchEvent(new CustomEvent<PeerUpdateDetail>('peer:update', { detail: (event as CustomEvent<PeerUpdateDetail>).detail }))
    })
    this.#memory.addEventListener('peer:delete', event => {
      const { peer } = (event as CustomEvent<PeerDeleteDetail>).detail
      this.#enqueue(async () => { await this.#datastore.delete(this.#prefix + peer.id) })
      this.dispatchEvent(new CustomEvent<PeerDeleteDetail>('peer:delete', { detail: (event as CustomEvent<PeerDeleteDetail>).detail }))
    })
  }

  /** Opens a store on `datastore`, loading the peers it holds (a corrupt record is dropped from it). */
  static async open (datastore: Datastore, options: PersistentPeerStoreOptions = {}): Promise<PersistentPeerStore> {
    const store = new PersistentPeerStore(datastore, options)
    const corrupt: string[] = []
    for await (const { key, value } of datastore.query({ prefix: store.#prefix })) {
      try {
        const peer = decodePeer(value)
        if (store.#prefix + peer.id !== key) throw new CorruptPeerRecordError(`record under ${key} names ${peer.id}`)
        store.#memory.restore(peer)
      } catch {
        corrupt.push(key)
      }
    }
    for (const key of corrupt) await datastore.delete(key)
    store.droppedOnLoad = corrupt.length
    await store.flush()
    return store
  }

  /** Number of peers stored (synchronous: for limits and tests). */
  get size (): number { return this.#memory.size }

  async get (id: PeerIdLike): Promise<Peer | undefined> { return await this.#memory.get(id) }
  async has (id: PeerIdLike): Promise<boolean> { return await this.#memory.has(id) }
  async all (): Promise<Peer[]> { return await this.#memory.all() }

  async delete (id: PeerIdLike): Promise<void> {
    await this.#memory.delete(id)
    await this.flush()
  }

  async patch (id: PeerIdLike, data: PeerData): Promise<Peer> {
    const peer = await this.#memory.patch(id, data)
    await this.flush()
    return peer
  }

  async merge (id: PeerIdLike, data: PeerData): Promise<Peer> {
    const peer = await this.#memory.merge(id, data)
    await this.flush()
    return peer
  }

  /** Resolves once every change so far is in the datastore; throws the first datastore failure since the last flush. */
  async flush (): Promise<void> {
    await this.#tail
    const failure = this.#failure
    this.#failure = undefined
    if (failure !== undefined) throw failure
  }

  #enqueue (write: () => Promise<void>): void {
    this.#tail = this.#tail.then(write).catch(err => { this.#failure ??= err })
  }
}
