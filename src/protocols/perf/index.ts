/** Perf `/perf/1.0.0`: server handler, client, and the opt-in service. */
export * from './constants.js'
export { PerfHeaderError, PerfLimitError, PerfLengthMismatchError, PerfTimeoutError } from './errors.js'
export { handlePerf, type PerfServerOptions, type PerfServerResult } from './server.js'
export { perf, type PerfOptions, type PerfResult, type PerfTimings } from './client.js'
export { createPerfService, perfService, type PerfService, type PerfServiceOptions } from './service.js'
