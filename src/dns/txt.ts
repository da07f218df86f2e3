/**
 * The runtime's TXT resolver, chosen by the package.json `imports` entry
 * `#dns/txt` (Node: node:dns; browsers: none, bring your own). The explicit
 * types keep `#dns/txt` out of the published declarations.
 */
import * as selected from '#dns/txt'
import type { SystemTxtResolverOptions, TxtResolver } from './txt-types.js'

export type { SystemTxtResolverOptions, TxtResolver } from './txt-types.js'
/** Whether this runtime has a system TXT resolver. */
export const systemTxtSupported: boolean = selected.systemTxtSupported
export const DNS_QUERY_TIMEOUT_MS: number = selected.DNS_QUERY_TIMEOUT_MS
export const systemTxtResolver: (options?: SystemTxtResolverOptions) => TxtResolver = selected.systemTxtResolver
