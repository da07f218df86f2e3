/** The loader's self-test kernel, for tests: which build runs, and an abort that must surface as WasmAbortError. */
import { Kernel, type KernelExports } from './kernel.js'
import * as builds from './generated/selftest.js'

interface SelftestExports extends KernelExports {
  buildKind: () => number
  checkNonNegative: (value: number) => number
}

export const selftestKernel = /* @__PURE__ */ new Kernel<SelftestExports>('selftest', builds)
