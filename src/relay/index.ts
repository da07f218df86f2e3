/**
 * Circuit relay v2 (../shared/specs/libp2p/relay/circuit-v2.md): the relay
 * server (hop, opt-in) and the client (the `/p2p-circuit` transport and the
 * stop handler), each a service factory.
 */
export { circuitRelayServer, CircuitRelayServer, type CircuitRelayServerOptions, type RelayServerEvents } from './server/service.js'
export { ReservationStore, type Reservation, type ReservationLimits } from './server/reservation-store.js'
export { splice, type SpliceResult } from './server/splice.js'
export { circuitRelayTransport, CircuitRelayClient, type CircuitRelayTransportOptions, type RelayClientEvents } from './client/service.js'
export { CircuitRelayTransport } from './client/transport.js'
export { AutoRelay, AUTO_RELAY_COUNT, AUTO_RELAY_RETRY_MS, AUTO_RELAY_MAX_BACKOFF_MS, AUTO_RELAY_CHECK_INTERVAL_MS, AUTO_RELAY_MAX_BACKOFF_ENTRIES, type AutoRelayOptions } from './client/auto-relay.js'
export { CircuitListener, refreshDelay, RESERVATION_RETRY_DELAY_MS, RESERVATION_MAX_FAILURES, type CircuitListenerEvents } from './client/listener.js'
export type { ReservationInfo } from './client/reserve.js'
export { ReservationVoucher, sealVoucher, openVoucher } from './voucher.js'
export {
  HopType, StopType, RelayStatus, statusName, encodeHopMessage, decodeHopMessage, encodeStopMessage, decodeStopMessage,
  type HopMessage, type StopMessage, type RelayPeer, type RelayLimit, type RelayReservation, type RelayStatusCode
} from './messages.js'
export { isCircuitAddr, parseCircuitAddr, P2P_CIRCUIT_CODE } from './addresses.js'
export * from './constants.js'
export * from './errors.js'
