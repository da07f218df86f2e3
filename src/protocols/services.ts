/**
 * All protocol services on one node in one call: the wiring a node does,
 * written once. Ping and identify (with push) always; perf only when asked,
 * as its spec advises. Identify's view of us is read from the host each time
 * a message is sent, with our signed peer record re-sealed only when our
 * addresses change.
 *
 * What the host must still do itself: call `identify.identify(connection)`
 * for each new connection, and `identify.localChanged()` after its protocols
 * or listen addresses change.
 */
import type { Multiaddr } from '@multiformats/multiaddr'
import { publicKeyToProtobuf } from '../keys/index.js'
import type { PrivateKey } from '../keys/types.js'
import { withoutPeerId } from '../multiaddr/index.js'
import { MemoryPeerStore } from '../peer-store/memory.js'
import type { PeerStore } from '../peer-store/types.js'
import { createIdentifyService, type IdentifyService } from './identify/service.js'
import { sealPeerRecord } from './identify/peer-record.js'
import type { IdentifyLocalInfo } from './identify/types.js'
import { createPerfService, type PerfService } from './perf/service.js'
import type { PerfServerOptions } from './perf/server.js'
import { createPingService, type PingService } from './ping/service.js'
import type { PingHandlerOptions } from './ping/handler.js'
import type { ConnectionInfo, ProtocolRegistrar } from './types.js'

/** What identify says we run unless told otherwise. */
export const DEFAULT_AGENT_VERSION = 'wasp2p/0.1.0'
/** The protocol family go-libp2p and js-libp2p announce (identify spec, "protocolVersion"). */
export const DEFAULT_PROTOCOL_VERSION = 'ipfs/0.1.0'

/** The node surface the services need (a Wasp2pNode has all of it). */
export interface ServiceHost extends ProtocolRegistrar {
  readonly privateKey: PrivateKey
  getProtocols: () => string[]
  getMultiaddrs: () => Multiaddr[]
  getConnections: () => ConnectionInfo[]
}

export interface ProtocolServicesOptions {
  /** Default: a new MemoryPeerStore. */
  peerStore?: PeerStore
  /** Default DEFAULT_AGENT_VERSION. */
  agentVersion?: string
  /** Default DEFAULT_PROTOCOL_VERSION. */
  protocolVersion?: string
  ping?: PingHandlerOptions
  /** Serve `/perf/1.0.0`; default off. */
  perf?: boolean | PerfServerOptions
  /** Identify push debounce (ms); default IDENTIFY_PUSH_DEBOUNCE_MS. */
  pushDebounce?: number
}

export interface ProtocolServices {
  peerStore: PeerStore
  ping: PingService
  identify: IdentifyService
  perf: PerfService | undefined
  /** Unregisters every handler. */
  stop: () => Promise<void>
}

export async function startProtocolServices (host: ServiceHost, options: ProtocolServicesOptions = {}): Promise<ProtocolServices> {
  const peerStore = options.peerStore ?? new MemoryPeerStore()
  const publicKey = publicKeyToProtobuf(host.privateKey.publicKey)
  let sealed: { key: string, envelope: Promise<Uint8Array> } | undefined

  async function local (): Promise<IdentifyLocalInfo> {
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

  const ping = createPingService({ ...options.ping, registrar: host })
  const identify = createIdentifyService({
    registrar: host,
    peerStore,
    local,
    connections: () => host.getConnections(),
    ...(options.pushDebounce !== undefined ? { pushDebounce: options.pushDebounce } : {})
  })
  const perfOptions = options.perf === true ? {} : options.perf === false ? undefined : options.perf
  const perf = perfOptions === undefined ? undefined : createPerfService({ ...perfOptions, registrar: host })

  const started: Array<{ stop: () => Promise<void> }> = []
  try {
    for (const service of [ping, identify, perf]) {
      if (service === undefined) continue
      await service.start()
      started.push(service)
    }
  } catch (err) {
    for (const service of started) await service.stop()
    throw err
  }
  return {
    peerStore,
    ping,
    identify,
    perf,
    async stop () {
      for (const service of started.reverse()) await service.stop()
    }
  }
}
