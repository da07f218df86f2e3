/**
 * mDNS outside Node: browsers cannot open UDP sockets, so discovery there is
 * a no-op (the service reports `supported: false`). Selected through the
 * package.json `imports` entry `#mdns/socket` so bundles never see `node:dgram`.
 */
import type { MdnsSocket, MdnsSocketOptions } from './socket-types.js'
import { MdnsUnsupportedError } from './errors.js'

export const mdnsSupported = false
export const MDNS_MULTICAST_TTL = 255

export function localIPv4Addresses (_options: { internal?: boolean } = {}): string[] { return [] }

export async function openMdnsSocket (_options: MdnsSocketOptions): Promise<MdnsSocket> {
  throw new MdnsUnsupportedError('mDNS needs UDP multicast, which this runtime does not offer')
}
