/** Errors of the DNS message codec (./message.ts). Every one is a DnsMessageError. */

/** A DNS message we cannot or will not decode (or encode). */
export class DnsMessageError extends Error {
  override name = 'DnsMessageError'
}

/** The message ends inside a header, a name, a record or its data, or a length field points past the end. */
export class DnsTruncatedError extends DnsMessageError {
  override name = 'DnsTruncatedError'
}

/**
 * A name's compression pointer loops, points forward (RFC 1035 §4.1.4 allows
 * only earlier occurrences), or chains more than MAX_DNS_POINTER_JUMPS times.
 */
export class DnsCompressionError extends DnsMessageError {
  override name = 'DnsCompressionError'
}

/** A length or count beyond a limit of RFC 1035 or of ours (message size, records, name or label length). */
export class DnsLimitError extends DnsMessageError {
  override name = 'DnsLimitError'
}

/** A field whose value the format does not allow (a reserved label type, record data that does not fit its type). */
export class DnsFormatError extends DnsMessageError {
  override name = 'DnsFormatError'
}
