/** A TXT lookup, as the runtime or the application provides it (see ./txt.node.ts, ./doh.ts). */

/** The TXT records of `name`, each as its strings (node:dns's resolveTxt shape); [] when there are none. */
export type TxtResolver = (name: string, options?: { signal?: AbortSignal }) => Promise<string[][]>

export interface SystemTxtResolverOptions {
  /** DNS servers ('127.0.0.1:5300', '[::1]:53'); default the system's. */
  servers?: string[]
  /** Per-query timeout; default DNS_QUERY_TIMEOUT_MS. */
  timeoutMs?: number
}
