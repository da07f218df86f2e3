/**
 * The DHT operations of the kad-dht spec ("DHT operations"), built on the iterative
 * lookup and an abstract `sendRequest`:
 *
 * - peer routing: `getClosestPeers` (FIND_NODE lookup), `findPeer`;
 * - values: `putValue` (FIND_NODE, then PUT_VALUE to the k closest) and `getValue`
 *   (GET_VALUE lookup with a quorum; entry correction afterwards: peers that returned an
 *   outdated value, or none while among the k closest, receive PUT_VALUE of the best);
 * - providers: `provide` (FIND_NODE, then ADD_PROVIDER) and `findProviders`.
 */
import { K } from './constants.js'
import { contactOf, kadKey } from './contact.js'
import type { AddressedContact } from './handler.js'
import { ConnectionType, type DhtMessage, type DhtPeer, type DhtRecord, dhtMessage, MessageType } from './message.js'
import { type LookupEvent, type LookupPeer, type LookupResult, lookup, type SendRequest } from './query.js'
import type { ProviderStore } from './provider-store.js'
import type { RecordStore } from './record-store.js'
import type { RoutingTable } from './routing-table.js'
import { selectRecord, validateRecord } from './validators.js'

/** Distinct values `getValue` gathers before it answers: 16 (js-libp2p's default; go-libp2p's is also 16). */
export const DEFAULT_QUORUM = 16

/** Providers `findProviders` gathers before it stops: 20 (= k). */
export const DEFAULT_MAX_PROVIDERS = 20

export class NotFoundError extends Error {
  override name = 'NotFoundError'
}

/** What the operations need from the local node. */
export interface DhtContext {
  /** Our PeerId multihash. */
  readonly selfId: Uint8Array
  readonly routingTable: RoutingTable<AddressedContact>
  readonly records: RecordStore
  readonly providers: ProviderStore
  readonly sendRequest: SendRequest
  readonly k?: number
  readonly alpha?: number
  readonly requestTimeoutMs?: number
  readonly queryTimeoutMs?: number
}

export interface OperationOptions {
  signal?: AbortSignal
  onProgress?: (event: LookupEvent) => void
}

function run (ctx: DhtContext, key: Uint8Array, request: DhtMessage, options: OperationOptions,
  onResponse?: (peer: LookupPeer, response: DhtMessage) => boolean | undefined | Promise<boolean | undefined>): Promise<LookupResult> {
  const k = ctx.k ?? K
  return lookup({
    key,
    request,
    seeds: ctx.routingTable.closestPeers(kadKey(key), k),
    sendRequest: ctx.sendRequest,
    selfKey: ctx.routingTable.self,
    k,
    ...(ctx.alpha === undefined ? {} : { alpha: ctx.alpha }),
    ...(ctx.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: ctx.requestTimeoutMs }),
    ...(ctx.queryTimeoutMs === undefined ? {} : { queryTimeoutMs: ctx.queryTimeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(onResponse === undefined ? {} : { onResponse })
  })
}

/** Sends one request to each peer at once; resolves with the peers that answered as `accept` wants. */
async function fanOut (ctx: DhtContext, peers: LookupPeer[], request: DhtMessage, signal: AbortSignal | undefined,
  accept: (response: DhtMessage | undefined) => boolean): Promise<LookupPeer[]> {
  const timeout = ctx.requestTimeoutMs ?? 10_000
  // One listener on the caller's signal for the whole fan-out, not one per peer.
  const controllers = peers.map(() => new AbortController())
  const relay = (): void => { for (const c of controllers) c.abort(signal?.reason) }
  signal?.addEventListener('abort', relay, { once: true })
  try {
    const results = await Promise.allSettled(peers.map(async (peer, i) => {
      const controller = controllers[i]!
      const timer = setTimeout(() => { controller.abort(new Error('request timed out')) }, timeout)
      try {
        const response = await ctx.sendRequest(peer, request, controller.signal)
        if (!accept(response)) throw new Error('unexpected response')
        return peer
      } finally {
        clearTimeout(timer)
      }
    }))
    return results.flatMap(r => r.status === 'fulfilled' ? [r.value] : [])
  } finally {
    signal?.removeEventListener('abort', relay)
  }
}

/** The k peers nearest to `key` that answered a FIND_NODE lookup, nearest first. */
export async function getClosestPeers (ctx: DhtContext, key: Uint8Array, options: OperationOptions = {}): Promise<LookupPeer[]> {
  return (await run(ctx, key, dhtMessage({ type: MessageType.FIND_NODE, key }), options)).closest
}

function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** A peer's addresses: from the routing table, else from the first answer that names it. Throws NotFoundError. */
export async function findPeer (ctx: DhtContext, id: Uint8Array, options: OperationOptions = {}): Promise<DhtPeer> {
  const known = ctx.routingTable.find(contactOf(id).key)
  if (known?.addrs !== undefined && known.addrs.length > 0) return { id, addrs: known.addrs, connection: ConnectionType.NOT_CONNECTED }
  let found: DhtPeer | undefined
  await run(ctx, id, dhtMessage({ type: MessageType.FIND_NODE, key: id }), options, (peer, response) => {
    if (equalBytes(peer.id, id)) { found = { id, addrs: peer.addrs, connection: ConnectionType.CONNECTED }; return true }
    const listed = response.closerPeers.find(p => equalBytes(p.id, id) && p.addrs.length > 0)
    if (listed !== undefined) { found = listed; return true }
    return false
  })
  if (found === undefined) throw new NotFoundError('peer not found')
  return found
}

/**
 * Stores a record locally (validated) and at the k closest peers. Resolves with the
 * peers that stored it (they echo the request).
 */
export async function putValue (ctx: DhtContext, key: Uint8Array, value: Uint8Array, options: OperationOptions = {}): Promise<LookupPeer[]> {
  const record: DhtRecord = { key, value, timeReceived: '' }
  await ctx.records.put(record)
  const closest = await getClosestPeers(ctx, key, options)
  const request = dhtMessage({ type: MessageType.PUT_VALUE, key, record })
  return await fanOut(ctx, closest, request, options.signal, r => r?.record !== undefined && equalBytes(r.record.value, value))
}

export interface GetValueOptions extends OperationOptions {
  /** Values to gather before answering, counting our own; default DEFAULT_QUORUM. */
  quorum?: number
}

export interface GetValueResult {
  value: Uint8Array
  /** Peers that held the best value. */
  from: LookupPeer[]
  /** Peers sent the best value afterwards (outdated, or among the k closest without one). */
  corrected: LookupPeer[]
}

/** The best valid value for `key` by its namespace's selector. Throws NotFoundError. */
export async function getValue (ctx: DhtContext, key: Uint8Array, options: GetValueOptions = {}): Promise<GetValueResult> {
  const quorum = options.quorum ?? DEFAULT_QUORUM
  const rules = ctx.records.rules
  const local = ctx.records.get(key)
  if (local !== undefined && quorum <= 1) return { value: local.value, from: [], corrected: [] }
  let best = local?.value
  let count = local === undefined ? 0 : 1
  let holders: LookupPeer[] = []
  const outdated: LookupPeer[] = []
  const withoutValue: LookupPeer[] = []
  const result = await run(ctx, key, dhtMessage({ type: MessageType.GET_VALUE, key }), options, async (peer, response) => {
    const value = response.record !== undefined && equalBytes(response.record.key, key) ? response.record.value : undefined
    if (value === undefined) { withoutValue.push(peer); return false }
    try {
      await validateRecord(rules, key, value)
    } catch {
      withoutValue.push(peer) // an invalid value counts as none: the peer gets corrected
      return false
    }
    count++
    if (best === undefined) {
      best = value; holders = [peer]
    } else if (equalBytes(best, value)) {
      holders.push(peer)
    } else if (selectRecord(rules, key, [best, value]) === 1) {
      outdated.push(...holders)
      best = value; holders = [peer]
    } else {
      outdated.push(peer)
    }
    return count >= quorum
  })
  if (best === undefined) throw new NotFoundError('no value found')
  const value = best
  if (local === undefined || !equalBytes(local.value, value)) await ctx.records.put({ key, value, timeReceived: '' }).catch(() => false)
  // Entry correction: outdated holders, and the k closest that answered without a value.
  const closestKeys = new Set(result.closest.map(p => p.key.join()))
  const stale = [...outdated, ...withoutValue.filter(p => closestKeys.has(p.key.join()))]
  const request = dhtMessage({ type: MessageType.PUT_VALUE, key, record: { key, value, timeReceived: '' } })
  const corrected = stale.length === 0 ? [] : await fanOut(ctx, stale, request, options.signal, r => r !== undefined)
  return { value, from: holders, corrected }
}

/** Announces us as a provider of `key` (a multihash) to the k closest peers; resolves with them. */
export async function provide (ctx: DhtContext, key: Uint8Array, selfAddrs: Uint8Array[], options: OperationOptions = {}): Promise<LookupPeer[]> {
  ctx.providers.add(key, { id: ctx.selfId, addrs: selfAddrs })
  const closest = await getClosestPeers(ctx, key, options)
  const request = dhtMessage({ type: MessageType.ADD_PROVIDER, key, providerPeers: [{ id: ctx.selfId, addrs: selfAddrs, connection: ConnectionType.CONNECTED }] })
  return await fanOut(ctx, closest, request, options.signal, () => true)
}

export interface FindProvidersOptions extends OperationOptions {
  /** Stop after this many distinct providers; default DEFAULT_MAX_PROVIDERS. */
  maxProviders?: number
}

/** Providers of `key`: ours first, then those the network returns, distinct, up to maxProviders. */
export async function findProviders (ctx: DhtContext, key: Uint8Array, options: FindProvidersOptions = {}): Promise<DhtPeer[]> {
  const max = options.maxProviders ?? DEFAULT_MAX_PROVIDERS
  const found = new Map<string, DhtPeer>()
  const take = (peers: DhtPeer[]): boolean => {
    for (const p of peers) {
      if (found.size >= max) break
      const id = p.id.join()
      if (!found.has(id)) found.set(id, p)
    }
    return found.size >= max
  }
  if (take(ctx.providers.get(key))) return [...found.values()]
  await run(ctx, key, dhtMessage({ type: MessageType.GET_PROVIDERS, key }), options, (_peer, response) => take(response.providerPeers))
  return [...found.values()]
}
