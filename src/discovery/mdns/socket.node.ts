/**
 * The UDP side of mDNS in Node (node:dgram): one IPv4 socket bound to the mDNS
 * port with SO_REUSEADDR (several responders on one host share it, RFC 6762
 * §15), joined to the group on each chosen interface, multicast loopback on
 * (so nodes on the same host, or the same interface, hear each other), and a
 * send that goes out once per chosen interface. Selected through the
 * package.json `imports` entry `#mdns/socket`; browsers get ./socket.unsupported.ts.
 */
import { createSocket, type Socket } from 'node:dgram'
import { networkInterfaces } from 'node:os'
import type { MdnsSocket, MdnsSocketOptions } from './socket-types.js'
import { MdnsSocketError } from './errors.js'

export const mdnsSupported = true

/**
 * Multicast TTL (IP hop limit) of what we send: 255, as RFC 6762 §11 requires,
 * so a receiver can tell on-link packets; mDNS never crosses a router anyway
 * (224.0.0.251 is link-local).
 */
export const MDNS_MULTICAST_TTL = 255

/** The IPv4 addresses of this host's interfaces; `internal` includes loopback. */
export function localIPv4Addresses ({ internal = false } = {}): string[] {
  const out: string[] = []
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (info.family === 'IPv4' && (internal || !info.internal)) out.push(info.address)
    }
  }
  return out
}

export async function openMdnsSocket (options: MdnsSocketOptions): Promise<MdnsSocket> {
  const interfaces = options.interfaces === 'all' ? localIPv4Addresses() : [...options.interfaces]
  if (interfaces.length === 0) interfaces.push('127.0.0.1')
  const socket: Socket = createSocket({ type: 'udp4', reuseAddr: true })
  socket.on('message', (bytes, from) => { options.onMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { address: from.address, port: from.port }) })
  socket.on('error', err => { options.onError?.(new MdnsSocketError(`mDNS socket: ${err.message}`, { cause: err })) })
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error): void => { reject(new MdnsSocketError(`cannot bind the mDNS port ${options.port}: ${err.message}`, { cause: err })) }
    socket.once('error', fail)
    socket.bind(options.port, () => { socket.off('error', fail); resolve() })
  })
  const joined: string[] = []
  for (const address of interfaces) {
    try {
      socket.addMembership(options.group, address)
      joined.push(address)
    } catch (err) {
      options.onError?.(new MdnsSocketError(`cannot join ${options.group} on ${address}: ${(err as Error).message}`, { cause: err }))
    }
  }
  if (joined.length === 0) {
    socket.close()
    throw new MdnsSocketError(`could not join ${options.group} on any of ${interfaces.join(', ')}`)
  }
  socket.setMulticastTTL(MDNS_MULTICAST_TTL)
  socket.setMulticastLoopback(true)
  let closed = false
  return {
    interfaces: joined,
    async send (bytes) {
      // One interface at a time: the outgoing interface is socket state, read when the datagram is sent.
      for (const address of joined) {
        if (closed) return
        socket.setMulticastInterface(address)
        await new Promise<void>(resolve => {
          socket.send(bytes, options.port, options.group, err => {
            if (err != null) options.onError?.(new MdnsSocketError(`mDNS send on ${address}: ${err.message}`, { cause: err }))
            resolve()
          })
        })
      }
    },
    async close () {
      if (closed) return
      closed = true
      await new Promise<void>(resolve => { socket.close(() => { resolve() }) })
    }
  }
}
