/** DNS: the message codec (mDNS, `_dnsaddr` TXT lookups), TXT resolvers (system, DNS-over-HTTPS), /dnsaddr/ resolution. */
export {
  decodeDnsMessage, encodeDnsMessage, txtData, txtStrings,
  type DnsMessage, type DnsQuestion, type DnsRecord, type DnsRecordData, type SrvData
} from './message.js'
export * from './constants.js'
export { DnsMessageError, DnsTruncatedError, DnsCompressionError, DnsLimitError, DnsFormatError } from './errors.js'
export { DnsResolveError, DnsResolverUnavailableError, DnsaddrLimitError } from './resolve-errors.js'
export { systemTxtResolver, systemTxtSupported, DNS_QUERY_TIMEOUT_MS, type TxtResolver, type SystemTxtResolverOptions } from './txt.js'
export { dohTxtResolver, MAX_DOH_RESPONSE_BYTES, DOH_TIMEOUT_MS } from './doh.js'
export { resolveDnsaddr, isDnsaddr, DNSADDR_MAX_DEPTH, DNSADDR_MAX_LOOKUPS, DNSADDR_MAX_ADDRS, type DnsaddrOptions } from './dnsaddr.js'
