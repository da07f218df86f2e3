/**
 * TCP simultaneous open for hole punching (Node only, through the
 * package.json `imports` entry `#dcutr/tcp-punch`).
 *
 * Each side dials the other's predicted external address *from a chosen
 * local port* that it announced as `<observed IP>/tcp/<port>`: its own NAT
 * then holds a mapping for that port towards the other side, so the other
 * side's SYN is let in and the two SYNs meet (simultaneous open, RFC 9293
 * §3.5). go-libp2p dials from its listen port with SO_REUSEPORT; node:net
 * cannot set SO_REUSEPORT on a client socket (Node 20 has no such option; a
 * bind to a port with a listening socket fails with EADDRINUSE), so we use a
 * fresh port that nothing listens on. The prediction holds behind NATs that
 * keep the source port (Linux MASQUERADE does when the port is free,
 * "endpoint-independent mapping"); behind a symmetric NAT it fails, as
 * hole punching must.
 */
import net from 'node:net'
import type { RawConnection } from '../transport/types.js'
import { DialError, DialTimeoutError } from '../transport/errors.js'
import { tcpMultiaddr } from '../transport/tcp/_addr.js'
import { SocketConnection } from '../transport/tcp/socket-connection.node.js'

export const tcpPunchSupported = true

/** A local TCP port that is free right now (bound and released at once). */
export async function freeLocalPort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, () => {
      const address = server.address()
      server.close(() => { typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')) })
    })
  })
}

/** Connects to host:port from `localPort` (the punch); DialTimeoutError after `timeoutMs`. */
export async function dialFromPort (host: string, port: number, localPort: number, timeoutMs: number): Promise<RawConnection> {
  const v6 = host.includes(':')
  const socket = net.connect({ host, port, localPort, localAddress: v6 ? '::' : '0.0.0.0', allowHalfOpen: true })
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => { reject(new DialTimeoutError(`hole punch to ${host}:${port} from port ${localPort} took longer than ${timeoutMs} ms`)) }, timeoutMs)
      socket.once('connect', resolve)
      socket.once('error', err => { reject(new DialError(`hole punch to ${host}:${port} from port ${localPort} failed: ${err.message}`, { cause: err })) })
    })
  } catch (err) {
    socket.destroy()
    throw err
  } finally {
    clearTimeout(timer)
  }
  const remote = tcpMultiaddr(socket.remoteAddress ?? host, socket.remotePort ?? port, socket.remoteFamily)
  return new SocketConnection(socket, remote)
}
