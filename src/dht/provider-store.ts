/**
 * Local store of provider records (kad-dht spec "Content provider advertisement and
 * discovery"): who announced, via ADD_PROVIDER, that they provide a key. A provider
 * expires PROVIDER_TTL_MS after its last announcement; its addresses are served only for
 * PROVIDER_ADDRS_TTL_MS, after which GET_PROVIDERS returns the bare PeerId.
 *
 * The spec requires storing only providers that match the sending peer; that check
 * belongs to the RPC handler, which knows the sender.
 *
 * Held in memory; with a datastore (`ProviderStore.open(datastore)`) each key's providers
 * are also written there (JSON under `/dht/providers/<key hex>`, times included), and
 * opening loads the live ones back.
 */
import { base64 } from 'multiformats/bases/base64'
import type { Datastore } from '../datastore/types.js'
import { mapKeyOf } from './contact.js'
import { ConnectionType, type DhtPeer } from './message.js'
import { WriteChain } from './write-chain.js'

/** Provider record lifetime: 48 h (spec, the IPFS expiration interval). */
export const PROVIDER_TTL_MS = 48 * 3600_000

/** How long a provider's addresses are served: 30 min (spec, kubo's routing-table refresh interval). */
export const PROVIDER_ADDRS_TTL_MS = 30 * 60_000

/** Providers kept per key: 20 (= k, what one GET_PROVIDERS answer needs); the oldest announcement gives way. */
export const MAX_PROVIDERS_PER_KEY = 20

/** Keys with providers held: 100,000; beyond it new keys are refused until entries expire. */
export const MAX_PROVIDER_KEYS = 100_000

/** Key prefix of the provider sets in a datastore. */
export const PROVIDER_STORE_PREFIX = '/dht/providers/'

export class ProviderStoreFullError extends Error {
  override name = 'ProviderStoreFullError'
}

interface Provider { id: Uint8Array, addrs: Uint8Array[], added: number }

export interface ProviderStoreOptions {
  ttlMs?: number
  addrsTtlMs?: number
  maxProvidersPerKey?: number
  maxKeys?: number
  now?: () => number
  /** Where providers persist; default none (memory only). Use `ProviderStore.open` to load what it holds. */
  datastore?: Datastore
}

interface StoredProviders { key: string, providers: Array<{ id: string, addrs: string[], added: number }> }

export class ProviderStore {
  readonly #ttlMs: number
  readonly #addrsTtlMs: number
  readonly #maxPerKey: number
  readonly #maxKeys: number
  readonly #now: () => number
  /** key hex → provider id hex → provider, in announcement order. */
  readonly #providers = new Map<string, Map<string, Provider>>()
  readonly #datastore: Datastore | undefined
  readonly #writes = new WriteChain()

  constructor (options: ProviderStoreOptions = {}) {
    this.#ttlMs = options.ttlMs ?? PROVIDER_TTL_MS
    this.#addrsTtlMs = options.addrsTtlMs ?? PROVIDER_ADDRS_TTL_MS
    this.#maxPerKey = options.maxProvidersPerKey ?? MAX_PROVIDERS_PER_KEY
    this.#maxKeys = options.maxKeys ?? MAX_PROVIDER_KEYS
    this.#now = options.now ?? Date.now
    this.#datastore = options.datastore
  }

  /**
   * A store on `datastore`, loaded with the live providers it holds (the same bounds
   * apply; undecodable entries are deleted from it).
   */
  static async open (datastore: Datastore, options: Omit<ProviderStoreOptions, 'datastore'> = {}): Promise<ProviderStore> {
    const store = new ProviderStore({ ...options, datastore })
    const stale: string[] = []
    const now = store.#now()
    for await (const { key, value } of datastore.query({ prefix: PROVIDER_STORE_PREFIX })) {
      try {
        const stored = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(value)) as StoredProviders
        if (key !== PROVIDER_STORE_PREFIX + stored.key || !Array.isArray(stored.providers) || store.#providers.size >= store.#maxKeys) throw new RangeError('stale')
        const providers = new Map<string, Provider>()
        for (const p of stored.providers.slice(-store.#maxPerKey)) {
          if (typeof p.added !== 'number' || !Number.isFinite(p.added) || !Array.isArray(p.addrs)) throw new RangeError('bad provider')
          if (now - p.added >= store.#ttlMs) continue
          const id = base64.baseDecode(p.id)
          providers.set(mapKeyOf(id), { id, addrs: p.addrs.map(a => base64.baseDecode(a)), added: p.added })
        }
        if (providers.size === 0) throw new RangeError('expired')
        store.#providers.set(stored.key, providers)
      } catch {
        stale.push(key)
      }
    }
    for (const key of stale) await datastore.delete(key)
    return store
  }

  /** Resolves once every change so far is in the datastore; throws the first datastore failure since the last flush. */
  async flush (): Promise<void> { await this.#writes.flush() }

  /** Writes (or deletes, when it has none left) the provider set of one key. */
  #persist (keyHex: string): void {
    const datastore = this.#datastore
    if (datastore === undefined) return
    const providers = this.#providers.get(keyHex)
    const stored: StoredProviders | undefined = providers === undefined || providers.size === 0
      ? undefined
      : { key: keyHex, providers: [...providers.values()].map(p => ({ id: base64.baseEncode(p.id), addrs: p.addrs.map(a => base64.baseEncode(a)), added: p.added })) }
    const key = PROVIDER_STORE_PREFIX + keyHex
    this.#writes.enqueue(async () => {
      if (stored === undefined) await datastore.delete(key)
      else await datastore.put(key, new TextEncoder().encode(JSON.stringify(stored)))
    })
  }

  /** Keys with at least one provider (expired ones included until pruned). */
  get size (): number { return this.#providers.size }

  /** Records (or refreshes) `provider` as providing `key`. */
  add (key: Uint8Array, provider: { id: Uint8Array, addrs: Uint8Array[] }): void {
    const keyHex = mapKeyOf(key)
    let providers = this.#providers.get(keyHex)
    if (providers === undefined) {
      if (this.#providers.size >= this.#maxKeys) {
        this.prune()
        if (this.#providers.size >= this.#maxKeys) throw new ProviderStoreFullError(`provider store holds ${this.#maxKeys} keys`)
      }
      providers = new Map()
      this.#providers.set(keyHex, providers)
    }
    const idHex = mapKeyOf(provider.id)
    providers.delete(idHex) // re-announcement moves to the back
    providers.set(idHex, { id: provider.id.slice(), addrs: provider.addrs.map(a => a.slice()), added: this.#now() })
    if (providers.size > this.#maxPerKey) providers.delete(providers.keys().next().value!)
    this.#persist(keyHex)
  }

  /** Live providers of `key`, most recent first; addresses omitted once stale. */
  get (key: Uint8Array): DhtPeer[] {
    const keyHex = mapKeyOf(key)
    const providers = this.#providers.get(keyHex)
    if (providers === undefined) return []
    const now = this.#now()
    const out: DhtPeer[] = []
    let expired = false
    for (const [idHex, p] of providers) {
      if (now - p.added >= this.#ttlMs) { providers.delete(idHex); expired = true; continue }
      out.push({ id: p.id, addrs: now - p.added < this.#addrsTtlMs ? p.addrs : [], connection: ConnectionType.NOT_CONNECTED })
    }
    if (providers.size === 0) this.#providers.delete(keyHex)
    if (expired) this.#persist(keyHex)
    return out.reverse()
  }

  /** Drops expired providers and empty keys; returns how many providers were dropped. */
  prune (): number {
    const now = this.#now()
    let dropped = 0
    for (const [keyHex, providers] of this.#providers) {
      const before = dropped
      for (const [idHex, p] of providers) {
        if (now - p.added >= this.#ttlMs) { providers.delete(idHex); dropped++ }
      }
      if (providers.size === 0) this.#providers.delete(keyHex)
      if (dropped > before) this.#persist(keyHex)
    }
    return dropped
  }
}
