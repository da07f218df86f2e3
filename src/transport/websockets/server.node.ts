/**
 * WebSocket listener (Node only): an HTTP server with a `ws` WebSocketServer
 * on it, listening on `/ip4|ip6/…/tcp/<port>/ws` (plain, no TLS).
 */
import http from 'node:http'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { WebSocketServer } from 'ws'
import { requireWs } from './_ws-mask.node.js'
import type { Listener, ListenerOptions } from '../types.js'
import type { WebSocketLike } from './websocket.browser.js'
import { ListenError } from '../errors.js'
import { hostPort, tcpMultiaddr } from '../tcp/_addr.js'
import { listeningHosts } from '../tcp/wildcard.node.js'
import { WebSocketConnection } from './socket-connection.js'
import { MAX_WEBSOCKET_MESSAGE_BYTES } from './constants.js'

export const webSocketListenSupported = true

class WebSocketListener implements Listener {
  readonly #options: ListenerOptions
  #server: http.Server | undefined
  #wss: WebSocketServer | undefined

  constructor (options: ListenerOptions) { this.#options = options }

  async listen (addr: Multiaddr): Promise<void> {
    const target = hostPort(addr)
    if (target === undefined) throw new ListenError(`not a WebSocket address: ${addr.toString()}`)
    const server = http.createServer((_req, res) => { res.writeHead(426).end() })
    const wss = new (requireWs().WebSocketServer)({ server, maxPayload: MAX_WEBSOCKET_MESSAGE_BYTES, perMessageDeflate: false })
    wss.on('connection', (socket, req) => {
      const s = req.socket
      let remote: Multiaddr, local: Multiaddr | undefined
      // An address we cannot express as a multiaddr must cost one socket, not the process.
      try {
        remote = tcpMultiaddr(s.remoteAddress ?? '0.0.0.0', s.remotePort ?? 0, s.remoteFamily).encapsulate('/ws')
        local = s.localAddress !== undefined ? tcpMultiaddr(s.localAddress, s.localPort ?? 0, s.localFamily).encapsulate('/ws') : undefined
      } catch { socket.terminate(); return }
      this.#options.onConnection(new WebSocketConnection(socket as unknown as WebSocketLike, remote, local, { sendTakesCallback: true }))
    })
    wss.on('error', () => {}) // surfaced through listen() below or per connection
    await new Promise<void>((resolve, reject) => {
      server.once('error', err => { reject(new ListenError(`cannot listen on ${addr.toString()}: ${err.message}`, { cause: err })) })
      server.listen(target.port, target.host, () => { resolve() })
    })
    this.#server = server
    this.#wss = wss
  }

  getAddrs (): Multiaddr[] {
    const address = this.#server?.address()
    if (address == null || typeof address === 'string') return []
    return listeningHosts(address.address, address.family).map(host => tcpMultiaddr(host, address.port, address.family).encapsulate('/ws'))
  }

  async close (): Promise<void> {
    const server = this.#server
    this.#server = undefined
    this.#wss?.close()
    this.#wss = undefined
    // Stop accepting; accepted connections belong to their owners.
    server?.close()
  }
}

export function createWebSocketListener (options: ListenerOptions): Listener {
  return new WebSocketListener(options)
}
