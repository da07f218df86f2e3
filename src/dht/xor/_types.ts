/** The interface every XOR-metric backend (wasm-simd, wasm, js) implements identically. */
import type { KeyTable } from './key-table.js'

export interface XorImplementation {
  /** a ⊕ b (32 bytes). */
  distance: (a: Uint8Array, b: Uint8Array) => Uint8Array
  /** Sign of d(a, target) − d(b, target): −1, 0 or 1. */
  compare: (a: Uint8Array, b: Uint8Array, target: Uint8Array) => number
  /** Leading equal bits of a and b, 0–256. */
  commonPrefixLength: (a: Uint8Array, b: Uint8Array) => number
  /** Indices of the min(count, table.size) keys nearest to target, nearest first; ties by lower index. */
  closest: (table: KeyTable, target: Uint8Array, count: number) => Uint32Array
}
