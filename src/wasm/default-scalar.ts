/** Browsers and other bundles: the SIMD builds and the JS fallbacks only, unless the program enables the scalar builds (./scalar.ts). */
import type { ScalarKernels } from './scalar.js'

export const DEFAULT_SCALAR_KERNELS: ScalarKernels | undefined = undefined
