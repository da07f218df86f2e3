/** mDNS discovery constants and limits (../../../shared/specs/libp2p/discovery/mdns.md, RFC 6762). */

/** The mDNS IPv4 group (RFC 6762 §3). */
export const MDNS_GROUP = '224.0.0.251'

/** The mDNS port (RFC 6762 §3). */
export const MDNS_PORT = 5353

/** The libp2p DNS-SD service name (spec "Definitions"); a private network uses `_p2p-<fingerprint>._udp.local`. */
export const MDNS_SERVICE_NAME = '_p2p._udp.local'

/** The DNS-SD meta-query name (spec "Meta Query"). */
export const DNS_SD_SERVICES_NAME = '_services._dns-sd._udp.local'

/** Prefix of each TXT string carrying one of a peer's multiaddrs (spec "Response"). */
export const DNSADDR_PREFIX = 'dnsaddr='

/**
 * Time between our queries: 10 s, as js-libp2p's @libp2p/mdns. A new peer
 * announces itself when it starts, so this only bounds how long a missed
 * packet delays discovery; each query costs one datagram per interface.
 */
export const MDNS_QUERY_INTERVAL_MS = 10_000

/** TTL of the records we announce: 120 s, RFC 6762 §10's recommendation for records tied to a host. */
export const MDNS_RECORD_TTL_S = 120

/**
 * Length of our random peer name: 32 lower-case letters and digits, the
 * spec's minimum ("Definitions"); under the 63-byte DNS label limit.
 */
export const MDNS_PEER_NAME_LENGTH = 32

/**
 * Shortest time between two of our multicast responses: 1 s (RFC 6762 §6: a
 * record is not multicast again on an interface within one second). Queries
 * arriving faster are answered once, at the end of the second: a query flood
 * costs at most one response per second.
 */
export const MDNS_MIN_RESPONSE_INTERVAL_MS = 1_000

/**
 * Most addresses we announce: 32. Every one is a TXT string of at most 255
 * bytes, so a response stays far below the 9000-byte mDNS message cap; a node
 * has a handful (one per transport and interface).
 */
export const MDNS_MAX_ANNOUNCED_ADDRS = 32

/** Most addresses taken from one peer's response: 32; the rest is ignored (they all go to the peer store). */
export const MDNS_MAX_DISCOVERED_ADDRS = 32

/** Most peers one response may describe: 16; a response naming more is cut there. */
export const MDNS_MAX_PEERS_PER_RESPONSE = 16

/**
 * Longest an address learned by mDNS stays in the peer store: 1 hour, even
 * if a record claims a longer TTL; every response refreshes it, and a peer that
 * left the link stops answering.
 */
export const MDNS_MAX_ADDRESS_TTL_MS = 3_600_000

/**
 * Shortest time between two automatic dials of the same discovered peer:
 * 30 s. Responses come every query interval; a peer we cannot reach must not
 * cost a dial each time.
 */
export const MDNS_DIAL_COOLDOWN_MS = 30_000

/** Peers whose last automatic dial time is remembered: 1024 (the oldest are forgotten first). */
export const MDNS_MAX_TRACKED_PEERS = 1024

/**
 * Most discovered peers processed per second: 64 (a token bucket refilled
 * continuously, holding at most this many). A LAN host spraying responses
 * with fresh peer ids must not flush the peer store of real peers or, with
 * `dial: true`, turn us into a dialer of addresses it picks; beyond the rate
 * the peers are dropped (counted in stats.dropped). A real LAN has a few dozen
 * peers answering every 10 s.
 */
export const MDNS_MAX_DISCOVERIES_PER_SECOND = 64
