/**
 * TCP outside Node (browsers cannot open raw sockets). Selected through the
 * package.json `imports` entry `#transport/tcp` so browser bundles never see
 * `node:net`.
 */
import type { Transport } from '../types.js'
import { UnsupportedTransportError } from '../errors.js'

export const tcpSupported = false

export interface TcpOptions {
  dialTimeoutMs?: number
}

export function tcp (_options: TcpOptions = {}): Transport {
  throw new UnsupportedTransportError('TCP is not available in this runtime')
}
