/**
 * The node's addresses and which of them it announces (identify's
 * listenAddrs, the signed peer record, `node.getMultiaddrs()`):
 *
 * - *listen* addresses, as the listeners report them (a circuit-relay
 *   listener's `…/p2p/RELAY/p2p-circuit` addresses are *relay* addresses);
 * - *announce* addresses (`createNode({ addresses: { announce } })`), which
 *   replace the direct listen addresses in what we announce, as in js-libp2p
 *   (the listen addresses are still listed, as not announced);
 * - *observed* addresses from identify, translated to our listen port (a peer
 *   sees the ephemeral port of our outbound connection; the port a NAT's port
 *   forward or a public host would accept is our listening one) and counted
 *   per distinct reporting peer (./observed.ts);
 * - each address's reachability as AutoNAT reports it (`setReachability`).
 *
 * The announce rule, in order:
 * 1. a direct (listen or announce) address that is not public (loopback,
 *    private, link-local, memory, DNS) is announced as before: it is for local
 *    use, and AutoNAT never tests it;
 * 2. a public direct address is announced unless AutoNAT found it private;
 * 3. an observed address is announced once OBSERVED_ADDR_CONFIRMATIONS peers
 *    reported it or AutoNAT found it public, and never once AutoNAT found it private;
 * 4. relay addresses are announced while no direct or observed address is
 *    confirmed public by AutoNAT, and withdrawn once one is;
 * 5. `noAnnounce` removes any address it lists, whatever the rules above say.
 *
 * Whenever the announced set changes, `onChange` runs (the node emits
 * `self:peer:update`; identify re-seals our peer record and pushes).
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import { multiaddr } from '@multiformats/multiaddr'
import { toMultiaddr, withoutPeerId } from '../multiaddr/index.js'
import type { PeerId } from '../peer-id/types.js'
import { ipOf, isPublicAddress, isRelayAddress } from './ip-scope.js'
import { ObservedAddresses } from './observed.js'
import { MAX_REACHABILITY_VERDICTS } from './constants.js'

/** What AutoNAT concluded about an address; `unknown` until it has. */
export type Reachability = 'public' | 'private' | 'unknown'

export type AddressSource = 'listen' | 'announce' | 'observed' | 'relay'

export interface AddressInfo {
  readonly multiaddr: Multiaddr
  readonly source: AddressSource
  readonly reachability: Reachability
  /** Whether the node announces it now. */
  readonly announced: boolean
}

export interface AddressesOptions {
  /** Addresses to announce instead of the direct listen addresses (a public IP or DNS name in front of us). */
  announce?: string[]
  /** Addresses never announced, whatever their source. */
  noAnnounce?: string[]
  /** Default OBSERVED_ADDR_CONFIRMATIONS. */
  observedConfirmations?: number
  /** Default MAX_OBSERVED_CANDIDATES. */
  maxObservedCandidates?: number
}

export interface AddressManagerInit {
  /** The listeners' current addresses, without `/p2p/<our id>`. */
  listenAddrs: () => Multiaddr[]
  /** The announced set changed. */
  onChange: () => void
}

const keyOf = (addr: Multiaddr): string => withoutPeerId(addr).toString()

export class AddressManager {
  readonly #init: AddressManagerInit
  readonly #announce: Multiaddr[]
  readonly #noAnnounce: Set<string>
  readonly #observed: ObservedAddresses
  readonly #reachability = new Map<string, 'public' | 'private'>()
  #lastAnnounced = ''

  constructor (options: AddressesOptions, init: AddressManagerInit) {
    this.#init = init
    this.#announce = (options.announce ?? []).map(a => withoutPeerId(toMultiaddr(a)))
    this.#noAnnounce = new Set((options.noAnnounce ?? []).map(a => keyOf(toMultiaddr(a))))
    this.#observed = new ObservedAddresses({
      ...(options.observedConfirmations !== undefined ? { confirmations: options.observedConfirmations } : {}),
      ...(options.maxObservedCandidates !== undefined ? { maxCandidates: options.maxObservedCandidates } : {})
    })
  }

  /**
   * `reporter` saw us at `observed` (identify's observedAddr). Only public
   * addresses count: a peer on our LAN or loopback tells us nothing new.
   */
  addObserved (observed: Multiaddr | undefined, reporter: PeerId): void {
    if (observed === undefined || !isPublicAddress(observed) || isRelayAddress(observed)) return
    for (const candidate of this.#translate(withoutPeerId(observed))) this.#observed.add(candidate, reporter.toString())
    this.refresh()
  }

  /** AutoNAT's verdict on one address; the announced set follows. */
  setReachability (addr: Multiaddr, reachability: 'public' | 'private'): void {
    const key = keyOf(addr)
    this.#reachability.delete(key) // re-inserted last: the Map's order is the age of the verdicts
    this.#reachability.set(key, reachability)
    if (this.#reachability.size > MAX_REACHABILITY_VERDICTS) this.#reachability.delete(this.#reachability.keys().next().value as string)
    this.refresh()
  }

  reachabilityOf (addr: Multiaddr): Reachability {
    return this.#reachability.get(keyOf(addr)) ?? 'unknown'
  }

  /**
   * The addresses worth an AutoNAT check: every public direct address and
   * every observed candidate (confirmed or not: AutoNAT can confirm it sooner);
   * `includePrivate` adds the non-public direct ones (AutoNAT on a LAN or in tests).
   */
  candidates (options: { includePrivate?: boolean } = {}): Multiaddr[] {
    const hidden = this.#announce.length > 0 ? 'listen' : undefined // listeners behind announce addresses are not what peers dial
    return this.getAddresses()
      .filter(a => a.source !== 'relay' && a.source !== hidden && (options.includePrivate === true || isPublicAddress(a.multiaddr)))
      .map(a => a.multiaddr)
  }

  /** Every address we know of, with its source, reachability and whether we announce it. */
  getAddresses (): AddressInfo[] {
    const listen = this.#init.listenAddrs().map(a => withoutPeerId(a))
    const direct = this.#announce.length > 0 ? this.#announce : listen.filter(a => !isRelayAddress(a))
    const directSource: AddressSource = this.#announce.length > 0 ? 'announce' : 'listen'
    const out: AddressInfo[] = []
    const seen = new Set<string>()
    const push = (multiaddr: Multiaddr, source: AddressSource, announce: boolean): void => {
      const key = multiaddr.toString()
      if (seen.has(key)) return
      seen.add(key)
      const reachability = this.reachabilityOf(multiaddr)
      out.push({ multiaddr, source, reachability, announced: announce && !this.#noAnnounce.has(key) })
    }
    for (const a of direct) push(a, directSource, !isPublicAddress(a) || this.reachabilityOf(a) !== 'private')
    for (const c of this.#observed.candidates()) {
      const reachability = this.reachabilityOf(c.multiaddr)
      push(c.multiaddr, 'observed', reachability !== 'private' && (c.confirmed || reachability === 'public'))
    }
    const confirmedPublic = out.some(a => a.reachability === 'public')
    // Behind announce addresses the listeners are still ours, just not announced.
    if (this.#announce.length > 0) for (const a of listen.filter(a => !isRelayAddress(a))) push(a, 'listen', false)
    for (const a of listen.filter(isRelayAddress)) push(a, 'relay', !confirmedPublic)
    return out
  }

  /** What the node announces now, without `/p2p/<our id>`. */
  announced (): Multiaddr[] {
    return this.getAddresses().filter(a => a.announced).map(a => a.multiaddr)
  }

  /** Re-reads the listeners (call after one changes); runs `onChange` if the announced set changed. */
  refresh (): void {
    const key = this.announced().map(a => a.toString()).join(' ')
    if (key === this.#lastAnnounced) return
    this.#lastAnnounced = key
    this.#init.onChange()
  }

  /**
   * The observed IP with the port of each of our direct TCP listeners of the
   * same family and the same protocols after the port (`/ws` stays `/ws`); a
   * listener on the observed IP itself adds nothing.
   */
  #translate (observed: Multiaddr): Multiaddr[] {
    const seen = ipOf(observed)
    const observedParts = observed.getComponents()
    if (seen === undefined || observedParts[1]?.name !== 'tcp') return []
    const suffix = (a: Multiaddr): string => a.getComponents().slice(2).map(c => `/${c.name}${c.value !== undefined ? `/${c.value}` : ''}`).join('')
    const out: Multiaddr[] = []
    for (const listen of this.#init.listenAddrs().map(a => withoutPeerId(a))) {
      const ip = ipOf(listen)
      const parts = listen.getComponents()
      if (ip === undefined || ip.family !== seen.family || ip.host === seen.host || parts[1]?.name !== 'tcp') continue
      if (isRelayAddress(listen) || suffix(listen) !== suffix(observed)) continue
      if (ip.family === 'ip4' ? ip.host.startsWith('127.') : ip.host === '::1') continue // a loopback listener is unreachable from outside
      out.push(multiaddr(`/${seen.family}/${seen.host}/tcp/${parts[1].value ?? ''}${suffix(listen)}`))
    }
    return out
  }
}
