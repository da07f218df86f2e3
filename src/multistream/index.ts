/** multistream-select 1.0: protocol negotiation on any byte stream. */
export { select, listProtocols, type SelectOptions, type Selected } from './select.js'
export { handle, type HandleOptions } from './handle.js'
export { refuse, readRefusal } from './refusal.js'
export { MultistreamError, UnsupportedProtocolError, PeerRefusedError } from './errors.js'
export { PROTOCOL_ID, MAX_MESSAGE_LENGTH, MAX_LIST_RESPONSE_LENGTH, MAX_NEGOTIATION_ATTEMPTS, REFUSAL_PREFIX, REFUSAL_REASON_WAIT_MS } from './constants.js'
