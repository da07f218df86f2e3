/**
 * Ping wired to a node: registers the responder for PING_PROTOCOL with a cap
 * of PING_MAX_INBOUND_STREAMS_PER_PEER concurrent streams per peer, and
 * pings a connection on a fresh stream.
 */
import type { ServiceFactory } from '../../node/service.js'
import type { ConnectionInfo, ProtocolRegistrar } from '../types.js'
import { ping, type PingOptions } from './client.js'
import { PING_MAX_INBOUND_STREAMS_PER_PEER, PING_PROTOCOL } from './constants.js'
import { PingRateLimitError } from './errors.js'
import { handlePing, type PingHandlerOptions } from './handler.js'

export interface PingServiceOptions extends PingHandlerOptions {
  registrar: ProtocolRegistrar
  /** Default PING_MAX_INBOUND_STREAMS_PER_PEER. */
  maxInboundStreamsPerPeer?: number
}

export interface PingService {
  readonly protocol: string
  start: () => Promise<void>
  stop: () => Promise<void>
  /** Opens a ping stream on `connection` and resolves with the RTT in milliseconds. */
  ping: (connection: ConnectionInfo, options?: PingOptions) => Promise<number>
}

export function createPingService (options: PingServiceOptions): PingService {
  const maxPerPeer = options.maxInboundStreamsPerPeer ?? PING_MAX_INBOUND_STREAMS_PER_PEER
  const active = new Map<string, number>()
  return {
    protocol: PING_PROTOCOL,
    async start () {
      await options.registrar.handle(PING_PROTOCOL, (stream, connection) => {
        const peer = connection.remotePeer.toString()
        const count = active.get(peer) ?? 0
        if (count >= maxPerPeer) {
          stream.abort(new PingRateLimitError(`more than ${maxPerPeer} concurrent ping streams from ${peer}`))
          return
        }
        active.set(peer, count + 1)
        handlePing(stream, options)
          .catch(() => {}) // the stream is already aborted; nothing else to undo
          .finally(() => {
            const left = (active.get(peer) ?? 1) - 1
            if (left === 0) active.delete(peer)
            else active.set(peer, left)
          })
      })
    },
    async stop () {
      await options.registrar.unhandle(PING_PROTOCOL)
    },
    async ping (connection, pingOptions) {
      const stream = await connection.newStream(PING_PROTOCOL, { signal: pingOptions?.signal })
      return await ping(stream, pingOptions)
    }
  }
}

/** Ping as a node service (on by default as `services.ping`). */
export function pingService (options: Omit<PingServiceOptions, 'registrar'> = {}): ServiceFactory<PingService> {
  return { create: host => createPingService({ ...options, registrar: host }) }
}
