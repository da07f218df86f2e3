/** DCUtR: hole punching a direct TCP connection through a relayed one (../shared/specs/libp2p/relay/DCUtR.md). */
export { dcutr, DcutrService, type DcutrOptions, type DcutrEvents } from './service.js'
export { HolePunchType, encodeHolePunch, decodeHolePunch, type HolePunch } from './message.js'
export { tcpPunchSupported } from './tcp-punch.js'
export { DcutrTimeoutError } from './_stream.js'
export * from './constants.js'
export * from './errors.js'
