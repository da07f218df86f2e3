/** Signed envelopes (RFC 0002) and the peer records they carry (RFC 0003). */
export { RecordEnvelope, envelopeSignedData, MAX_ENVELOPE_SIZE, type SealableRecord, type RecordEnvelopeInit } from './envelope.js'
export { PeerRecord, PEER_RECORD_DOMAIN, PEER_RECORD_CODEC, MAX_PEER_RECORD_ADDRESSES, type PeerRecordInit } from './peer-record.js'
export { InvalidEnvelopeError, InvalidSignatureError, InvalidPeerRecordError } from './errors.js'
