/** Identify `/ipfs/id/1.0.0` and identify/push `/ipfs/id/push/1.0.0`. */
export * from './constants.js'
export {
  IdentifyMessageTooLargeError, InvalidIdentifyMessageError, IdentifyPeerMismatchError, IdentifyTimeoutError
} from './errors.js'
export { encodeIdentify, decodeIdentify, type IdentifyMessage } from './message.js'
export { handleIdentify, identify, pushIdentify, handleIdentifyPush, PEER_RECORD_SEQ_KEY } from './identify.js'
export { openPeerRecord, sealPeerRecord } from './peer-record.js'
export { createIdentifyService, identifyService, type IdentifyService, type IdentifyServiceOptions, type IdentifyOptions } from './service.js'
export type {
  IdentifyContext, IdentifyLocalInfo, IdentifyResult, CertifiedPeerRecord, OpenPeerRecord
} from './types.js'
