/**
 * Circuit relay v2 (../shared/specs/libp2p/relay/circuit-v2.md): protocol ids
 * and every limit, with its default and why. Defaults follow the spec, then
 * js-libp2p's `@libp2p/circuit-relay-v2` and go-libp2p's `relay/resources.go`
 * (which js-libp2p cites), so a wasp2p relay behaves like the relays peers
 * already meet on the network.
 */

/** The hop protocol: clients ↔ relay (spec "Hop Protocol"). */
export const RELAY_HOP_PROTOCOL = '/libp2p/circuit/relay/0.2.0/hop'
/** The stop protocol: relay → the target of a circuit (spec "Stop Protocol"). */
export const RELAY_STOP_PROTOCOL = '/libp2p/circuit/relay/0.2.0/stop'

/** Signing domain of reservation vouchers (spec "Reservation Vouchers"). */
export const VOUCHER_DOMAIN = 'libp2p-relay-rsvp'
/** Payload type of reservation vouchers: the multicodec 0x0302 as an unsigned varint. */
export const VOUCHER_CODEC: Uint8Array = /* @__PURE__ */ Uint8Array.of(0x03, 0x02)

/**
 * Largest hop or stop message accepted: 4 KiB, go-libp2p's `maxMessageSize`.
 * A reservation answer carries a voucher (~200 bytes) and a few relay
 * addresses; anything larger is refused before it is decoded.
 */
export const MAX_RELAY_MESSAGE_SIZE = 4096

/**
 * Most addresses read from one `Peer` or `Reservation`: 32. Real messages
 * carry a handful; the cap bounds the Multiaddr objects one message can make us build.
 */
export const MAX_RELAY_MESSAGE_ADDRS = 32

/**
 * How long one hop or stop exchange (request → answer) may take: 30 s,
 * js-libp2p's DEFAULT_HOP_TIMEOUT. It covers the relay's stop round trip
 * to the target inside a CONNECT; a silent peer is cut off after it.
 */
export const RELAY_EXCHANGE_TIMEOUT_MS = 30_000

// --- relay server (hop) ---

/**
 * How long a reservation lasts before the client must refresh it: 2 hours,
 * js-libp2p's DEFAULT_MAX_RESERVATION_TTL (go-libp2p uses 1 hour). Long
 * enough that refreshes are rare, short enough that a vanished client's slot
 * is freed on its own even if its connection lingers.
 */
export const RESERVATION_TTL_MS = 2 * 60 * 60 * 1000

/**
 * Most reservations the relay holds at once: 15, js-libp2p's
 * DEFAULT_MAX_RESERVATION_STORE_SIZE. Each costs a tagged connection kept
 * open; a relay is meant to serve a few peers well, not many badly.
 */
export const MAX_RESERVATIONS = 15

/**
 * Most reservations held for peers behind one IP address: 8, go-libp2p's
 * MaxReservationsPerIP. One host minting peer ids cannot take every slot.
 */
export const MAX_RESERVATIONS_PER_IP = 8

/**
 * Most circuits (relayed connections) open at once per peer, counted at
 * either end: 16, go-libp2p's MaxCircuits. Bounds what one peer can make
 * the relay forward.
 */
export const MAX_CIRCUITS_PER_PEER = 16

/**
 * Most circuits open through the relay at once: 300, js-libp2p's
 * MAX_CONNECTIONS for stop streams. Bounds the relay's total forwarding work
 * and memory (each circuit holds two streams' buffers).
 */
export const MAX_CIRCUITS = 300

/**
 * Duration limit of a relayed connection: 120 s, go-libp2p's and
 * js-libp2p's default (2 minutes). A relay is for coordination (hole
 * punching, small exchanges), not for carrying traffic indefinitely.
 * Sent on the wire in seconds (spec "Limit.duration").
 */
export const DEFAULT_CIRCUIT_DURATION_S = 120

/**
 * Data limit of a relayed connection in each direction: 128 KiB, go-libp2p's
 * and js-libp2p's default (1 << 17). Enough for identify and a DCUtR
 * exchange; bulk transfer needs a direct connection.
 */
export const DEFAULT_CIRCUIT_DATA_BYTES = 1n << 17n

/**
 * Largest chunk the relay forwards in one write: 64 KiB. Reads larger than
 * this are split, so the data limit is checked at a fine grain and one
 * write never holds more than this in flight per direction.
 */
export const RELAY_FORWARD_CHUNK = 64 * 1024

/** Peer store tag on a peer holding a reservation, so connection pruning spares its connection (spec: "tag it to prevent accidental termination"). */
export const RELAY_RESERVATION_TAG = 'relay-reservation'

/**
 * Value of RELAY_RESERVATION_TAG: 50, the bootstrap tag's weight, so a
 * reserved client outranks an untagged peer when the connection manager
 * prunes; the tag expires with the reservation.
 */
export const RELAY_RESERVATION_TAG_VALUE = 50

// --- relay client (transport / stop) ---

/**
 * How long before a reservation's expiry the client refreshes it: 5
 * minutes, as js-libp2p (REFRESH_TIMEOUT); for reservations shorter than
 * four times this, a quarter of their lifetime instead, so a short test TTL
 * is still refreshed in time.
 */
export const RESERVATION_REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000

/**
 * Least delay between two refreshes of one reservation: 1 s. A relay that
 * answers with an expiry in the past must not make us spin.
 */
export const RESERVATION_REFRESH_MIN_DELAY_MS = 1_000

/**
 * Most inbound stop streams per connection: 300, js-libp2p's
 * maxInboundStopStreams default. A relay may terminate many circuits on us
 * at once; more than this from one relay is a flood.
 */
export const MAX_INBOUND_STOP_STREAMS = 300
