/** The UDP socket mDNS needs, as the runtime provides it (./socket.node.ts, ./socket.unsupported.ts). */

export interface MdnsSocketOptions {
  /** Multicast group, e.g. 224.0.0.251. */
  group: string
  port: number
  /** IPv4 addresses of the interfaces to join the group on and send from; 'all': every non-loopback one. */
  interfaces: string[] | 'all'
  onMessage: (bytes: Uint8Array, from: { address: string, port: number }) => void
  /** Errors after opening (a failed send, a socket error); the socket stays usable. */
  onError?: (err: Error) => void
}

export interface MdnsSocket {
  /** The interfaces the group was joined on. */
  readonly interfaces: string[]
  /** Sends one datagram to the group on every joined interface. */
  send: (bytes: Uint8Array) => Promise<void>
  close: () => Promise<void>
}
