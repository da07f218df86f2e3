/**
 * Turns a raw transport connection into a Connection (connections spec,
 * "Upgrading connections"): multistream-select the security protocol, run its
 * handshake, then take the muxer agreed inside the handshake (early muxer
 * negotiation, connections/inlined-muxer-negotiation.md) or multistream-select
 * one on the secured stream, and start it. The whole upgrade runs under
 * UPGRADE_TIMEOUT_MS; any failure aborts the raw connection.
 */
import type { ConnectionEncrypter, SecuredConnection } from '../connection-encrypter/types.js'
import type { PrivateKey } from '../keys/types.js'
import type { StreamMuxerFactory } from '../muxer/types.js'
import type { PeerId } from '../peer-id/types.js'
import type { ByteStream } from '../stream/types.js'
import type { RawConnection, SecuredByTransport } from '../transport/types.js'
import { handle } from '../multistream/handle.js'
import { select } from '../multistream/select.js'
import { PeerRefusedError } from '../multistream/errors.js'
import { withDeadline } from './_deadline.js'
import { Connection, newConnectionId, type ConnectionInit, type ProtocolRegistry } from './connection.js'
import type { ResourceManager } from '../resources/manager.js'
import { INBOUND_HEADER_TIMEOUT_MS, UPGRADE_TIMEOUT_MS } from './constants.js'
import { UpgradeError, UpgradeTimeoutError } from './errors.js'

type Direction = 'inbound' | 'outbound'

export interface UpgraderInit {
  privateKey: PrivateKey
  /** Security protocols in preference order (normally just Noise). */
  encrypters: ConnectionEncrypter[]
  /** Muxers in preference order (normally just yamux). */
  muxers: StreamMuxerFactory[]
  registry: ProtocolRegistry
  /** Offer our muxers inside the security handshake; default true. */
  earlyMuxerNegotiation?: boolean
  /** Default UPGRADE_TIMEOUT_MS. */
  upgradeTimeoutMs?: number
  /** Default INBOUND_HEADER_TIMEOUT_MS: inbound, the time to the dialer's multistream header. */
  inboundHeaderTimeoutMs?: number
  /**
   * Consulted once the remote is authenticated ('encrypted') and again once
   * the muxer is agreed ('upgraded'); throwing refuses the connection (the
   * raw connection is aborted and the error is the upgrade's). Used by the
   * node's connection gater.
   */
  gate?: (stage: 'encrypted' | 'upgraded', direction: Direction, remotePeer: PeerId, raw: RawConnection) => void | Promise<void>
  /**
   * Charged with each connection once the muxer is agreed (its peer's
   * connection limit may refuse it: ResourceLimitError); default: every
   * connection has a scope of its own with the default limits.
   */
  resources?: ResourceManager
}

export interface UpgradeOptions {
  /** Dialer side: the peer we expect (from `/p2p/<id>`). */
  remotePeer?: PeerId
  signal?: AbortSignal
  /**
   * Called as the upgrade reaches each stage (security protocol agreed,
   * handshake done, muxer agreed): the connection manager sheds the pending
   * upgrade that has stalled longest when its slots are full.
   */
  onProgress?: () => void
}


/** A refusal by the listener, however deep the layers above wrapped it (Noise reads the lazy `na`). */
function refusalIn (err: unknown): PeerRefusedError | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof PeerRefusedError) return e
  }
  return undefined
}

async function stage<T> (name: UpgradeError['stage'], work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof UpgradeTimeoutError) throw err
    // The dialer is told in so many words that the listener refused it (policy), not the network.
    throw refusalIn(err) ?? new UpgradeError(name, `${name} failed: ${(err as Error).message}`, { cause: err })
  }
}

/**
 * The callbacks a Connection keeps for its whole life, made here rather than
 * inline in #run: V8 gives every closure of a function the one context of all
 * the variables any of its closures uses, so closures made in #run would keep
 * the upgrade's signal, handshake result and negotiation streams alive as long
 * as the connection (about 2 KiB per idle connection, bench/e2e.js memory rows).
 */
function transportCallbacks (raw: RawConnection, factory: StreamMuxerFactory, muxerStream: ByteStream, direction: Direction): Pick<ConnectionInit, 'createMuxer' | 'abortTransport' | 'closeTransport'> {
  return {
    createMuxer: callbacks => factory.create(muxerStream, { direction, ...callbacks }),
    abortTransport: err => { raw.abort(err) },
    closeTransport: async () => { await raw.close() }
  }
}

export class Upgrader {
  readonly #init: UpgraderInit

  constructor (init: UpgraderInit) {
    if (init.encrypters.length === 0) throw new RangeError('at least one connection encrypter is required')
    if (init.muxers.length === 0) throw new RangeError('at least one stream muxer is required')
    this.#init = init
  }

  async upgradeOutbound (raw: RawConnection, options: UpgradeOptions = {}): Promise<Connection> {
    return await this.#upgrade(raw, 'outbound', options)
  }

  async upgradeInbound (raw: RawConnection, options: UpgradeOptions = {}): Promise<Connection> {
    return await this.#upgrade(raw, 'inbound', options)
  }

  async #upgrade (raw: RawConnection, direction: Direction, options: UpgradeOptions): Promise<Connection> {
    const timeoutMs = this.#init.upgradeTimeoutMs ?? UPGRADE_TIMEOUT_MS
    try {
      return await withDeadline(timeoutMs, options.signal, err => { raw.abort(err) },
        () => new UpgradeTimeoutError(`${direction} upgrade took longer than ${timeoutMs} ms`),
        async signal => await this.#run(raw, direction, options.remotePeer, signal, options.onProgress))
    } catch (err) {
      raw.abort(err as Error)
      throw err
    }
  }

  async #run (raw: RawConnection, direction: Direction, remotePeer: PeerId | undefined, signal: AbortSignal, onProgress?: () => void): Promise<Connection> {
    if (raw.secured !== undefined) return await this.#adopt(raw, raw.secured, direction, remotePeer)
    const { encrypters, muxers, privateKey } = this.#init
    const outbound = direction === 'outbound'

    const encryption = await stage('encrypter-selection', async () =>
      outbound
        ? await select(raw, encrypters.map(e => e.protocol), { signal })
        : await handle(raw, encrypters.map(e => e.protocol), {
          signal, headerTimeoutMs: this.#init.inboundHeaderTimeoutMs ?? INBOUND_HEADER_TIMEOUT_MS
        }))
    const encrypter = encrypters.find(e => e.protocol === encryption.protocol) as ConnectionEncrypter
    onProgress?.()

    const secureOptions = {
      privateKey,
      signal,
      ...(remotePeer !== undefined ? { remotePeer } : {}),
      ...(this.#init.earlyMuxerNegotiation !== false ? { streamMuxers: muxers.map(m => m.protocol) } : {})
    }
    const secured: SecuredConnection = await stage('security', async () =>
      outbound
        ? await encrypter.secureOutbound(encryption.stream, secureOptions)
        : await encrypter.secureInbound(encryption.stream, secureOptions))

    onProgress?.()
    await this.#init.gate?.('encrypted', direction, secured.remotePeer, raw)

    let muxerStream: ByteStream = secured.stream
    let factory: StreamMuxerFactory | undefined
    if (secured.streamMuxer !== undefined) {
      factory = muxers.find(m => m.protocol === secured.streamMuxer)
      if (factory === undefined) throw new UpgradeError('muxer-selection', `the encrypter agreed on ${secured.streamMuxer}, which is not configured`)
    } else {
      const selected = await stage('muxer-selection', async () =>
        outbound
          ? await select(secured.stream, muxers.map(m => m.protocol), { signal, lazy: false })
          : await handle(secured.stream, muxers.map(m => m.protocol), { signal }))
      factory = muxers.find(m => m.protocol === selected.protocol) as StreamMuxerFactory
      muxerStream = selected.stream
      onProgress?.()
    }

    const chosen = factory
    await this.#init.gate?.('upgraded', direction, secured.remotePeer, raw)
    const id = newConnectionId(direction)
    const scope = this.#init.resources?.openConnection(id, secured.remotePeer.toString(), direction)
    try {
      return await stage('muxer', async () => new Connection({
        id,
        ...(scope !== undefined ? { scope } : {}),
        remotePeer: secured.remotePeer,
        remoteAddr: raw.remoteAddr,
        direction,
        encryption: encrypter.protocol,
        multiplexer: chosen.protocol,
        muxerNegotiation: secured.streamMuxer !== undefined ? 'handshake' : 'multistream',
        earlyFin: secured.earlyFin === true,
        registry: this.#init.registry,
        ...transportCallbacks(raw, chosen, muxerStream, direction),
        limits: raw.limits
      }))
    } catch (err) {
      scope?.close()
      throw err
    }
  }

  /** A connection the transport secured and muxes itself (RawConnection.secured): only the peer check and the gates remain. */
  async #adopt (raw: RawConnection, secured: SecuredByTransport, direction: Direction, expected: PeerId | undefined): Promise<Connection> {
    if (expected !== undefined && !expected.equals(secured.remotePeer)) {
      throw new UpgradeError('security', `expected ${expected.toString()}, the transport authenticated ${secured.remotePeer.toString()}`)
    }
    await this.#init.gate?.('encrypted', direction, secured.remotePeer, raw)
    await this.#init.gate?.('upgraded', direction, secured.remotePeer, raw)
    return await stage('muxer', async () => new Connection({
      remotePeer: secured.remotePeer,
      remoteAddr: raw.remoteAddr,
      direction,
      encryption: secured.encryption,
      multiplexer: secured.muxer.protocol,
      muxerNegotiation: 'transport',
      registry: this.#init.registry,
      ...transportCallbacks(raw, secured.muxer, raw, direction),
      limits: raw.limits
    }))
  }
}
