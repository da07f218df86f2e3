/**
 * Local store of provider records (kad-dht spec "Content provider advertisement and
 * discovery"): who announced, via ADD_PROVIDER, that they provide a key. A provider
 * expires PROVIDER_TTL_MS after its last announcement; its addresses are served only for
 * PROVIDER_ADDRS_TTL_MS, after which GET_PROVIDERS returns the bare PeerId.
 *
 * The spec requires storing only providers that match the sending peer; that check
 * belongs to the RPC handler, which knows the sender.
 */
import { mapKeyOf } from './contact.js'
import { ConnectionType, type DhtPeer } from './message.js'

/** Provider record lifetime: 48 h (spec, the IPFS expiration interval). */
export const PROVIDER_TTL_MS = 48 * 3600_000

/** How long a provider's addresses are served: 30 min (spec, kubo's routing-table refresh interval). */
export const PROVIDER_ADDRS_TTL_MS = 30 * 60_000

/** Providers kept per key: 20 (= k, what one GET_PROVIDERS answer needs); the oldest announcement gives way. */
export const MAX_PROVIDERS_PER_KEY = 20

/** Keys with providers held: 100,000; beyond it new keys are refused until entries expire. */
export const MAX_PROVIDER_KEYS = 100_000

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
}

export class ProviderStore {
  readonly #ttlMs: number
  readonly #addrsTtlMs: number
  readonly #maxPerKey: number
  readonly #maxKeys: number
  readonly #now: () => number
  /** key hex → provider id hex → provider, in announcement order. */
  readonly #providers = new Map<string, Map<string, Provider>>()

  constructor (options: ProviderStoreOptions = {}) {
    this.#ttlMs = options.ttlMs ?? PROVIDER_TTL_MS
    this.#addrsTtlMs = options.addrsTtlMs ?? PROVIDER_ADDRS_TTL_MS
    this.#maxPerKey = options.maxProvidersPerKey ?? MAX_PROVIDERS_PER_KEY
    this.#maxKeys = options.maxKeys ?? MAX_PROVIDER_KEYS
    this.#now = options.now ?? Date.now
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
  }

  /** Live providers of `key`, most recent first; addresses omitted once stale. */
  get (key: Uint8Array): DhtPeer[] {
    const keyHex = mapKeyOf(key)
    const providers = this.#providers.get(keyHex)
    if (providers === undefined) return []
    const now = this.#now()
    const out: DhtPeer[] = []
    for (const [idHex, p] of providers) {
      if (now - p.added >= this.#ttlMs) { providers.delete(idHex); continue }
      out.push({ id: p.id, addrs: now - p.added < this.#addrsTtlMs ? p.addrs : [], connection: ConnectionType.NOT_CONNECTED })
    }
    if (providers.size === 0) this.#providers.delete(keyHex)
    return out.reverse()
  }

  /** Drops expired providers and empty keys; returns how many providers were dropped. */
  prune (): number {
    const now = this.#now()
    let dropped = 0
    for (const [keyHex, providers] of this.#providers) {
      for (const [idHex, p] of providers) {
        if (now - p.added >= this.#ttlMs) { providers.delete(idHex); dropped++ }
      }
      if (providers.size === 0) this.#providers.delete(keyHex)
    }
    return dropped
  }
}
