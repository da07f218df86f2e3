/**
 * TCP transport (Node only, selected through the package.json `imports`
 * entry `#transport/tcp`): dials and listens on `/ip4|ip6|dns4|dns6/…/tcp/<port>`
 * addresses that carry nothing above TCP (no `/ws`), as in the libp2p
 * addressing spec.
 */
import net from 'node:net'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { DialOptions, Listener, ListenerOptions, RawConnection, Transport } from '../types.js'
import { dialDeadline } from '../_abort.js'
import { DIAL_TIMEOUT_MS } from '../constants.js'
import { ConnectionRefusedError, DialError, ListenError } from '../errors.js'
import { hostPort, tcpMultiaddr } from './_addr.js'
import { SocketConnection } from './socket-connection.node.js'
import { listeningHosts } from './wildcard.node.js'

export const tcpSupported = true

export interface TcpOptions {
  /** Dial timeout; default DIAL_TIMEOUT_MS. */
  dialTimeoutMs?: number
}

/** True for `/ip…|dns…/<host>/tcp/<port>` with optionally only `/p2p/<id>` after it. */
function isPlainTcp (addr: Multiaddr): boolean {
  if (hostPort(addr) === undefined) return false
  const rest = addr.getComponents().slice(2)
  return rest.length === 0 || (rest.length === 1 && rest[0]?.name === 'p2p')
}

function wrap (socket: net.Socket): SocketConnection {
  const remote = tcpMultiaddr(socket.remoteAddress ?? '0.0.0.0', socket.remotePort ?? 0, socket.remoteFamily)
  return new SocketConnection(socket, remote)
}

class TcpListener implements Listener {
  readonly #options: ListenerOptions
  #server: net.Server | undefined

  constructor (options: ListenerOptions) { this.#options = options }

  async listen (addr: Multiaddr): Promise<void> {
    const target = hostPort(addr)
    if (target === undefined) throw new ListenError(`not a TCP address: ${addr.toString()}`)
    const server = net.createServer({ allowHalfOpen: true }, socket => {
      socket.on('error', () => {}) // until wrapped; a reset during accept must not crash
      let conn: SocketConnection
      // An address we cannot express as a multiaddr must cost one socket, not the process.
      try { conn = wrap(socket) } catch { socket.destroy(); return }
      this.#options.onConnection(conn)
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', err => { reject(new ListenError(`cannot listen on ${addr.toString()}: ${err.message}`, { cause: err })) })
      server.listen(target.port, target.host, () => { resolve() })
    })
    this.#server = server
  }

  getAddrs (): Multiaddr[] {
    const address = this.#server?.address()
    if (address == null || typeof address === 'string') return []
    return listeningHosts(address.address, address.family).map(host => tcpMultiaddr(host, address.port, address.family))
  }

  async close (): Promise<void> {
    const server = this.#server
    this.#server = undefined
    // Stop accepting now; accepted connections belong to their owners, so do not wait for them.
    server?.close()
  }
}

export function tcp (options: TcpOptions = {}): Transport {
  const dialTimeoutMs = options.dialTimeoutMs ?? DIAL_TIMEOUT_MS
  return {
    name: 'tcp',
    async dial (addr: Multiaddr, dialOptions: DialOptions = {}): Promise<RawConnection> {
      const target = hostPort(addr)
      if (target === undefined) throw new DialError(`not a TCP address: ${addr.toString()}`)
      // dns4/dns6 name the address family the name must resolve to (addressing spec).
      const family = target.family === 'dns4' ? 4 : target.family === 'dns6' ? 6 : 0
      const socket = net.connect({ host: target.host, port: target.port, family, allowHalfOpen: true })
      const deadline = dialDeadline(addr.toString(), dialTimeoutMs, dialOptions.signal)
      const connected = new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve)
        socket.once('error', (err: NodeJS.ErrnoException) => {
          reject(err.code === 'ECONNREFUSED'
            ? new ConnectionRefusedError(`connection refused by ${addr.toString()}`, { cause: err })
            : new DialError(`dial to ${addr.toString()} failed: ${err.message}`, { cause: err }))
        })
      })
      try {
        await Promise.race([connected, deadline.expired])
      } catch (err) {
        socket.destroy()
        throw err
      } finally {
        deadline.clear()
      }
      return wrap(socket)
    },
    createListener: options => new TcpListener(options),
    dialFilter: addrs => addrs.filter(isPlainTcp),
    listenFilter: addrs => addrs.filter(isPlainTcp)
  }
}
