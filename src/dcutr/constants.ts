/**
 * Direct Connection Upgrade through Relay (../shared/specs/libp2p/relay/DCUtR.md):
 * the protocol id and every limit, with its default and why.
 */

export const DCUTR_PROTOCOL = '/libp2p/dcutr'

/** Largest HolePunch message accepted: 4 KiB ("Implementations SHOULD refuse ... larger than 4 KiB"). */
export const MAX_DCUTR_MESSAGE_SIZE = 4096

/**
 * Most addresses read from one CONNECT: 16. A peer has a handful of observed
 * addresses; we dial them one after another, so this bounds both the
 * Multiaddr objects a message makes us build and the dials it makes us try.
 */
export const MAX_DCUTR_ADDRS = 16

/**
 * Attempts (each a CONNECT / SYNC exchange and a simultaneous open) before
 * the upgrade counts as failed: 3 ("Inbound peers SHOULD retry twice (thus
 * a total of 3 attempts)").
 */
export const DCUTR_MAX_ATTEMPTS = 3

/**
 * How long one CONNECT / SYNC exchange may take on the relayed connection:
 * 10 s. It is two messages each way over a relay; slower means the relay
 * path is unusable for timing the punch anyway.
 */
export const DCUTR_EXCHANGE_TIMEOUT_MS = 10_000

/**
 * How long one simultaneous-open dial may take: 5 s. Long enough for the
 * SYN retransmission (1 s initial RTO on Linux) that crosses the other NAT
 * after its mapping exists; a punch that has not worked by then will not.
 */
export const DCUTR_DIAL_TIMEOUT_MS = 5_000

/**
 * How long the relayed connection stays open once the direct one is up: 5 s
 * (spec step 6: "the relay connection should be closed after a grace
 * period"), so streams already on it can finish.
 */
export const RELAY_CLOSE_GRACE_MS = 5_000

/**
 * How long the inbound peer waits for an observed address of its own (from
 * identify on a direct connection) before a first attempt: 5 s. Without
 * one there is nothing to tell the other side to dial.
 */
export const OBSERVED_ADDRESS_WAIT_MS = 5_000

/** Observed IP addresses remembered: 8, the newest kept. Bounds what identify answers can make us hold. */
export const MAX_OBSERVED_IPS = 8

/**
 * How long the inbound peer waits for the identify of the peer that reached
 * it through the relay, to learn whether that peer advertises public
 * addresses (spec, "The Protocol": B "checks the addresses advertised by A
 * via identify"): 2 s. Identify is one round trip on the relayed connection;
 * without an answer by then, hole punching starts.
 */
export const UNILATERAL_IDENTIFY_WAIT_MS = 2_000

/**
 * How long the unilateral upgrade's direct dial to one of those public
 * addresses may take before hole punching starts instead: 3 s. An address a
 * peer advertises as public answers a SYN within a round trip; one a NAT
 * filters never does, and hole punching should not wait much longer for it.
 */
export const UNILATERAL_DIAL_TIMEOUT_MS = 3_000

/** Public addresses of the other peer tried, one after another, by the unilateral upgrade: 4. */
export const MAX_UNILATERAL_ADDRS = 4
