/**
 * TXT lookups over DNS-over-HTTPS (RFC 8484, the GET form with an
 * `application/dns-message` body), for browsers, where a page cannot send
 * DNS queries itself: `dohTxtResolver('https://resolver.example/dns-query')`.
 * The query and the answer go through our own codec (./message.ts).
 */
import { base64url } from 'multiformats/bases/base64'
import { DnsType } from './constants.js'
import { DnsMessageError } from './errors.js'
import { decodeDnsMessage, encodeDnsMessage, txtStrings } from './message.js'
import { DnsResolveError } from './resolve-errors.js'
import type { TxtResolver } from './txt-types.js'

/** Largest DoH answer read: 64 KiB, the most a DNS message can be (its length field elsewhere is 16 bits). */
export const MAX_DOH_RESPONSE_BYTES = 65_535

/** Time one DoH request may take: 5 s, as a system query. */
export const DOH_TIMEOUT_MS = 5_000

/** NXDOMAIN (RFC 1035 §4.1.1): the name does not exist, so there is nothing to resolve. */
const RCODE_NXDOMAIN = 3

export function dohTxtResolver (endpoint: string, { timeoutMs = DOH_TIMEOUT_MS, fetch: doFetch = globalThis.fetch } = {}): TxtResolver {
  return async (name, { signal } = {}) => {
    const query = encodeDnsMessage({ response: false, recursionDesired: true, questions: [{ name, type: DnsType.TXT }], answers: [], authorities: [], additionals: [] })
    const url = new URL(endpoint)
    // RFC 8484 §4.1: base64url without padding.
    url.searchParams.set('dns', base64url.baseEncode(query))
    const timeout = AbortSignal.timeout(timeoutMs)
    const response = await doFetch(url, { headers: { accept: 'application/dns-message' }, signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]) })
      .catch((err: unknown) => { throw new DnsResolveError(`DoH request for ${name} failed: ${(err as Error).message}`, { cause: err }) })
    if (!response.ok) throw new DnsResolveError(`DoH request for ${name}: HTTP ${response.status}`)
    const declared = Number(response.headers.get('content-length') ?? 0)
    if (declared > MAX_DOH_RESPONSE_BYTES) throw new DnsResolveError(`DoH answer of ${declared} bytes exceeds ${MAX_DOH_RESPONSE_BYTES}`)
    const bytes = new Uint8Array(await response.arrayBuffer())
    if (bytes.length > MAX_DOH_RESPONSE_BYTES) throw new DnsResolveError(`DoH answer of ${bytes.length} bytes exceeds ${MAX_DOH_RESPONSE_BYTES}`)
    let message
    try {
      message = decodeDnsMessage(bytes, { maxSize: MAX_DOH_RESPONSE_BYTES })
    } catch (err) {
      if (err instanceof DnsMessageError) throw new DnsResolveError(`DoH answer for ${name} is not a DNS message: ${err.message}`, { cause: err })
      throw err
    }
    if (message.rcode === RCODE_NXDOMAIN) return []
    if (message.rcode !== 0) throw new DnsResolveError(`DoH answer for ${name}: rcode ${message.rcode ?? '?'}`)
    return message.answers.filter(r => r.type === DnsType.TXT && r.name.toLowerCase() === name.toLowerCase()).map(r => txtStrings(r.data))
  }
}
