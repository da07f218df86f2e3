/**
 * The TCP punch as the runtime allows (package.json `imports` entry
 * `#dcutr/tcp-punch`): ./tcp-punch.node.ts in Node, ./tcp-punch.unsupported.ts elsewhere.
 */
import * as selected from '#dcutr/tcp-punch'
import type { RawConnection } from '../transport/types.js'

export const tcpPunchSupported: boolean = selected.tcpPunchSupported
export const freeLocalPort: () => Promise<number> = selected.freeLocalPort
export const dialFromPort: (host: string, port: number, localPort: number, timeoutMs: number) => Promise<RawConnection> = selected.dialFromPort
