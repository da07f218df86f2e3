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
 * Our "observed addresses" are the IPs direct peers (the relay) report in
 * identify, with the port we will punch from (see ./tcp-punch.node.ts for why
 * it is not the listen port), then the public TCP addresses we announce (a
 * NAT's port mapping of our listener, as UPnP gives, named in `addresses:
 * { announce }`): js-libp2p's DCUtR offers only such addresses and dials
 * from ephemeral ports, so against it the direct connection is the one A
 * dials to a mapped listener of B's — B then takes the direct connection A
 * opened to us during the attempt (it reaches our listener, not the punch
 * socket) as the attempt's result. Not done: the spec's unilateral upgrade (B
 * dialing A's public addresses first).
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
  OBSERVED_ADDRESS_WAIT_MS, RELAY_CLOSE_GRACE_MS
} from './constants.js'
import { HolePunchFailedError, NoDialableAddressError, NoObservedAddressError, NotRelayedError } from './errors.js'
import { HolePunchType } from './message.js'
import { HolePunchStream } from './_stream.js'
import { dialFromPort, freeLocalPort } from './tcp-punch.js'

export interface DcutrOptions {
  /** Default DCUTR_MAX_ATTEMPTS. */
  maxAttempts?: number
  /** Default DCUTR_DIAL_TIMEOUT_MS. */
  dialTimeoutMs?: number
  /** Default RELAY_CLOSE_GRACE_MS; `false` keeps the relayed connection open. */
  relayCloseGraceMs?: number | false
}

/** Events dispatched on the node. */
export interface DcutrEvents {
  /** A direct connection replaced a relayed one. */
  'dcutr:upgraded': { peer: PeerId, connection: Connection, relayed: Connection, attempts: number }
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

  /** B's side: drive up to maxAttempts attempts over the relayed connection. */
  async #upgrade (relayed: Connection): Promise<void> {
    const peer = relayed.remotePeer
    const key = peer.toString()
    if (this.#inProgress.has(key)) return
    this.#inProgress.add(key)
    try {
      const waitUntil = Date.now() + OBSERVED_ADDRESS_WAIT_MS
      while (this.#observedIps.length === 0 && Date.now() < waitUntil && relayed.status === 'open' && !this.#stopped) await sleep(100)
      let last: Error | undefined
      for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
        if (this.#stopped || relayed.status !== 'open') return
        try {
          const direct = await this.#attempt(relayed)
          this.#upgraded(peer, direct, relayed, attempt)
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
    const localPort = await freeLocalPort()
    const io = new HolePunchStream(await relayed.newStream(DCUTR_PROTOCOL), DCUTR_EXCHANGE_TIMEOUT_MS)
    let targets: TcpTarget[]
    let rttMs: number
    try {
      const sent = performance.now()
      await io.write({ type: HolePunchType.CONNECT, obsAddrs: this.#offer(localPort) })
      const answer = await io.read(HolePunchType.CONNECT)
      rttMs = performance.now() - sent
      targets = this.#targets(answer.obsAddrs)
      await io.write({ type: HolePunchType.SYNC, obsAddrs: [] })
      await io.close()
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
      const connect = await io.read(HolePunchType.CONNECT)
      targets = this.#targets(connect.obsAddrs)
      localPort = await freeLocalPort()
      await io.write({ type: HolePunchType.CONNECT, obsAddrs: this.#offer(localPort) })
      await io.read(HolePunchType.SYNC)
      await io.close()
    } catch (err) {
      io.fail(err as Error)
      return
    }
    try {
      const raw = await this.#punch(targets, localPort)
      const connection = await this.#host.upgrade(raw, 'outbound', relayed.remotePeer)
      this.#upgraded(relayed.remotePeer, connection, relayed, 1)
    } catch {
      // B counts the attempts and reports the failure; A just waits for the next CONNECT.
    }
  }

  #upgraded (peer: PeerId, connection: Connection, relayed: Connection, attempts: number): void {
    this.#emit('dcutr:upgraded', { peer, connection, relayed, attempts })
    if (this.#graceMs === false) return
    const timer = setTimeout(() => { this.#timers.delete(timer); void relayed.close() }, this.#graceMs)
    this.#timers.add(timer)
  }
}

/** The DCUtR service factory; needs identify (for our observed addresses) and a relay transport to be useful. */
export function dcutr (options: DcutrOptions = {}): ServiceFactory<DcutrService> {
  return { needs: ['identify'], create: host => new DcutrService(host, options) }
}
