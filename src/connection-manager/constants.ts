/**
 * Limits of the connection manager. Each guards a resource a remote (or a
 * burst of remotes) could otherwise exhaust: sockets, handshake CPU, memory
 * per stream. All are overridable through `createNode({ connectionManager })`.
 */

/**
 * Open connections in total. Default 300: enough for a DHT routing table and
 * its churn; each connection holds a socket, Noise state and a yamux session,
 * so without a cap a swarm of peers could exhaust file descriptors and memory.
 * Above the cap the connection with the lowest tag value (then the oldest) is closed.
 */
export const MAX_CONNECTIONS = 300

/**
 * Inbound connections (upgrading or open). Default 200: inbound is what
 * others choose for us; keeping room below MAX_CONNECTIONS for our own dials
 * means a flood of inbound peers cannot crowd out the peers we want.
 */
export const MAX_INBOUND_CONNECTIONS = 200

/**
 * Outbound connections. Default 200: bounds what a runaway caller (or a
 * peer feeding us addresses) can make us open.
 */
export const MAX_OUTBOUND_CONNECTIONS = 200

/**
 * Inbound connections in the upgrade (Noise handshake + muxer selection) at
 * once. Default 10: each handshake costs a signature check and X25519 work;
 * a burst of half-open handshakes is the cheapest CPU attack on a node.
 */
export const MAX_INBOUND_PENDING_CONNECTIONS = 10

/**
 * Inbound upgrades in progress from one host (IP) at once. Default 3: an
 * honest peer has one connection to us in flight, rarely two; without a
 * per-host cap one host holding MAX_INBOUND_PENDING_CONNECTIONS silent sockets
 * locks every other peer out. Allow-listed hosts are exempt.
 */
export const MAX_INBOUND_PENDING_PER_HOST = 3

/**
 * Node-wide pending-upgrade slots (MAX_INBOUND_PENDING_CONNECTIONS) that
 * loopback, exempt from the per-host pending limit, can never take: default
 * 3, so loopback together holds at most 7 of the default 10. Every local
 * process is one host; without a share of its own a single local process
 * holding the slots with unfinished handshakes (slowloris) would lock every
 * remote peer out. Three is one public host's MAX_INBOUND_PENDING_PER_HOST.
 * A reconnect loop or a test suite on loopback keeps the rest (7 handshakes
 * at once).
 */
export const PENDING_SLOTS_RESERVED_FOR_REMOTE = 3

/**
 * When a new inbound socket finds every pending-upgrade slot it could use
 * taken (the node's MAX_INBOUND_PENDING_CONNECTIONS, or its host's share:
 * MAX_INBOUND_PENDING_PER_HOST, for loopback all but
 * PENDING_SLOTS_RESERVED_FOR_REMOTE), it sheds the pending upgrade that has
 * gone longest without progress (of the same host, when the share is what is
 * full), provided that is at least this long. Progress is reaching the next
 * stage: multistream header and security proposal read, security handshake
 * done, muxer agreed. Default 1 s: an honest handshake reaches its next stage
 * within one round trip plus our own crypto (milliseconds; a few hundred on a
 * slow link or a loaded machine), while a slowloris socket sits. Without it a
 * host holding its whole share with silent handshakes (one local process:
 * 7 of the default 10) locks every other peer of that host out until the
 * handshakes time out. With it the attacker must open fresh sockets faster
 * than this to keep the slots: a connection flood, which the per-host rate
 * bounds for public hosts, and against which the reserved slots keep remote
 * peers getting in past a local one. Allow-listed hosts are never shed.
 * 0 disables shedding.
 */
export const PENDING_UPGRADE_STALL_MS = 1_000

/**
 * Dials (transport dial + upgrade) in flight at once. Default 25: each is a
 * socket and a handshake; the queue holds the rest.
 */
export const MAX_DIAL_CONCURRENCY = 25

/**
 * Addresses tried for one peer before the dial fails. Default 4: a peer
 * record may list many addresses (some stale or hostile); trying all of them
 * turns one dial into a scan.
 */
export const MAX_DIALS_PER_PEER = 4

/**
 * Dials waiting in the queue. Default 500: beyond this a dial fails at once
 * (DialQueueFullError) rather than growing memory.
 */
export const MAX_DIAL_QUEUE_LENGTH = 500

/**
 * One dial job (all its addresses, transport dial and upgrade). Default 10 s,
 * matching UPGRADE_TIMEOUT_MS: a dial that takes longer is more likely a
 * black-holed address than a slow link.
 */
export const DIAL_TIMEOUT_MS = 10_000

/**
 * Inbound upgrade time under the connection manager. Default 10 s (the
 * upgrader's UPGRADE_TIMEOUT_MS); a stalled handshake holds a pending slot.
 */
export const INBOUND_UPGRADE_TIMEOUT_MS = 10_000

/**
 * Inbound connections one remote host may open per second, sustained.
 * Default 5: an honest peer needs one connection; reconnect loops and
 * scanners need many.
 */
export const INBOUND_CONNECTIONS_PER_HOST_PER_SECOND = 5

/**
 * Inbound connections one host may open back to back before the rate
 * applies. Default 20: several peers behind one NAT (or a test on loopback)
 * connecting at once.
 */
export const INBOUND_CONNECTION_BURST_PER_HOST = 20

/**
 * Hosts the rate limiter remembers. Default 1024: the table itself must not
 * become the memory a spoofing scanner exhausts; the least recently seen
 * host is forgotten first.
 */
export const MAX_RATE_LIMITED_HOSTS = 1024

/**
 * Inbound streams per protocol per connection, unless `handle()` says
 * otherwise. Default 32: a handler's state lives as long as its stream, so
 * the remote must not be able to open them without bound.
 */
export const MAX_INBOUND_STREAMS_PER_PROTOCOL = 32

/**
 * Outbound streams per protocol per connection, unless `handle()` says
 * otherwise. Default 64: catches a local leak (streams never closed) before
 * it hits the muxer's own stream limit.
 */
export const MAX_OUTBOUND_STREAMS_PER_PROTOCOL = 64

/**
 * Hosts exempt from the per-host inbound rate and pending-upgrade limits by
 * default (`exemptLoopback`, default true): loopback (127.0.0.0/8, ::1, and
 * 127/8 mapped into IPv6). A loopback peer runs on this machine: limiting it
 * protects against nothing a local process could not do anyway, and it is
 * exactly where benchmarks, reconnect loops and test suites dial from (as
 * go-libp2p's resource manager exempts localhost). The node-wide limits
 * (total pending upgrades, inbound and total connections) still apply, and
 * loopback as a whole leaves PENDING_SLOTS_RESERVED_FOR_REMOTE pending slots
 * to other hosts.
 */
export const LOOPBACK_RANGES: readonly string[] = ['/ip4/127.0.0.0/ipcidr/8', '/ip6/::1/ipcidr/128', '/ip6/::ffff:7f00:0/ipcidr/104']

/**
 * Hosts exempt from the per-host limits only when `exemptPrivateNetworks` is
 * set (default false): RFC 1918, link-local (RFC 3927, fe80::/10) and unique
 * local IPv6 (RFC 4193). A private network is usually, not always, trusted
 * (a café's Wi-Fi is private too), so the operator opts in.
 */
export const PRIVATE_RANGES: readonly string[] = [
  '/ip4/10.0.0.0/ipcidr/8', '/ip4/172.16.0.0/ipcidr/12', '/ip4/192.168.0.0/ipcidr/16', '/ip4/169.254.0.0/ipcidr/16',
  '/ip6/fc00::/ipcidr/7', '/ip6/fe80::/ipcidr/10'
]

/**
 * Refused inbound sockets the node answers at once (multistream `na` plus a
 * refusal reason, then a graceful close) rather than resetting. Default 32:
 * a refusal costs a few bytes and one timer; beyond this many in progress
 * (a flood) the rest are reset without a word, so refusing stays cheaper
 * than the attack.
 */
export const MAX_REFUSALS_IN_PROGRESS = 32

/**
 * Time a refused socket gets to send its multistream header and proposal so
 * it can be told why. Default 1 s: an honest dialer sends both in its first
 * packet; a silent one is reset after this.
 */
export const REFUSAL_TIMEOUT_MS = 1_000
