/**
 * Iterative lookup (kad-dht spec "Peer routing"; Kademlia paper §2.3).
 *
 * Candidates are kept sorted by XOR distance to sha256(key). At most α requests are in
 * flight; each goes to the nearest candidate not yet asked among the k nearest that have
 * not failed. Each answer's closer peers join the candidates. The lookup ends when the k
 * nearest non-failed candidates have all answered (or every known candidate has been
 * tried), when the caller's `onResponse` says it has what it needs, or on a timeout or
 * abort.
 *
 * The network is abstract — `sendRequest(peer, message, signal)` — so the same code
 * runs over libp2p streams and over an in-process simulation in the tests.
 */
import { ALPHA, K } from './constants.js'
import { type Contact, contactsOf, mapKeyOf, kadKey } from './contact.js'
import type { DhtMessage, DhtPeer } from './message.js'
import { xorDistance } from './xor/index.js'

/**
 * Time one peer has to answer one request: 10 s. A slow peer must not stall the lookup;
 * it is counted as failed and the next candidate is asked.
 */
export const REQUEST_TIMEOUT_MS = 10_000

/** Time a whole lookup may take: 60 s (js-libp2p's default query timeout). */
export const QUERY_TIMEOUT_MS = 60_000

/**
 * Most candidates a lookup remembers: 2,000. Each answer may list up to
 * MAX_PEERS_PER_LIST peers; past this bound the farthest candidates are dropped,
 * which never affects the k nearest.
 */
export const MAX_LOOKUP_CANDIDATES = 2000

export class QueryTimeoutError extends Error {
  override name = 'QueryTimeoutError'
}

export class QueryAbortedError extends Error {
  override name = 'QueryAbortedError'
}

/** A request that should have had a response got none. */
export class NoResponseError extends Error {
  override name = 'NoResponseError'
}

/** A lookup candidate: a contact and the addresses the answer that named it carried. */
export interface LookupPeer extends Contact {
  readonly addrs: Uint8Array[]
}

/**
 * Sends one DHT request and resolves with the response (undefined for ADD_PROVIDER,
 * which has none); rejects on any failure.
 */
export type SendRequest = (peer: LookupPeer, message: DhtMessage, signal: AbortSignal) => Promise<DhtMessage | undefined>

export type LookupEvent =
  | { type: 'request', peer: LookupPeer }
  | { type: 'response', peer: LookupPeer, response: DhtMessage, closer: LookupPeer[] }
  | { type: 'error', peer: LookupPeer, error: unknown }

export interface LookupOptions {
  /** The DHT key looked up: a PeerId multihash, a record key, a provider multihash. */
  key: Uint8Array
  /** The request every peer is sent (FIND_NODE, GET_VALUE, GET_PROVIDERS with `key`). */
  request: DhtMessage
  /** Where to start: the nearest contacts from the routing table. */
  seeds: Iterable<Contact & { addrs?: Uint8Array[] }>
  sendRequest: SendRequest
  /** Our own Kademlia key: never a candidate. */
  selfKey?: Uint8Array
  /** Default K. */
  k?: number
  /** Requests in flight, default ALPHA. */
  alpha?: number
  /** Default REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number
  /** Default QUERY_TIMEOUT_MS. */
  queryTimeoutMs?: number
  signal?: AbortSignal
  onProgress?: (event: LookupEvent) => void
  /**
   * Sees every successful response (awaited, so it may validate asynchronously);
   * returning true ends the lookup early (value found, quorum met).
   */
  onResponse?: (peer: LookupPeer, response: DhtMessage) => boolean | undefined | void | Promise<boolean | undefined | void>
}

export interface LookupResult {
  /** The (up to) k nearest peers that answered, nearest first. */
  closest: LookupPeer[]
  /** Requests sent, answered and failed. */
  queried: number
  answered: number
  failed: number
  /** True when `onResponse` ended the lookup. */
  stopped: boolean
}

type State = 'waiting' | 'inflight' | 'answered' | 'failed'

interface Candidate {
  readonly peer: LookupPeer
  readonly distance: Uint8Array
  state: State
}

function compareBytes (a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return 0
}

/** Runs one iterative lookup. Rejects with QueryTimeoutError or QueryAbortedError. */
export async function lookup (options: LookupOptions): Promise<LookupResult> {
  const k = options.k ?? K
  const alpha = options.alpha ?? ALPHA
  const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS
  const queryTimeoutMs = options.queryTimeoutMs ?? QUERY_TIMEOUT_MS
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`)
  if (!Number.isInteger(alpha) || alpha < 1) throw new RangeError(`alpha must be a positive integer, got ${alpha}`)
  const target = kadKey(options.key)
  const selfHex = options.selfKey === undefined ? undefined : mapKeyOf(options.selfKey)

  const sorted: Candidate[] = []
  const known = new Set<string>()
  const inflight = new Map<Candidate, AbortController>()
  let queried = 0, answered = 0, failed = 0

  const addCandidate = (peer: LookupPeer): void => {
    const hex = mapKeyOf(peer.key)
    if (hex === selfHex || known.has(hex)) return
    const distance = xorDistance(peer.key, target)
    let lo = 0, hi = sorted.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (compareBytes(sorted[mid]!.distance, distance) < 0) lo = mid + 1
      else hi = mid
    }
    if (lo >= MAX_LOOKUP_CANDIDATES) return
    known.add(hex)
    sorted.splice(lo, 0, { peer, distance, state: 'waiting' })
    // Drop the farthest idle candidate; in-flight ones finish on their own.
    if (sorted.length > MAX_LOOKUP_CANDIDATES) {
      for (let i = sorted.length - 1; i >= 0; i--) {
        if (sorted[i]!.state !== 'inflight') { sorted.splice(i, 1); break }
      }
    }
  }
  for (const seed of options.seeds) addCandidate({ id: seed.id, key: seed.key, addrs: seed.addrs ?? [] })

  return await new Promise<LookupResult>((resolve, reject) => {
    let settled = false
    let stopped = false
    const finish = (error?: Error): void => {
      if (settled) return
      settled = true
      clearTimeout(queryTimer)
      options.signal?.removeEventListener('abort', onAbort)
      for (const controller of inflight.values()) controller.abort()
      inflight.clear()
      if (error !== undefined) { reject(error); return }
      const closest: LookupPeer[] = []
      for (const c of sorted) {
        if (c.state === 'answered') closest.push(c.peer)
        if (closest.length === k) break
      }
      resolve({ closest, queried, answered, failed, stopped })
    }
    const onAbort = (): void => { finish(new QueryAbortedError('lookup aborted', { cause: options.signal?.reason })) }
    const queryTimer = setTimeout(() => { finish(new QueryTimeoutError(`lookup exceeded ${queryTimeoutMs} ms`)) }, queryTimeoutMs)
    if (options.signal?.aborted === true) { onAbort(); return }
    options.signal?.addEventListener('abort', onAbort)

    const pump = (): void => {
      if (settled) return
      // Among the k nearest non-failed candidates: anyone not asked yet, anyone pending?
      let seen = 0
      let pending = false
      for (const c of sorted) {
        if (c.state === 'failed') continue
        if (seen++ === k) break
        if (c.state === 'inflight') pending = true
        else if (c.state === 'waiting') {
          pending = true
          if (inflight.size < alpha) send(c)
        }
      }
      if (!pending) finish()
    }

    const send = (c: Candidate): void => {
      c.state = 'inflight'
      queried++
      const controller = new AbortController()
      inflight.set(c, controller)
      const timer = setTimeout(() => { controller.abort(new QueryTimeoutError(`request exceeded ${requestTimeoutMs} ms`)) }, requestTimeoutMs)
      options.onProgress?.({ type: 'request', peer: c.peer })
      const timedOut = new Promise<never>((_resolve, rejectTimeout) => {
        controller.signal.addEventListener('abort', () => { rejectTimeout(controller.signal.reason) }, { once: true })
      })
      // A sendRequest that ignores its signal still loses the race against the abort.
      Promise.race([options.sendRequest(c.peer, options.request, controller.signal), timedOut]).then(async response => {
        clearTimeout(timer)
        if (settled) return
        if (response === undefined) throw new NoResponseError('peer sent no response')
        const closer = peersOf(response.closerPeers)
        // Still in flight while onResponse runs, so the lookup cannot end under it.
        if (options.onResponse !== undefined && await options.onResponse(c.peer, response) === true) {
          inflight.delete(c)
          c.state = 'answered'
          answered++
          stopped = true
          options.onProgress?.({ type: 'response', peer: c.peer, response, closer })
          finish()
          return
        }
        if (settled) return
        inflight.delete(c)
        c.state = 'answered'
        answered++
        options.onProgress?.({ type: 'response', peer: c.peer, response, closer })
        for (const peer of closer) addCandidate(peer)
        pump()
      }).catch((error: unknown) => {
        clearTimeout(timer)
        if (settled) return
        inflight.delete(c)
        c.state = 'failed'
        failed++
        options.onProgress?.({ type: 'error', peer: c.peer, error })
        pump()
      }).catch(err => { finish(err instanceof Error ? err : new Error(String(err))) })
    }

    pump()
  })
}

/** Contacts for the peers an answer listed (their keys hashed in one batch). */
function peersOf (peers: DhtPeer[]): LookupPeer[] {
  const contacts = contactsOf(peers.map(p => p.id))
  return contacts.map((c, i) => ({ id: c.id, key: c.key, addrs: peers[i]!.addrs }))
}
