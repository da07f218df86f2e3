/**
 * The demo page's HTTP server (Node only, node:http): serves the page, the
 * bundled in-browser node (dist/demo/app.js, built by build/build.js) and
 * `/config.json`, which tells the page which WebSocket multiaddrs to dial.
 * Binds to one host (127.0.0.1 by default): it is a local demo, not a site.
 */
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Multiaddr } from '@multiformats/multiaddr'
import { DEMO_PAGE_HTML } from '../demo/page.js'
import { CliError, EXIT_FAILURE } from './exit-codes.js'

export interface DemoConfig {
  /** The CLI node's peer id. */
  peerId: string
  /** Its WebSocket addresses, with /p2p/; the page dials these. */
  peers: string[]
  /** It runs a circuit relay: the page then listens through it for other tabs (WebRTC). */
  relay?: boolean
}

export interface DemoServer {
  readonly url: string
  close: () => Promise<void>
}

const BUNDLE = new URL('../demo/app.js', import.meta.url)

export async function startDemoServer (options: { host: string, port: number, config: () => DemoConfig }): Promise<DemoServer> {
  let bundle: Buffer
  try {
    bundle = await readFile(BUNDLE)
  } catch (err) {
    throw new CliError(`the demo bundle ${BUNDLE.pathname} is missing (run \`npm run build\`), or use --no-demo`, EXIT_FAILURE, { cause: err })
  }
  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer): void => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
    res.end(body)
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET' && req.method !== 'HEAD') { send(res, 405, 'text/plain', 'method not allowed\n'); return }
    if (path === '/' || path === '/index.html') send(res, 200, 'text/html; charset=utf-8', DEMO_PAGE_HTML)
    else if (path === '/app.js') send(res, 200, 'text/javascript; charset=utf-8', bundle)
    else if (path === '/config.json') send(res, 200, 'application/json', JSON.stringify(options.config()))
    else send(res, 404, 'text/plain', 'not found\n')
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', err => { reject(new CliError(`demo page: cannot listen on ${options.host}:${options.port}: ${err.message}`, EXIT_FAILURE, { cause: err })) })
    server.listen(options.port, options.host, resolve)
  })
  const { port } = server.address() as AddressInfo
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  return {
    url: `http://${host}:${port}/`,
    async close () {
      const closed = new Promise<void>(resolve => { server.close(() => { resolve() }) })
      // Browsers keep connections alive; they would hold close() open indefinitely.
      server.closeAllConnections()
      await closed
    }
  }
}

/** The addresses a browser can dial: WebSocket ones (browsers cannot open raw TCP). */
export function browserDialable (addrs: Multiaddr[]): string[] {
  return addrs.map(a => a.toString()).filter(a => /\/wss?(\/|$)/.test(a) || a.includes('/tls/ws'))
}
