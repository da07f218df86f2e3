/** AutoNAT v2 (autonat v2 spec): learn which of our addresses the public internet can dial. */
export { autonatV2, createAutonat, type AutonatOptions, type AutonatService, type ReachabilityEvent } from './service.js'
export { AutonatServer, type AutonatServerOptions, type AutonatServerStats } from './server.js'
export { checkAddress, DialBackNonces, type DialCheck, type DialCheckOptions } from './client.js'
export { Admission, type AdmissionOptions } from './rate-limit.js'
export {
  encodeMessage, decodeMessage, encodeDialBack, decodeDialBack, encodeDialBackResponse, decodeDialBackResponse,
  readFrame, MessageStream, ResponseStatus, DialStatus, DialBackStatus,
  type AutonatMessage, type DialRequest, type DialResponse, type DialDataRequest, type DialDataResponse
} from './message.js'
export * from './constants.js'
export * from './errors.js'
