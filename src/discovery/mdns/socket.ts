/**
 * The runtime's mDNS socket, chosen by the package.json `imports` entry
 * `#mdns/socket`; the explicit types keep `#mdns/socket` out of the published
 * declarations.
 */
import * as selected from '#mdns/socket'
import type { MdnsSocket, MdnsSocketOptions } from './socket-types.js'

/** Whether this runtime can do mDNS (Node) or not (browsers). */
export const mdnsSupported: boolean = selected.mdnsSupported
export const openMdnsSocket: (options: MdnsSocketOptions) => Promise<MdnsSocket> = selected.openMdnsSocket
export const localIPv4Addresses: (options?: { internal?: boolean }) => string[] = selected.localIPv4Addresses
