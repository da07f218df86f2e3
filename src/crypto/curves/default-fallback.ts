/** Browsers and other bundles: WebCrypto only, unless the program enables the pure-JS curves (./fallback.ts). */
import type { CurveFallback } from './fallback-types.js'

export const DEFAULT_CURVE_FALLBACK: CurveFallback | undefined = undefined
