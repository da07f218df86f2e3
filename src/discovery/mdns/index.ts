/** mDNS peer discovery: the service, its messages, limits and errors. */
export { mdns, MdnsDiscovery, type MdnsOptions, type PeerDiscoveryDetail, type MdnsStats } from './mdns.js'
export { discoveryQuery, discoveryResponse, peersInResponse, queryWants, randomPeerName, type DiscoveredPeer } from './protocol.js'
export { mdnsSupported } from './socket.js'
export * from './constants.js'
export { MdnsSocketError, MdnsUnsupportedError } from './errors.js'
