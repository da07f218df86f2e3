/** Browsers cannot open TCP sockets: DCUtR's TCP punch is Node only (see ./tcp-punch.node.ts). */
import type { RawConnection } from '../transport/types.js'
import { UnsupportedTransportError } from '../transport/errors.js'

export const tcpPunchSupported = false

export async function freeLocalPort (): Promise<number> {
  throw new UnsupportedTransportError('TCP hole punching needs Node')
}

export async function dialFromPort (_host: string, _port: number, _localPort: number, _timeoutMs: number): Promise<RawConnection> {
  throw new UnsupportedTransportError('TCP hole punching needs Node')
}
