/**
 * TCP, as the runtime allows: the Node implementation (tcp.node.ts) or one
 * that refuses to exist (unsupported.ts), chosen by the package.json `imports`
 * entry `#transport/tcp`. The explicit types keep `#transport/tcp` out of the
 * published declarations.
 */
import * as selected from '#transport/tcp'
import type { Transport } from '../types.js'

export interface TcpOptions {
  /** Dial timeout; default DIAL_TIMEOUT_MS. */
  dialTimeoutMs?: number
}

/** A TCP transport; throws UnsupportedTransportError where there are no raw sockets (browsers). */
export const tcp: (options?: TcpOptions) => Transport = selected.tcp

/** Whether this runtime has TCP (Node) or not (browsers). */
export const tcpSupported: boolean = selected.tcpSupported
