/** Node: every kernel's scalar build by default (size is no concern there). */
import type { ScalarKernels } from './scalar.js'
import { scalarKernels } from './generated/scalar-kernels.js'

export const DEFAULT_SCALAR_KERNELS: ScalarKernels | undefined = scalarKernels
