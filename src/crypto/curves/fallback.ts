/**
 * The pure-JS Ed25519 and X25519 that serve where WebCrypto lacks them (old
 * browsers, plain-HTTP pages without `crypto.subtle`, `useBackend('js')`) and
 * for the synchronous functions. It is @noble/curves (./noble.ts), about
 * 13 KB gzipped, more than a sixth of the basic browser bundle, while every
 * current browser implements both curves in WebCrypto. So it is a value a
 * program enables, like the key types (src/keys/registry.ts): by default in
 * Node through `#curves/default-fallback` (package.json `imports`), on request
 * in a browser bundle:
 *
 *   import { enableCurveFallback, nobleCurves } from 'wasp2p'
 *   enableCurveFallback(nobleCurves)
 *
 * Without it a browser bundle still runs the whole node on WebCrypto; what
 * would need the fallback is a CurveUnavailableError that says so.
 */
import { DEFAULT_CURVE_FALLBACK } from '#curves/default-fallback'
import { CurveUnavailableError } from './errors.js'
import type { CurveFallback } from './fallback-types.js'

let enabled: CurveFallback | undefined

/** Makes `fallback` serve wherever WebCrypto cannot, for every node and key of this program. */
export function enableCurveFallback (fallback: CurveFallback): void {
  enabled = fallback
}

/** The pure-JS curves if enabled or a runtime default, else undefined. */
export function optionalCurveFallback (): CurveFallback | undefined {
  return enabled ?? DEFAULT_CURVE_FALLBACK
}

/** The pure-JS curves, or CurveUnavailableError naming what needed them. */
export function curveFallback (what: string): CurveFallback {
  const fallback = optionalCurveFallback()
  if (fallback !== undefined) return fallback
  throw new CurveUnavailableError(`${what} needs WebCrypto, which lacks it here (or useBackend('js') is in force), or the pure-JS curves: call enableCurveFallback(nobleCurves) (exported by wasp2p) first`)
}
