/**
 * The frame scanner on the assembly/yamux.ts kernel: one copy of the chunk
 * into linear memory and one call per chunk, however many frames it holds.
 * The kernel has one table, so one WasmFrameScanner serves all sessions; the
 * decoder reads the table right after each scan, before anything else runs.
 */
import { Kernel, type KernelExports, type KernelInstance } from '../../wasm/kernel.js'
import * as builds from '../../wasm/generated/yamux.js'
import type { FrameScanner } from './scanner.js'

interface YamuxExports extends KernelExports {
  readonly INPUT: WebAssembly.Global
  readonly TABLE: WebAssembly.Global
  readonly RESULT: WebAssembly.Global
  readonly INPUT_CAPACITY: WebAssembly.Global
  readonly TABLE_CAPACITY: WebAssembly.Global
  scan: (length: number, maxDataLength: number) => number
}

export const yamuxKernel = /* @__PURE__ */ new Kernel<YamuxExports>('yamux', builds)

export class WasmFrameScanner implements FrameScanner {
  readonly table: Uint32Array
  readonly capacity: number
  readonly #kernel: KernelInstance<YamuxExports>
  readonly #input: number
  readonly #resultIndex: number
  readonly #words: Uint32Array

  constructor (kernel: KernelInstance<YamuxExports>) {
    const e = kernel.exports
    this.#kernel = kernel
    this.#input = e.INPUT.value
    this.capacity = e.INPUT_CAPACITY.value
    this.table = new Uint32Array(e.memory.buffer, e.TABLE.value, e.TABLE_CAPACITY.value * 4)
    this.#words = new Uint32Array(e.memory.buffer)
    this.#resultIndex = e.RESULT.value >>> 2
  }

  get consumed (): number { return this.#words[this.#resultIndex] as number }

  scan (bytes: Uint8Array, maxDataLength: number): number {
    this.#kernel.bytes.set(bytes, this.#input)
    // The kernel's `maxDataLength` is u32; JS passes it as i32 bits.
    return this.#kernel.exports.scan(bytes.length, maxDataLength | 0)
  }
}

const scanners = new WeakMap<KernelInstance<YamuxExports>, WasmFrameScanner>()

/** The WASM scanner for the active backend, or undefined when the JS fallback must serve. */
export function wasmFrameScanner (): WasmFrameScanner | undefined {
  const k = yamuxKernel.get()
  if (k === undefined) return undefined
  let scanner = scanners.get(k)
  if (scanner === undefined) { scanner = new WasmFrameScanner(k); scanners.set(k, scanner) }
  return scanner
}
