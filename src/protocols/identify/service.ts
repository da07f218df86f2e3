/**
 * Identify wired to a node: answers `/ipfs/id/1.0.0`, accepts pushes on
 * `/ipfs/id/push/1.0.0` (one at a time per peer), identifies a connection on
 * request (the node calls `identify(connection)` for every new connection),
 * and pushes our Identify message to connected peers that speak push when
 * the node reports that our protocols or addresses changed (`localChanged()`,
 * debounced by IDENTIFY_PUSH_DEBOUNCE_MS).
 *
 * `identifyService()` is the node's factory for it (src/node/service.ts): it
 * identifies every new connection and announces the result as `peer:identify`,
 * and pushes after the node's `self:peer:update`.
 */
import { publicKeyToProtobuf } from '../../keys/index.js'
import { withoutPeerId } from '../../multiaddr/index.js'
import type { ServiceFactory } from '../../node/service.js'
import { sealPeerRecord } from './peer-record.js'
import { DEFAULT_AGENT_VERSION, DEFAULT_PROTOCOL_VERSION } from './constants.js'
import type { PeerStore } from '../../peer-store/types.js'
import type { ConnectionInfo, ProtocolRegistrar } from '../types.js'
import { withTimeout } from '../_timeout.js'
import {
  IDENTIFY_PROTOCOL, IDENTIFY_PUSH_CONCURRENCY, IDENTIFY_PUSH_DEBOUNCE_MS, IDENTIFY_PUSH_PROTOCOL, IDENTIFY_TIMEOUT_MS
} from './constants.js'
import { IdentifyTimeoutError } from './errors.js'
import { handleIdentify, handleIdentifyPush, identify, pushIdentify } from './identify.js'
import type { IdentifyLocalInfo, IdentifyResult, OpenPeerRecord } from './types.js'

export interface IdentifyServiceOptions {
  registrar: ProtocolRegistrar
  peerStore: PeerStore
  /** Our current Identify information; asked afresh for every message sent. */
  local: () => IdentifyLocalInfo | Promise<IdentifyLocalInfo>
  /** The open connections, one per peer is enough: the targets of a push. */
  connections: () => ConnectionInfo[]
  openPeerRecord?: OpenPeerRecord
  /** Default IDENTIFY_TIMEOUT_MS. */
  timeout?: number
  /** Default IDENTIFY_PUSH_DEBOUNCE_MS. */
  pushDebounce?: number
}

export interface IdentifyService {
  readonly protocols: readonly string[]
  start: () => Promise<void>
  /** Unregisters the handlers and cancels a pending push. */
  stop: () => Promise<void>
  /** Identifies the peer on `connection`; the result is also in the peer store. */
  identify: (connection: ConnectionInfo, options?: { signal?: AbortSignal }) => Promise<IdentifyResult>
  /** Pushes now to every connected peer known to speak identify/push; resolves when all tried. */
  push: () => Promise<void>
  /** Schedules a push after the debounce interval (coalescing bursts of changes). */
  localChanged: () => void
}

export function createIdentifyService (options: IdentifyServiceOptions): IdentifyService {
  const pushDebounce = options.pushDebounce ?? IDENTIFY_PUSH_DEBOUNCE_MS
  const pushesInFlight = new Set<string>()
  let pushTimer: ReturnType<typeof setTimeout> | undefined
  let running = false

  const base = { peerStore: options.peerStore, openPeerRecord: options.openPeerRecord, timeout: options.timeout }

  async function pushTo (connection: ConnectionInfo, local: IdentifyLocalInfo): Promise<void> {
    const timeout = options.timeout ?? IDENTIFY_TIMEOUT_MS
    const controller = new AbortController()
    const attempt = (async () => {
      const stream = await connection.newStream(IDENTIFY_PUSH_PROTOCOL, { signal: controller.signal })
      controller.signal.addEventListener('abort', () => { stream.abort(controller.signal.reason as Error) }, { once: true })
      await pushIdentify(stream, { ...base, connection, local })
    })()
    // A peer that does not take our push within the timeout loses the stream, not our time.
    await withTimeout(attempt, timeout, () => {
      const err = new IdentifyTimeoutError(`identify push to ${connection.remotePeer.toString()} took over ${timeout} ms`)
      controller.abort(err)
      return err
    })
  }

  async function push (): Promise<void> {
    const local = await options.local()
    const targets: ConnectionInfo[] = []
    const seen = new Set<string>()
    for (const connection of options.connections()) {
      const id = connection.remotePeer.toString()
      if (seen.has(id)) continue
      seen.add(id)
      const peer = await options.peerStore.get(id)
      if (peer?.protocols.includes(IDENTIFY_PUSH_PROTOCOL) === true) targets.push(connection)
    }
    // A fixed pool of workers, so at most IDENTIFY_PUSH_CONCURRENCY streams open at once.
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < targets.length) {
        const connection = targets[next++] as ConnectionInfo
        await pushTo(connection, local).catch(() => {}) // a peer that fails a push is no one else's problem
      }
    }
    await Promise.all(Array.from({ length: Math.min(IDENTIFY_PUSH_CONCURRENCY, targets.length) }, worker))
  }

  return {
    protocols: [IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL],
    async start () {
      running = true
      await options.registrar.handle(IDENTIFY_PROTOCOL, (stream, connection) => {
        Promise.resolve(options.local())
          .then(async local => { await handleIdentify(stream, { ...base, connection, local }) })
          .catch(err => { stream.abort(err as Error) })
      })
      await options.registrar.handle(IDENTIFY_PUSH_PROTOCOL, (stream, connection) => {
        const id = connection.remotePeer.toString()
        if (pushesInFlight.has(id)) {
          stream.reset()
          return
        }
        pushesInFlight.add(id)
        handleIdentifyPush(stream, { ...base, connection })
          .catch(() => {}) // the stream is already aborted
          .finally(() => pushesInFlight.delete(id))
      })
    },
    async stop () {
      running = false
      clearTimeout(pushTimer)
      pushTimer = undefined
      await options.registrar.unhandle(IDENTIFY_PROTOCOL)
      await options.registrar.unhandle(IDENTIFY_PUSH_PROTOCOL)
    },
    async identify (connection, identifyOptions) {
      const stream = await connection.newStream(IDENTIFY_PROTOCOL, identifyOptions)
      return await identify(stream, { ...base, connection, signal: identifyOptions?.signal })
    },
    push,
    localChanged () {
      if (!running || pushTimer !== undefined) return
      pushTimer = setTimeout(() => {
        pushTimer = undefined
        push().catch(() => {})
      }, pushDebounce)
    }
  }
}

export interface IdentifyOptions {
  /** Default DEFAULT_AGENT_VERSION. */
  agentVersion?: string
  /** Default DEFAULT_PROTOCOL_VERSION. */
  protocolVersion?: string
  /** Default IDENTIFY_TIMEOUT_MS. */
  timeout?: number
  /** Default IDENTIFY_PUSH_DEBOUNCE_MS. */
  pushDebounce?: number
}

/** Identify and push as a node service (on by default as `services.identify`). */
export function identifyService (options: IdentifyOptions = {}): ServiceFactory<IdentifyService> {
  return {
    create (host) {
      const publicKey = publicKeyToProtobuf(host.privateKey.publicKey)
      // Our signed peer record, re-sealed only when our addresses change.
      let sealed: { key: string, envelope: Promise<Uint8Array> } | undefined
      const local = async (): Promise<IdentifyLocalInfo> => {
        const listenAddrs = host.getMultiaddrs().map(a => withoutPeerId(a))
        const key = listenAddrs.map(a => a.toString()).join(' ')
        if (sealed?.key !== key) sealed = { key, envelope: sealPeerRecord(host.privateKey, listenAddrs) }
        return {
          protocolVersion: options.protocolVersion ?? DEFAULT_PROTOCOL_VERSION,
          agentVersion: options.agentVersion ?? DEFAULT_AGENT_VERSION,
          publicKey,
          listenAddrs,
          protocols: host.getProtocols(),
          signedPeerRecord: await sealed.envelope
        }
      }
      const core = createIdentifyService({
        registrar: host,
        peerStore: host.peerStore,
        local,
        connections: () => host.getConnections(),
        ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
        ...(options.pushDebounce !== undefined ? { pushDebounce: options.pushDebounce } : {})
      })
      const onOpen = (event: CustomEvent<import('../../connection/connection.js').Connection>): void => {
        const connection = event.detail
        if (connection.status !== 'open') return
        core.identify(connection)
          .then(result => { if (connection.status === 'open') host.dispatchEvent(new CustomEvent('peer:identify', { detail: result })) })
          // A peer that does not answer identify stays connected; it just is not identified.
          .catch(() => {})
      }
      const onUpdate = (): void => { core.localChanged() }
      return {
        ...core,
        async start () {
          await core.start()
          host.addEventListener('connection:open', onOpen)
          host.addEventListener('self:peer:update', onUpdate)
        },
        async stop () {
          host.removeEventListener('connection:open', onOpen)
          host.removeEventListener('self:peer:update', onUpdate)
          await core.stop()
        }
      }
    }
  }
}
