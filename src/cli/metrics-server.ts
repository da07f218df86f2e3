/**
 * `/metrics` over HTTP (Node only, node:http) for `wasp2p start --metrics-port N`:
 * each GET answers the node's metrics service's `scrape()` in the Prometheus
 * text format. Binds to one host (127.0.0.1 by default), like the demo page.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/prometheus.js'
import { CliError, EXIT_FAILURE } from './exit-codes.js'

/** The path Prometheus scrapes by default. */
export const METRICS_PATH = '/metrics'

export interface MetricsServer {
  /** `http://host:port/metrics` */
  readonly url: string
  close: () => Promise<void>
}

export async function startMetricsServer (options: { host: string, port: number, scrape: () => string }): Promise<MetricsServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405, { 'content-type': 'text/plain' }); res.end('method not allowed\n'); return }
    if (path !== METRICS_PATH) { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found: try /metrics\n'); return }
    let body: string
    try {
      body = options.scrape()
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(`scrape failed: ${(err as Error).message}\n`)
      return
    }
    res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' })
    res.end(req.method === 'HEAD' ? undefined : body)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', err => { reject(new CliError(`metrics: cannot listen on ${options.host}:${options.port}: ${err.message}`, EXIT_FAILURE, { cause: err })) })
    server.listen(options.port, options.host, resolve)
  })
  const { port } = server.address() as AddressInfo
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  return {
    url: `http://${host}:${port}${METRICS_PATH}`,
    async close () {
      const closed = new Promise<void>(resolve => { server.close(() => { resolve() }) })
      server.closeAllConnections()
      await closed
    }
  }
}
