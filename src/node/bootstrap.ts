/**
 * Bootstrap: a fixed list of peers (multiaddrs with `/p2p/<id>`) dialed when
 * the node starts and dialed again whenever the connection to one is lost or
 * a dial fails, after an exponential backoff with jitter, until the node
 * stops. Addresses without `/p2p/` are dialed too, but a loss can only be
 * noticed for peers whose id is known, so they are retried only on failure.
 *
 * A `/dnsaddr/<host>[/p2p/<id>]` entry is resolved (TXT records of
 * `_dnsaddr.<host>`, ../dns/dnsaddr.ts) at each attempt, and its addresses are
 * dialed in turn until one connects; a failed lookup counts as a failed dial.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import { isDnsaddr, resolveDnsaddr, type DnsaddrOptions } from '../dns/dnsaddr.js'
import { getPeerIdFromMultiaddr } from '../multiaddr/index.js'

/** First retry delay after a failure or loss. Default 1 s: a restarting peer is usually back within seconds. */
export const BOOTSTRAP_INITIAL_BACKOFF_MS = 1_000

/** Backoff cap. Default 5 min: a long-gone bootstrap peer costs one dial every few minutes, not a dial loop. */
export const BOOTSTRAP_MAX_BACKOFF_MS = 300_000

/** Backoff growth per consecutive failure. Default 2 (doubling). */
export const BOOTSTRAP_BACKOFF_FACTOR = 2

/** Random spread of each delay (±fraction). Default 0.2: nodes restarted together do not redial in lockstep. */
export const BOOTSTRAP_BACKOFF_JITTER = 0.2

/**
 * Peer-store tag value given to bootstrap peers. Default 50 (of the 0–100
 * range tags use): the connection manager prunes lower-valued peers first, so
 * the node keeps its way back into the network while over its limit.
 */
export const BOOTSTRAP_TAG_VALUE = 50

/** Name of that tag. */
export const BOOTSTRAP_TAG = 'bootstrap'

export interface BootstrapOptions {
  /** Default BOOTSTRAP_INITIAL_BACKOFF_MS. */
  initialBackoffMs?: number
  /** Default BOOTSTRAP_MAX_BACKOFF_MS. */
  maxBackoffMs?: number
  /** How /dnsaddr/ entries resolve: DNS servers, or a TXT resolver of the application's (browsers); default the runtime's. */
  dnsaddr?: Omit<DnsaddrOptions, 'signal'>
}

export interface BootstrapInit extends BootstrapOptions {
  addrs: Multiaddr[]
  dial: (addr: Multiaddr) => Promise<unknown>
}

interface Entry {
  addr: Multiaddr
  peer: string | undefined
  failures: number
  timer: ReturnType<typeof setTimeout> | undefined
  dialing: boolean
}

export class Bootstrapper {
  readonly #init: BootstrapInit
  readonly #entries: Entry[]
  #running = false

  constructor (init: BootstrapInit) {
    this.#init = init
    this.#entries = init.addrs.map(addr => ({ addr, peer: getPeerIdFromMultiaddr(addr)?.toString(), failures: 0, timer: undefined, dialing: false }))
  }

  /** PeerIds (as text) of the entries whose address names one. */
  get peers (): Array<{ peer: string, addr: Multiaddr }> {
    return this.#entries.flatMap(e => e.peer !== undefined ? [{ peer: e.peer, addr: e.addr }] : [])
  }

  start (): void {
    if (this.#running) return
    this.#running = true
    for (const entry of this.#entries) this.#dial(entry)
  }

  stop (): void {
    this.#running = false
    for (const entry of this.#entries) {
      if (entry.timer !== undefined) clearTimeout(entry.timer)
      entry.timer = undefined
    }
  }

  /** The node lost its last connection to `peer`. */
  onPeerDisconnect (peer: string): void {
    for (const entry of this.#entries) if (entry.peer === peer) this.#schedule(entry)
  }

  #dial (entry: Entry): void {
    if (!this.#running || entry.dialing) return
    entry.dialing = true
    this.#attempt(entry.addr).then(
      () => { entry.failures = 0 },
      () => { entry.failures++; this.#schedule(entry) }
    ).finally(() => { entry.dialing = false })
  }

  /** Dials `addr`, or each address a /dnsaddr/ entry resolves to until one connects. */
  async #attempt (addr: Multiaddr): Promise<void> {
    if (!isDnsaddr(addr)) { await this.#init.dial(addr); return }
    const resolved = await resolveDnsaddr(addr, this.#init.dnsaddr)
    let failure: unknown = new Error(`${addr.toString()} resolved to no addresses`)
    for (const target of resolved) {
      if (!this.#running) return
      try {
        await this.#init.dial(target)
        return
      } catch (err) {
        failure = err
      }
    }
    throw failure
  }

  #schedule (entry: Entry): void {
    if (!this.#running || entry.timer !== undefined) return
    const initial = this.#init.initialBackoffMs ?? BOOTSTRAP_INITIAL_BACKOFF_MS
    const max = this.#init.maxBackoffMs ?? BOOTSTRAP_MAX_BACKOFF_MS
    const base = Math.min(max, initial * BOOTSTRAP_BACKOFF_FACTOR ** Math.max(0, entry.failures - 1))
    const delay = base * (1 + BOOTSTRAP_BACKOFF_JITTER * (2 * Math.random() - 1))
    entry.timer = setTimeout(() => { entry.timer = undefined; this.#dial(entry) }, delay)
  }
}
