/** Errors of DNS resolution (TXT lookups, /dnsaddr/). */

/** A lookup failed (server failure, timeout, refused), as opposed to a name with no records. */
export class DnsResolveError extends Error {
  override name = 'DnsResolveError'
}

/** This runtime has no DNS resolver and none was given. */
export class DnsResolverUnavailableError extends Error {
  override name = 'DnsResolverUnavailableError'
}

/** A /dnsaddr/ resolution went past a limit (nesting depth, lookups, addresses). */
export class DnsaddrLimitError extends Error {
  override name = 'DnsaddrLimitError'
}
