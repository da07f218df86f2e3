/**
 * SHA-256 on the assembly/sha256.ts kernel. One WASM call per digest for
 * inputs up to INPUT_CAPACITY; longer inputs are fed in chunks.
 *
 * The kernel holds one streaming context. Streaming hashers take turns: the
 * hasher that needs the kernel parks the previous owner's 112-byte context in
 * that owner's own buffer, and loads its own. One-shot digests that fit in
 * INPUT, batches, HMAC and HKDF run in contexts of their own inside the
 * kernel and leave the streaming context alone; only a one-shot digest longer
 * than INPUT_CAPACITY borrows it (and parks its owner first).
 */
import { Kernel, type KernelExports, type KernelInstance } from '../wasm/kernel.js'
import * as builds from '../wasm/generated/sha256.js'
import type { Sha256Hasher, Sha256Implementation } from './_types.js'

export interface Sha256Exports extends KernelExports {
  readonly INPUT: WebAssembly.Global
  readonly OUTPUT: WebAssembly.Global
  readonly CONTEXT: WebAssembly.Global
  readonly INPUT_CAPACITY: WebAssembly.Global
  readonly OUTPUT_CAPACITY: WebAssembly.Global
  readonly CONTEXT_SIZE: WebAssembly.Global
  init: () => void
  update: (length: number) => void
  final: () => void
  digest: (length: number) => void
  digestMany: (count: number, length: number) => void
  /** HMAC with the key at INPUT[0..keyLength) over the next dataLength bytes; tag to OUTPUT. */
  hmac: (keyLength: number, dataLength: number) => void
  /** HKDF of salt ‖ ikm ‖ info laid end to end in INPUT; `length` bytes to OUTPUT. */
  hkdf: (saltLength: number, ikmLength: number, infoLength: number, length: number) => void
}

export const sha256Kernel = /* @__PURE__ */ new Kernel<Sha256Exports>('sha256', builds)

export interface Layout {
  readonly input: number
  readonly output: number
  readonly context: number
  readonly inputCapacity: number
  readonly outputCapacity: number
  readonly contextSize: number
}

const layouts = new WeakMap<KernelInstance<Sha256Exports>, Layout>()
export function layoutOf (k: KernelInstance<Sha256Exports>): Layout {
  let layout = layouts.get(k)
  if (layout === undefined) {
    const e = k.exports
    layout = {
      input: e.INPUT.value, output: e.OUTPUT.value, context: e.CONTEXT.value,
      inputCapacity: e.INPUT_CAPACITY.value, outputCapacity: e.OUTPUT_CAPACITY.value, contextSize: e.CONTEXT_SIZE.value
    }
    layouts.set(k, layout)
  }
  return layout
}

/** Who holds the kernel's context now, per instance (simd and scalar have separate memories). */
const owners = new WeakMap<KernelInstance<Sha256Exports>, WasmHasher>()

function releaseContext (k: KernelInstance<Sha256Exports>): void {
  owners.get(k)?.park()
  owners.delete(k)
}

function absorb (k: KernelInstance<Sha256Exports>, layout: Layout, data: Uint8Array): void {
  for (let offset = 0; offset < data.length; offset += layout.inputCapacity) {
    const chunk = data.subarray(offset, offset + layout.inputCapacity)
    k.bytes.set(chunk, layout.input)
    k.exports.update(chunk.length)
  }
}

class WasmHasher implements Sha256Hasher {
  readonly #kernel: KernelInstance<Sha256Exports>
  readonly #layout: Layout
  #parked: Uint8Array | undefined
  #done = false

  constructor (kernel: KernelInstance<Sha256Exports>) {
    this.#kernel = kernel
    this.#layout = layoutOf(kernel)
    this.#claim()
    kernel.exports.init()
  }

  /** Saves this hasher's context out of the kernel (another user needs it). */
  park (): void {
    const { context, contextSize } = this.#layout
    this.#parked = this.#kernel.bytes.slice(context, context + contextSize)
  }

  #claim (): void {
    const k = this.#kernel
    if (owners.get(k) === this) return
    releaseContext(k)
    owners.set(k, this)
    if (this.#parked !== undefined) k.bytes.set(this.#parked, this.#layout.context)
  }

  update (data: Uint8Array): Sha256Hasher {
    if (this.#done) throw new Error('sha256: hasher already finalized')
    this.#claim()
    absorb(this.#kernel, this.#layout, data)
    return this
  }

  digest (): Uint8Array {
    if (this.#done) throw new Error('sha256: hasher already finalized')
    this.#claim()
    this.#done = true
    this.#kernel.exports.final()
    owners.delete(this.#kernel)
    const { output } = this.#layout
    return this.#kernel.bytes.slice(output, output + 32)
  }
}

/** Builds the WASM implementation over one kernel instance. */
export function sha256Wasm (k: KernelInstance<Sha256Exports>): Sha256Implementation {
  const layout = layoutOf(k)
  return {
    digest (data: Uint8Array): Uint8Array {
      if (data.length <= layout.inputCapacity) {
        k.bytes.set(data, layout.input)
        k.exports.digest(data.length)
      } else {
        releaseContext(k)
        k.exports.init()
        absorb(k, layout, data)
        k.exports.final()
      }
      return k.bytes.slice(layout.output, layout.output + 32)
    },
    create: () => new WasmHasher(k),
    digestMany (messages: Uint8Array, length: number): Uint8Array {
      const count = messages.length / length
      const out = new Uint8Array(count * 32)
      // Whole messages per call, bounded by both regions; a multiple of 4 where
      // possible, since the SIMD build hashes four at a time and the rest singly.
      const fits = Math.max(1, Math.min(Math.floor(layout.inputCapacity / length), layout.outputCapacity >> 5))
      const perCall = fits >= 4 ? fits & ~3 : fits
      if (length > layout.inputCapacity) {
        for (let i = 0; i < count; i++) out.set(this.digest(messages.subarray(i * length, (i + 1) * length)), i * 32)
        return out
      }
      for (let first = 0; first < count; first += perCall) {
        const n = Math.min(perCall, count - first)
        k.bytes.set(messages.subarray(first * length, (first + n) * length), layout.input)
        k.exports.digestMany(n, length)
        out.set(k.bytes.subarray(layout.output, layout.output + n * 32), first * 32)
      }
      return out
    }
  }
}
