/**
 * DCUtR as a service (../shared/specs/libp2p/relay/DCUtR.md): once a peer
 * reaches us through a relay (an inbound `/p2p-circuit` connection), we are "B"
 * and drive the upgrade: CONNECT with our observed addresses, time the
 * round trip, CONNECT back from "A", SYNC, wait half the round trip, and dial
 * while A dials on receiving SYNC: a TCP simultaneous open. A is the client
 * of the new connection (it upgrades it outbound), B the server (inbound).
 * Up to DCUTR_MAX_ATTEMPTS attempts; on success the relayed connection is
 * closed after RELAY_CLOSE_GRACE_MS (new streams already prefer the direct
 * one), on failure `dcutr:failed` is dispatched and the relayed connection stays.
 *
 * Before any of that, the spec's unilateral upgrade: if A's identify (on the
 * relayed connection) advertises public TCP addresses, B dials them directly
 * first (an ordinary outbound dial, B the client), and hole punches only if
 * that fails (`dcutr:upgraded` with `unilateral: true` when it works).
 *
 * Our "observed addresses" are the IPs direct peers (the relay) report in
 * identify, with the port we will punch from (see ./tcp-punch.node.ts for why
 * it is not the listen port), then the public TCP addresses we announce (a
 * NAT's port mapping of our listener, as UPnP gives, named in `addresses:
 * { announce }`): js-libp2p's DCUtR offers only such addresses and dials
 * from ephemeral ports, so against it the direct connection is the one A
 * dials to a mapped listener of B's — B then takes the direct connection A
 * opened to us during the attempt (it reaches our listener, not the punch
 * socket) as the attempt's result.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import { multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '../connection/connection.js'
import type { ServiceFactory, ServiceHost } from '../node/service.js'
import type { PeerId } from '../peer-id/types.js'
import type { IdentifyResult } from '../protocols/identify/types.js'
import type { Stream } from '../stream/types.js'
import { isCircuitAddr } from '../relay/addresses.js'
import { isPublicAddress } from '../addresses/ip-scope.js'
import {
  DCUTR_DIAL_TIMEOUT_MS, DCUTR_EXCHANGE_TIMEOUT_MS, DCUTR_MAX_ATTEMPTS, DCUTR_PROTOCOL, MAX_DCUTR_ADDRS, MAX_OBSERVED_IPS,
  MAX_UNILATERAL_ADDRS, OBSERVED_ADDRESS_WAIT_MS, RELAY_CLOSE_GRACE_MS, UNILATERAL_DIAL_TIMEOUT_MS, UNILATERAL_IDENTIFY_WAIT_MS
} from './constants.js'
import { HolePunchFailedError, NoDialableAddressError, NoObservedAddressError, NotRelayedError } from './errors.js'
import { HolePunchType } from './message.js'
import { HolePunchStream } from './_stream.js'
import { dialFromPort, freeLocalPort } from './tcp-punch.js'
import { withPeerId } from '../multiaddr/index.js'

export interface DcutrOptions {
  /** Default DCUTR_MAX_ATTEMPTS. */
  maxAttempts?: number
  /** Default DCUTR_DIAL_TIMEOUT_MS. */
  dialTimeoutMs?: number
  /** Default RELAY_CLOSE_GRACE_MS; `false` keeps the relayed connection open. */
  relayCloseGraceMs?: number | false
  /** The unilateral upgrade (dialing the peer's public addresses before any hole punch); default true. */
  unilateral?: boolean
  /** Default UNILATERAL_DIAL_TIMEOUT_MS. */
  unilateralDialTimeoutMs?: number
}

/** Events dispatched on the node. */
export interface DcutrEvents {
  /** A direct connection replaced a relayed one: by the unilateral upgrade (`attempts` 0), or by the attempt-th hole punch. */
  'dcutr:upgraded': { peer: PeerId, connection: Connection, relayed: Connection, attempts: number, unilateral: boolean }
  /** Every attempt failed (HolePunchFailedError; `cause` the last reason); the relayed connection stays up. */
  'dcutr:failed': { peer: PeerId, relayed: Connection, attempts: number, error: HolePunchFailedError }
}

interface TcpTarget { host: string, port: number }

/** `/ip4|ip6/<host>/tcp/<port>` (optionally `/p2p/…`), nothing relayed: what we can punch to. */
function tcpTarget (addr: Multiaddr): TcpTarget | undefined {
  if (isCircuitAddr(addr)) return undefined
  const [host, tcp] = addr.getComponents()
  if (host === undefined || tcp === undefined || (host.name !== 'ip4' && host.name !== 'ip6') || tcp.name !== 'tcp') return undefined
  const port = Number(tcp.value)
  if (!Number.isInteger(port) || port <= 0 || port > 65535 || host.value === undefined) return undefined
  return { host: host.value, port }
}

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

export class DcutrService {
  readonly #host: ServiceHost
  readonly #maxAttempts: number
  readonly #dialTimeoutMs: number
  readonly #graceMs: number | false
  readonly #unilateral: boolean
  readonly #unilateralDialTimeoutMs: number
  /** Ends every pending identify wait (stop()). */
  readonly #waits = new Set<() => void>()
  /** Our IPs as direct peers see them (identify observedAddr), newest last. */
  readonly #observedIps: string[] = []
  readonly #inProgress = new Set<string>()
  readonly #timers = new Set<ReturnType<typeof setTimeout>>()
  #stopped = false

  constructor (host: ServiceHost, options: DcutrOptions = {}) {
    this.#host = host
    this.#maxAttempts = options.maxAttempts ?? DCUTR_MAX_ATTEMPTS
    this.#dialTimeoutMs = options.dialTimeoutMs ?? DCUTR_DIAL_TIMEOUT_MS
    this.#graceMs = options.relayCloseGraceMs ?? RELAY_CLOSE_GRACE_MS
    this.#unilateral = options.unilateral ?? true
    this.#unilateralDialTimeoutMs = options.unilateralDialTimeoutMs ?? UNILATERAL_DIAL_TIMEOUT_MS
  }

  /** The IPs we have been observed at (for tests and diagnostics). */
  get observedIps (): readonly string[] { return this.#observedIps }

  readonly #onIdentify = (event: CustomEvent<IdentifyResult>): void => {
    const observed = event.detail.observedAddr
    if (observed === undefined) return
    const target = tcpTarget(observed)
    if (target === undefined) return
    const at = this.#observedIps.indexOf(target.host)
    if (at >= 0) this.#observedIps.splice(at, 1)
    this.#observedIps.push(target.host)
    if (this.#observedIps.length > MAX_OBSERVED_IPS) this.#observedIps.shift()
  }

  readonly #onConnection = (event: CustomEvent<Connection>): void => {
    const connection = event.detail
    if (connection.direction === 'inbound' && isCircuitAddr(connection.remoteAddr)) void this.#upgrade(connection)
  }

  start (): void {
    this.#stopped = false
    this.#host.handle(DCUTR_PROTOCOL, async (stream, connection) => { await this.#answer(stream, connection) }, { maxInboundStreams: 1 })
    this.#host.addEventListener('peer:identify', this.#onIdentify)
    this.#host.addEventListener('connection:open', this.#onConnection)
  }

  stop (): void {
    this.#stopped = true
    this.#host.unhandle(DCUTR_PROTOCOL)
    this.#host.removeEventListener('peer:identify', this.#onIdentify)
    this.#host.removeEventListener('connection:open', this.#onConnection)
    for (const t of this.#timers) clearTimeout(t)
    this.#timers.clear()
    for (const end of [...this.#waits]) end()
  }

  #emit<K extends keyof DcutrEvents> (name: K, detail: DcutrEvents[K]): void {
    this.#host.dispatchEvent(new CustomEvent(name, { detail }))
  }

  /**
   * Our addresses for a CONNECT: the public TCP addresses we announce (a
   * mapped listener: the other side, dialing it first, gets a connection at
   * once), then each observed IP with the port we will punch from; at most MAX_DCUTR_ADDRS.
   */
  #offer (localPort: number): Uint8Array[] {
    const predicted = this.#observedIps.map(ip => multiaddr(`/${ip.includes(':') ? 'ip6' : 'ip4'}/${ip}/tcp/${localPort}`))
    const announced = this.#announcedTcp()
    const out: Uint8Array[] = []
    const seen = new Set<string>()
    for (const a of [...announced, ...predicted]) {
      const key = a.toString()
      if (seen.has(key) || out.length >= MAX_DCUTR_ADDRS) continue
      seen.add(key)
      out.push(a.bytes)
    }
    return out
  }

  /** The public TCP addresses we announce (not relayed). */
  #announcedTcp (): Multiaddr[] {
    return this.#host.addressManager.announced().filter(a => isPublicAddress(a) && tcpTarget(a) !== undefined)
  }

  /** An open direct connection to `peer`, now or within `timeoutMs` (A dialing our listener); undefined if none. */
  async #directFrom (peer: PeerId, timeoutMs: number): Promise<Connection | undefined> {
    const direct = (): Connection | undefined => this.#host.getConnections(peer).find(c => c.status === 'open' && !isCircuitAddr(c.remoteAddr))
    const now = direct()
    if (now !== undefined || this.#stopped || timeoutMs <= 0) return now
    return await new Promise(resolve => {
      const done = (found: Connection | undefined): void => {
        clearTimeout(timer)
        this.#host.removeEventListener('connection:open', onOpen)
        resolve(found)
      }
      const onOpen = (): void => { const found = direct(); if (found !== undefined) done(found) }
      const timer = setTimeout(() => { done(undefined) }, timeoutMs)
      this.#host.addEventListener('connection:open', onOpen)
    })
  }

  /** The TCP addresses the peer offered, public ones first (a private one is reachable only on a shared LAN). */
  #targets (addrs: Uint8Array[]): TcpTarget[] {
    const publicOnes: TcpTarget[] = []
    const others: TcpTarget[] = []
    for (const bytes of addrs) {
      try {
        const addr = multiaddr(bytes)
        const t = tcpTarget(addr)
        if (t !== undefined) (isPublicAddress(addr) ? publicOnes : others).push(t)
      } catch { /* an address we cannot parse is skipped */ }
    }
    const out = [...publicOnes, ...others]
    if (out.length === 0) throw new NoDialableAddressError('the peer offered no TCP address to punch to')
    return out
  }

  /** Dials each target in turn from `localPort`: the first that connects wins. */
  async #punch (targets: TcpTarget[], localPort: number): Promise<Awaited<ReturnType<typeof dialFromPort>>> {
    let last: Error | undefined
    for (const t of targets) {
      try {
        return await dialFromPort(t.host, t.port, localPort, this.#dialTimeoutMs)
      } catch (err) { last = err as Error }
    }
    throw last ?? new NoDialableAddressError('no target')
  }

  /**
   * The first identify result (of any connection) for which `match` holds,
   * after the observed-IP bookkeeping has seen it; undefined after
   * `timeoutMs` or when the service stops.
   */
  async #whenIdentified (match: (result: IdentifyResult) => boolean, timeoutMs: number): Promise<IdentifyResult | undefined> {
    return await new Promise(resolve => {
      const done = (result: IdentifyResult | undefined): void => {
        clearTimeout(timer)
        this.#host.removeEventListener('peer:identify', onIdentify)
        this.#waits.delete(end)
        resolve(result)
      }
      const onIdentify = (event: CustomEvent<IdentifyResult>): void => { if (match(event.detail)) done(event.detail) }
      const end = (): void => { done(undefined) }
      const timer = setTimeout(end, timeoutMs)
      this.#waits.add(end)
      this.#host.addEventListener('peer:identify', onIdentify)
    })
  }

  /**
   * The unilateral upgrade: a direct dial (we are its client) to each public
   * TCP address the peer advertised, in turn; the connection, or undefined
   * when there is none to try or none answered.
   */
  async #unilateralUpgrade (relayed: Connection, identified: IdentifyResult | undefined): Promise<Connection | undefined> {
    if (identified === undefined || this.#stopped || relayed.status !== 'open') return undefined
    const already = await this.#directFrom(relayed.remotePeer, 0)
    if (already !== undefined) return already
    const candidates = identified.listenAddrs.filter(a => !isCircuitAddr(a) && isPublicAddress(a) && tcpTarget(a) !== undefined).slice(0, MAX_UNILATERAL_ADDRS)
    for (const addr of candidates) {
      if (this.#stopped || relayed.status !== 'open') return undefined
      try {
        const connection = await this.#host.dial(withPeerId(addr, relayed.remotePeer), { force: true, signal: AbortSignal.timeout(this.#unilateralDialTimeoutMs) })
        if (!connection.limited && !isCircuitAddr(connection.remoteAddr)) return connection
      } catch { /* the next address, then hole punching */ }
    }
    return undefined
  }

  /** B's side: drive up to maxAttempts attempts over the relayed connection. */
  async #upgrade (relayed: Connection): Promise<void> {
    const peer = relayed.remotePeer
    const key = peer.toString()
    if (this.#inProgress.has(key)) return
    this.#inProgress.add(key)
    // Registered before anything is awaited: the peer's identify on this connection may come at any moment.
    const identified = this.#unilateral ? this.#whenIdentified(r => r.peerId.equals(peer), UNILATERAL_IDENTIFY_WAIT_MS) : undefined
    try {
      if (identified !== undefined) {
        const direct = await this.#unilateralUpgrade(relayed, await identified)
        if (direct !== undefined) { this.#upgraded(peer, direct, relayed, 0, true); return }
      }
      if (this.#observedIps.length === 0 && relayed.status === 'open' && !this.#stopped) {
        await this.#whenIdentified(() => this.#observedIps.length > 0, OBSERVED_ADDRESS_WAIT_MS)
      }
      let last: Error | undefined
      for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
        if (this.#stopped || relayed.status !== 'open') return
        try {
          const direct = await this.#attempt(relayed)
          this.#upgraded(peer, direct, relayed, attempt, false)
          return
        } catch (err) { last = err as Error }
      }
      const error = new HolePunchFailedError(`hole punching to ${key} failed ${this.#maxAttempts} times: ${last?.message ?? 'unknown'}`, { cause: last })
      this.#emit('dcutr:failed', { peer, relayed, attempts: this.#maxAttempts, error })
    } finally {
      this.#inProgress.delete(key)
    }
  }

  async #attempt (relayed: Connection): Promise<Connection> {
    if (this.#observedIps.length === 0) throw new NoObservedAddressError('no observed address of ours yet (identify with a direct peer)')
    // The port and the stream are independent: one wait, not two (the port is awaited where a
    // failure also closes the stream).
    const port = freeLocalPort()
    port.catch(() => {})
    const io = new HolePunchStream(await relayed.newStream(DCUTR_PROTOCOL), DCUTR_EXCHANGE_TIMEOUT_MS)
    let localPort: number
    let targets: TcpTarget[]
    let rttMs: number
    try {
      localPort = await port
      const sent = performance.now()
      await io.write({ type: HolePunchType.CONNECT, obsAddrs: this.#offer(localPort) })
      const answer = await io.read(HolePunchType.CONNECT)
      rttMs = performance.now() - sent
      targets = this.#targets(answer.obsAddrs)
      await io.write({ type: HolePunchType.SYNC, obsAddrs: [] })
      // The spec's timer starts when SYNC is sent; the stream's close (waiting for A's FIN) runs meanwhile.
      void io.close()
    } catch (err) {
      io.fail(err as Error)
      throw err
    }
    await sleep(rttMs / 2)
    try {
      const raw = await this.#punch(targets, localPort)
      const connection = await this.#host.upgrade(raw, 'inbound')
      if (!connection.remotePeer.equals(relayed.remotePeer)) {
        connection.abort(new Error('hole punch reached another peer'))
        throw new NoDialableAddressError(`the punched connection is to ${connection.remotePeer.toString()}, not ${relayed.remotePeer.toString()}`)
      }
      return connection
    } catch (err) {
      // A may have reached one of our announced addresses meanwhile (our listener, not the punch
      // socket); worth waiting for only if we offered one.
      const direct = await this.#directFrom(relayed.remotePeer, this.#announcedTcp().length > 0 ? this.#dialTimeoutMs : 0)
      if (direct !== undefined) return direct
      throw err
    }
  }

  /** A's side: answer CONNECT with ours, dial on SYNC. */
  async #answer (stream: Stream, relayed: Connection): Promise<void> {
    const io = new HolePunchStream(stream, DCUTR_EXCHANGE_TIMEOUT_MS)
    let targets: TcpTarget[]
    let localPort: number
    try {
      if (!isCircuitAddr(relayed.remoteAddr)) throw new NotRelayedError('DCUtR over a direct connection')
      // Bound while B's CONNECT is on its way.
      const port = freeLocalPort()
      port.catch(() => {})
      const connect = await io.read(HolePunchType.CONNECT)
      targets = this.#targets(connect.obsAddrs)
      localPort = await port
      await io.write({ type: HolePunchType.CONNECT, obsAddrs: this.#offer(localPort) })
      await io.read(HolePunchType.SYNC)
      // "Upon receiving the Sync, A immediately dials" (DCUtR.md): the close finishes meanwhile.
      void io.close()
    } catch (err) {
      io.fail(err as Error)
      return
    }
    try {
      const raw = await this.#punch(targets, localPort)
      const connection = await this.#host.upgrade(raw, 'outbound', relayed.remotePeer)
      this.#upgraded(relayed.remotePeer, connection, relayed, 1, false)
    } catch {
      // B counts the attempts and reports the failure; A just waits for the next CONNECT.
    }
  }

  #upgraded (peer: PeerId, connection: Connection, relayed: Connection, attempts: number, unilateral: boolean): void {
    this.#emit('dcutr:upgraded', { peer, connection, relayed, attempts, unilateral })
    if (this.#graceMs === false) return
    const timer = setTimeout(() => { this.#timers.delete(timer); void relayed.close() }, this.#graceMs)
    this.#timers.add(timer)
  }
}

/** The DCUtR service factory; needs identify (for our observed addresses) and a relay transport to be useful. */
export function dcutr (options: DcutrOptions = {}): ServiceFactory<DcutrService> {
  return { needs: ['identify'], create: host => new DcutrService(host, options) }
}
