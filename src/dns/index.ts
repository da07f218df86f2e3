/** DNS: the message codec (mDNS, `_dnsaddr` TXT lookups) and its limits. */
export {
  decodeDnsMessage, encodeDnsMessage, txtData, txtStrings,
  type DnsMessage, type DnsQuestion, type DnsRecord, type DnsRecordData, type SrvData
} from './message.js'
export * from './constants.js'
export { DnsMessageError, DnsTruncatedError, DnsCompressionError, DnsLimitError, DnsFormatError } from './errors.js'
