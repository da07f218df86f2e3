/**
 * AutoNAT v2 as a node service, client and server in one:
 *
 *   createNode({ services: { autonat: autonatV2() } })
 *   node.services.autonat.reachability   // 'public' | 'private' | 'unknown'
 *
 * Server: answers `/libp2p/autonat/2/dial-request` (./server.ts), unless
 * `server: false`. Client: every identified peer that speaks dial-request is
 * a server to ask; each candidate address of the address manager (public
 * listen, announce and observed addresses) is put to servers not yet asked
 * about it, until `confirmations` of them agree (./client.ts). A verdict goes
 * to the address manager (`setReachability`, which changes what the node
 * announces) and the node's reachability — public if any address is, private
 * if every candidate is, else unknown — is announced as `self:reachability`
 * when it changes. Relaying reads it: a private node seeks a reservation.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Reachability } from '../addresses/address-manager.js'
import { isRelayAddress } from '../addresses/ip-scope.js'
import type { Connection } from '../connection/connection.js'
import type { PeerId } from '../peer-id/types.js'
import type { ServiceFactory, ServiceHost } from '../node/service.js'
import type { IdentifyResult } from '../protocols/identify/types.js'
import {
  AUTONAT_CLIENT_MAX_IN_FLIGHT, AUTONAT_CONFIRMATIONS, AUTONAT_MAX_STREAMS_PER_CONNECTION, AUTONAT_MAX_SERVERS, AUTONAT_MAX_TRACKED_ADDRS,
  AUTONAT_RECHECK_INTERVAL_MS, DIAL_BACK_PROTOCOL, DIAL_REQUEST_PROTOCOL
} from './constants.js'
import { DialBackNonces, checkAddress, type DialCheck, type DialCheckOptions } from './client.js'
import { AutonatServer, type AutonatServerOptions, type AutonatServerStats } from './server.js'

export interface AutonatOptions extends AutonatServerOptions, Omit<DialCheckOptions, 'signal'> {
  /** Serve dial requests; default true. */
  server?: boolean
  /** Ask servers about our addresses; default true. */
  client?: boolean
  /** Test private addresses too (a LAN, a test); default false (spec: clients SHOULD NOT send them). */
  checkPrivateAddresses?: boolean
  /** Distinct servers that must agree on an address; default AUTONAT_CONFIRMATIONS. */
  confirmations?: number
  /** Default AUTONAT_CLIENT_MAX_IN_FLIGHT. */
  maxInFlight?: number
  /** Default AUTONAT_RECHECK_INTERVAL_MS. */
  recheckIntervalMs?: number
}

/** The detail of `self:reachability`. */
export interface ReachabilityEvent {
  reachability: Reachability
  /** The candidate addresses with their verdicts. */
  addresses: Array<{ multiaddr: Multiaddr, reachability: Reachability }>
}

export interface AutonatService {
  /** 'public' once an address is confirmed public, 'private' once every candidate is confirmed private. */
  readonly reachability: Reachability
  /** The server's counters. */
  readonly serverStats: AutonatServerStats
  /** Every answer a server gave us, newest last (at most AUTONAT_MAX_TRACKED_ADDRS × confirmations × 2). */
  readonly checks: readonly DialCheck[]
  /** Asks the server on `connection` (or a connected peer) about `addr` now, outside the tallies. */
  check: (target: Connection | PeerId, addr: Multiaddr) => Promise<DialCheck>
  /** Puts every undecided candidate to the servers not yet asked about it. */
  verify: () => void
  start: () => void
  stop: () => void
}

interface Tally { successes: Set<string>, failures: Set<string>, asked: Set<string>, verdict?: 'public' | 'private', decidedAt: number }

const addrKey = (a: Multiaddr): string => a.toString()

export function createAutonat (host: ServiceHost, options: AutonatOptions = {}): AutonatService {
  const confirmations = options.confirmations ?? AUTONAT_CONFIRMATIONS
  const maxInFlight = options.maxInFlight ?? AUTONAT_CLIENT_MAX_IN_FLIGHT
  const recheck = options.recheckIntervalMs ?? AUTONAT_RECHECK_INTERVAL_MS
  const server = new AutonatServer(host, options)
  const nonces = new DialBackNonces()
  const servers = new Map<string, PeerId>()
  const tallies = new Map<string, Tally>()
  const checks: DialCheck[] = []
  const maxChecks = AUTONAT_MAX_TRACKED_ADDRS * confirmations * 2
  let inFlight = 0
  const busy = new Set<string>()
  let running = false
  let reachability: Reachability = 'unknown'
  let timer: ReturnType<typeof setInterval> | undefined

  const candidates = (): Multiaddr[] => {
    return host.addressManager.candidates({ includePrivate: options.checkPrivateAddresses === true })
      .filter(a => a.getComponents()[1]?.name === 'tcp') // what a server can dial back: IP + TCP
      .slice(0, AUTONAT_MAX_TRACKED_ADDRS)
  }

  function overall (): Reachability {
    const list = candidates()
    const verdicts = list.map(a => tallies.get(addrKey(a))?.verdict)
    if (verdicts.includes('public')) return 'public'
    if (list.length > 0 && verdicts.every(v => v === 'private')) return 'private'
    return 'unknown'
  }

  function announce (): void {
    const now = overall()
    if (now === reachability) return
    reachability = now
    const addresses = candidates().map(multiaddr => ({ multiaddr, reachability: tallies.get(addrKey(multiaddr))?.verdict ?? 'unknown' as Reachability }))
    host.dispatchEvent(new CustomEvent<ReachabilityEvent>('self:reachability', { detail: { reachability: now, addresses } }))
  }

  function record (check: DialCheck): void {
    checks.push(check)
    if (checks.length > maxChecks) checks.shift()
    const tally = tallies.get(addrKey(check.addr))
    if (tally === undefined || tally.verdict !== undefined) return
    const id = check.server.toString()
    if (check.outcome === 'reachable') tally.successes.add(id)
    if (check.outcome === 'unreachable') tally.failures.add(id)
    if (tally.successes.size >= confirmations) tally.verdict = 'public'
    else if (tally.failures.size >= confirmations) tally.verdict = 'private'
    if (tally.verdict !== undefined) {
      tally.decidedAt = Date.now()
      host.addressManager.setReachability(check.addr, tally.verdict)
    }
  }

  function verify (): void {
    if (!running || options.client === false) return
    const list = candidates()
    const live = new Set(list.map(addrKey))
    for (const key of tallies.keys()) if (!live.has(key)) tallies.delete(key)
    for (const addr of list) {
      const key = addrKey(addr)
      let tally = tallies.get(key)
      if (tally?.verdict !== undefined && Date.now() - tally.decidedAt >= recheck) tally = undefined
      if (tally === undefined) {
        tally = { successes: new Set(), failures: new Set(), asked: new Set(), decidedAt: 0 }
        tallies.set(key, tally)
      }
      if (tally.verdict !== undefined) continue
      for (const [id, peer] of servers) {
        if (inFlight >= maxInFlight) return
        // One request per server at a time: servers cap dial-request streams per connection.
        if (tally.asked.has(id) || busy.has(id)) continue
        // Not through a relay: the dial data would count against the relay's limits, and the
        // server would see the relay's IP as ours.
        const connection = host.getConnections(peer).find(c => c.status === 'open' && !isRelayAddress(c.remoteAddr))
        if (connection === undefined) continue
        tally.asked.add(id)
        busy.add(id)
        inFlight++
        checkAddress(connection, addr, nonces, options)
          .then(record, () => {}) // a server that fails the exchange gives no answer; another will be asked
          .finally(() => {
            inFlight--
            busy.delete(id)
            announce()
            verify()
          })
      }
    }
    announce()
  }

  const onIdentify = (event: CustomEvent<IdentifyResult>): void => {
    const { peerId, protocols } = event.detail
    if (protocols.includes(DIAL_REQUEST_PROTOCOL) && !servers.has(peerId.toString()) && servers.size < AUTONAT_MAX_SERVERS) {
      servers.set(peerId.toString(), peerId)
    }
    // Identify also brought an observed address: the candidates may have changed.
    verify()
  }
  const onUpdate = (): void => { verify() }
  const onDisconnect = (event: CustomEvent<PeerId>): void => { servers.delete(event.detail.toString()) }

  return {
    get reachability () { return reachability },
    get serverStats () { return server.stats },
    get checks () { return checks },
    async check (target, addr) {
      const connection = 'newStream' in target ? target : host.getConnections(target).find(c => c.status === 'open')
      if (connection === undefined) throw new Error(`not connected to ${target.toString()}`)
      return await checkAddress(connection, addr, nonces, options)
    },
    verify,
    start () {
      running = true
      const limits = { maxInboundStreams: AUTONAT_MAX_STREAMS_PER_CONNECTION, maxOutboundStreams: Math.max(AUTONAT_MAX_STREAMS_PER_CONNECTION, maxInFlight) }
      if (options.server !== false) host.handle(DIAL_REQUEST_PROTOCOL, (stream, connection) => { void server.handle(stream, connection) }, limits)
      host.handle(DIAL_BACK_PROTOCOL, (stream, connection) => { nonces.handle(stream).catch(err => { options.onError?.(err as Error, connection.remotePeer) }) }, limits)
      host.addEventListener('peer:identify', onIdentify)
      host.addEventListener('self:peer:update', onUpdate)
      host.addEventListener('peer:disconnect', onDisconnect)
      timer = setInterval(verify, recheck)
      ;(timer as { unref?: () => void }).unref?.()
    },
    stop () {
      running = false
      clearInterval(timer)
      host.removeEventListener('peer:identify', onIdentify)
      host.removeEventListener('self:peer:update', onUpdate)
      host.removeEventListener('peer:disconnect', onDisconnect)
      if (options.server !== false) host.unhandle(DIAL_REQUEST_PROTOCOL)
      host.unhandle(DIAL_BACK_PROTOCOL)
    }
  }
}

/**
 * AutoNAT v2, client and server, as a node service (`services: { autonat: autonatV2() }`).
 * Needs identify: its results name the servers and bring the observed addresses.
 */
export function autonatV2 (options: AutonatOptions = {}): ServiceFactory<AutonatService> {
  for (const name of ['confirmations', 'maxInFlight', 'maxRequestsPerPeer', 'maxRequestsPerWindow', 'maxConcurrentDialBacks'] as const) {
    const value = options[name]
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) throw new RangeError(`autonatV2: ${name} must be a positive integer, not ${String(value)}`)
  }
  const range = options.dialDataBytes
  if (range !== undefined && !(Number.isInteger(range[0]) && Number.isInteger(range[1]) && range[0] >= 0 && range[0] <= range[1])) {
    throw new RangeError(`autonatV2: dialDataBytes must be [min, max] with 0 <= min <= max, not ${String(range)}`)
  }
  return { needs: ['identify'], create: host => createAutonat(host, options) }
}
