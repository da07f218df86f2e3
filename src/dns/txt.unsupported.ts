/**
 * TXT lookups outside Node: a browser page cannot send DNS queries, so there
 * is no system resolver; give one (e.g. `dohTxtResolver(url)` for a
 * DNS-over-HTTPS endpoint, ./doh.ts). Selected through the package.json
 * `imports` entry `#dns/txt`.
 */
import { DnsResolverUnavailableError } from './resolve-errors.js'
import type { SystemTxtResolverOptions, TxtResolver } from './txt-types.js'

export const systemTxtSupported = false
export const DNS_QUERY_TIMEOUT_MS = 5_000

export function systemTxtResolver (_options: SystemTxtResolverOptions = {}): TxtResolver {
  return async name => {
    throw new DnsResolverUnavailableError(`no DNS resolver in this runtime to look up ${name}; pass one (dohTxtResolver)`)
  }
}
