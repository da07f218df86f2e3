/**
 * The XOR metric on the assembly/xor.ts kernel. The kernel's table region holds one
 * KeyTable at a time: the table that last ran closest() stays resident, and is copied
 * in again (rows + one index() call) only when another table ran in between or it
 * changed since (its version moved).
 */
import { Kernel, type KernelExports, type KernelInstance } from '../../wasm/kernel.js'
import * as builds from '../../wasm/generated/xor.js'
import { KEY_BYTES, type KeyTable } from './key-table.js'
import type { XorImplementation } from './_types.js'

interface XorExports extends KernelExports {
  readonly TABLE: WebAssembly.Global
  readonly INDICES: WebAssembly.Global
  readonly TARGET: WebAssembly.Global
  readonly A: WebAssembly.Global
  readonly B: WebAssembly.Global
  readonly OUT: WebAssembly.Global
  readonly MAX_KEYS: WebAssembly.Global
  index: (first: number, count: number) => void
  closest: (n: number, k: number) => number
  distance: () => void
  compare: () => number
  commonPrefixLength: () => number
}

export const xorKernel = /* @__PURE__ */ new Kernel<XorExports>('xor', builds)

/** Builds the WASM implementation over one kernel instance. */
export function xorWasm (k: KernelInstance<XorExports>): XorImplementation {
  const e = k.exports
  const bytes = k.bytes
  const table = e.TABLE.value as number
  const target = e.TARGET.value as number
  const a = e.A.value as number
  const b = e.B.value as number
  const out = e.OUT.value as number
  const indices = new Uint32Array(bytes.buffer, e.INDICES.value as number, e.MAX_KEYS.value as number)
  let resident: KeyTable | undefined
  let residentVersion = -1

  return {
    distance (x, y) {
      bytes.set(x, a); bytes.set(y, b)
      e.distance()
      return bytes.slice(out, out + KEY_BYTES)
    },
    compare (x, y, t) {
      bytes.set(x, a); bytes.set(y, b); bytes.set(t, target)
      return e.compare()
    },
    commonPrefixLength (x, y) {
      bytes.set(x, a); bytes.set(y, b)
      return e.commonPrefixLength()
    },
    closest (keys, t, count) {
      const n = keys.size
      if (resident !== keys || residentVersion !== keys.version) {
        bytes.set(keys.rows, table)
        e.index(0, n)
        resident = keys
        residentVersion = keys.version
      }
      bytes.set(t, target)
      const selected = e.closest(n, Math.min(count, n))
      return indices.slice(0, selected)
    }
  }
}
