/**
 * Perf wired to a node. Off unless the application creates it: the spec says
 * perf SHOULD NOT be enabled by default, as it lets clients make the server work.
 */
import type { ServiceFactory } from '../../node/service.js'
import type { ConnectionInfo, ProtocolRegistrar } from '../types.js'
import { perf, type PerfOptions, type PerfResult } from './client.js'
import { PERF_PROTOCOL } from './constants.js'
import { handlePerf, type PerfServerOptions } from './server.js'

export interface PerfServiceOptions extends PerfServerOptions {
  registrar: ProtocolRegistrar
}

export interface PerfService {
  readonly protocol: string
  start: () => Promise<void>
  stop: () => Promise<void>
  perf: (connection: ConnectionInfo, options?: PerfOptions) => Promise<PerfResult>
}

export function createPerfService (options: PerfServiceOptions): PerfService {
  return {
    protocol: PERF_PROTOCOL,
    async start () {
      await options.registrar.handle(PERF_PROTOCOL, stream => {
        handlePerf(stream, options).catch(() => {}) // the stream is already aborted
      })
    },
    async stop () {
      await options.registrar.unhandle(PERF_PROTOCOL)
    },
    async perf (connection, perfOptions) {
      return await perf(await connection.newStream(PERF_PROTOCOL), perfOptions)
    }
  }
}

/** The perf server as a node service: opt-in, `services: { perf: perfService() }`. */
export function perfService (options: PerfServerOptions = {}): ServiceFactory<PerfService> {
  return { create: host => createPerfService({ ...options, registrar: host }) }
}
