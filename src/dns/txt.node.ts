/**
 * TXT lookups in Node through node:dns (c-ares, the system's servers or the
 * ones given), selected through the package.json `imports` entry `#dns/txt`.
 */
import { Resolver } from 'node:dns/promises'
import { DnsResolveError } from './resolve-errors.js'
import type { SystemTxtResolverOptions, TxtResolver } from './txt-types.js'

export const systemTxtSupported = true

/**
 * Time one TXT query may take: 5 s (c-ares tries once; a bootstrap retry comes
 * later anyway). A silent server must not stall the node's start-up forever.
 */
export const DNS_QUERY_TIMEOUT_MS = 5_000

export function systemTxtResolver (options: SystemTxtResolverOptions = {}): TxtResolver {
  return async (name, { signal } = {}) => {
    const resolver = new Resolver({ timeout: options.timeoutMs ?? DNS_QUERY_TIMEOUT_MS, tries: 1 })
    if (options.servers !== undefined) resolver.setServers(options.servers)
    const abort = (): void => { resolver.cancel() }
    signal?.addEventListener('abort', abort, { once: true })
    try {
      return await resolver.resolveTxt(name)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      // No such name, or a name without TXT records: nothing to resolve, not a failure.
      if (code === 'ENOTFOUND' || code === 'ENODATA') return []
      throw new DnsResolveError(`TXT lookup of ${name} failed: ${code ?? (err as Error).message}`, { cause: err })
    } finally {
      signal?.removeEventListener('abort', abort)
    }
  }
}
