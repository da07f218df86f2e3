/** Node: the pure-JS curves by default (size is no concern there; the sync functions need them). */
import type { CurveFallback } from './fallback-types.js'
import { nobleCurves } from './noble.js'

export const DEFAULT_CURVE_FALLBACK: CurveFallback | undefined = nobleCurves
