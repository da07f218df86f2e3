/** Multiaddr ⇄ host/port for TCP-based transports (TCP and WebSocket). */
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'

export interface HostPort {
  family: 'ip4' | 'ip6' | 'dns4' | 'dns6' | 'dns'
  host: string
  port: number
}

const HOST_PROTOCOLS = new Set(['ip4', 'ip6', 'dns4', 'dns6', 'dns'])

/** `/ip4|ip6|dns4|dns6|dns/<host>/tcp/<port>/…` → host and port, or undefined if it does not start that way. */
export function hostPort (addr: Multiaddr): HostPort | undefined {
  const [host, tcp] = addr.getComponents()
  if (host === undefined || tcp === undefined || !HOST_PROTOCOLS.has(host.name) || tcp.name !== 'tcp') return undefined
  const port = Number(tcp.value)
  if (!Number.isInteger(port) || port < 0 || port > 65535 || host.value === undefined) return undefined
  return { family: host.name as HostPort['family'], host: host.value, port }
}

/**
 * A socket's numeric address → `/ip4|ip6/<address>/tcp/<port>`. A link-local IPv6 address may
 * carry a `%zone` suffix (`fe80::1%eth0`), which `/ip6` cannot encode; it is dropped, since the
 * zone only names the local interface the peer was reached on. Throws on an unparsable address,
 * so callers on a listener's accept path must catch.
 */
export function tcpMultiaddr (address: string, port: number, family?: string | number): Multiaddr {
  const v6 = family === 'IPv6' || family === 6 || address.includes(':')
  const zone = v6 ? address.indexOf('%') : -1
  const host = zone >= 0 ? address.slice(0, zone) : address
  return multiaddr(`/${v6 ? 'ip6' : 'ip4'}/${host}/tcp/${port}`)
}
