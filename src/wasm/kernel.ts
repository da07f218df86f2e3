/**
 * Our own WASM loader: no wasm-pack, no @assemblyscript/loader, no bundler
 * plugin. build/build.js embeds each kernel's SIMD build as one raw DEFLATE
 * stream in base64 (src/wasm/generated/<kernel>.ts), and its scalar build the
 * same way in <kernel>.scalar.ts, which only Node and the pages that call
 * `enableScalarKernels()` carry (./scalar.ts). Nothing is compiled on import:
 * a kernel instantiates on its first use (synchronously), or ahead of time
 * through `init()` / `initSync()` (a node's `start()` runs `init()`).
 *
 * Browsers refuse synchronous compilation of modules over 4 KiB on the main
 * thread. There, under `auto`, the first calls run on the JS fallback while
 * the module compiles in the background; `await init()` avoids that window.
 *
 * The embedding, measured by `npm run bench -- bundle` (gzipped bundle bytes of
 * the five kernels; the page's gzip cannot see into base64, so the bytes must
 * be compressed before they are encoded):
 * - each build as plain base64 (until issue 15): 23.6 KB;
 * - each build deflated on its own, then base64: 18.8 KB;
 * - both builds in ONE raw DEFLATE stream, SIMD first (the scalar build
 *   compresses against the SIMD one): 15.6 KB;
 * - kept: the SIMD build alone in the basic browser bundle, the scalar build
 *   opt-in (2026-12-02): 2.7 KB less of the basic node. Every browser of the
 *   last years validates SIMD; an engine that does not runs the JS fallback,
 *   which every bundle carries anyway. Node enables the scalar builds.
 * The decoder is ./inflate.ts, a 2 KB WASM module.
 * Tried and dropped:
 * - `DecompressionStream('deflate-raw')`: asynchronous only, while the sync
 *   path (`initSync()`, first use in Node and in browser workers, forced
 *   backends in tests) must keep working, so it would come on top of a
 *   synchronous decoder rather than instead of one; and on a fresh Chromium
 *   page it made the first kernel call no faster than our decoder (the
 *   bench's first-call rows).
 * - a JS decoder: 1 KB gzipped, but cold, in the interpreter, it cost more
 *   than compiling the kernels (see ./inflate.ts).
 * - `wasm-opt -Oz` after asc's `-O3`: −0.3 KB gzipped over all kernels (the
 *   unrolled SIMD rounds stay unrolled); asc `shrinkLevel` 1 or 2: −0.25 KB.
 *   Neither is worth a speed risk on the hot kernels (STYLE: -O3, track size
 *   separately).
 */
import { base64ToBytes } from './base64.js'
import { inflateRaw } from './inflate.js'
import { type Backend, onBackendChange, requestedBackend } from './backend.js'
import { type ScalarBuild, scalarBuild } from './scalar.js'
import { BackendUnavailableError, WasmAbortError } from './errors.js'

export interface KernelExports {
  readonly memory: WebAssembly.Memory
}

export interface KernelInstance<E extends KernelExports> {
  readonly exports: E
  /** A view of the whole linear memory, made once (stub-runtime kernels never grow memory). */
  readonly bytes: Uint8Array
  readonly backend: 'wasm-simd' | 'wasm'
}

/** A kernel's SIMD build as build/build.js writes it into src/wasm/generated/<kernel>.ts. */
export interface KernelBuilds {
  /** base64 of the build's raw DEFLATE stream. */
  readonly packed: string
  readonly simdLength: number
}

type Variant = 'simd' | 'scalar'

/**
 * The smallest module using 128-bit SIMD (a function returning `v128.const 0`):
 * it validates exactly where the engine implements the SIMD proposal. Every
 * engine that shipped SIMD already had the other features the builds use
 * (bulk memory, sign extension, mutable globals, non-trapping conversions);
 * a build that fails anyway is caught by #abandonSimd.
 */
const SIMD_PROBE = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, // code section: one body, no locals, v128.const
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // its 16 immediate bytes
  0x0b // end
]

let simd: boolean | undefined

function simdSupported (): boolean {
  if (simd !== undefined) return simd
  try { simd = WebAssembly.validate(new Uint8Array(SIMD_PROBE)) } catch { simd = false }
  return simd
}

const registry = new Set<Kernel<KernelExports>>()

export class Kernel<E extends KernelExports> {
  readonly #builds: KernelBuilds
  /** The scalar build given to the constructor; otherwise the one enabled under this kernel's name (./scalar.ts). */
  readonly #scalar: ScalarBuild | undefined
  readonly #bytes: Partial<Record<Variant, Uint8Array>> = {}
  readonly #instances: Partial<Record<Variant, KernelInstance<E>>> = {}
  readonly #pending: Partial<Record<Variant, Promise<KernelInstance<E>>>> = {}
  #selected: Variant | 'js' | undefined
  /** The SIMD build failed to compile here although the probe passed (see #abandonSimd). */
  #simdFailed = false

  constructor (readonly name: string, builds: KernelBuilds, scalar?: ScalarBuild) {
    this.#builds = builds
    this.#scalar = scalar
    registry.add(this as unknown as Kernel<KernelExports>)
    onBackendChange(() => { this.#selected = undefined })
  }

  /** The backend this kernel runs on now. */
  backend (): Backend {
    const variant = this.#select()
    if (variant === 'js') return 'js'
    // Under auto, a browser may still be compiling: the JS fallback serves meanwhile.
    if (this.#instances[variant] === undefined && !this.#tryInstantiateSync(variant)) return 'js'
    return variant === 'simd' ? 'wasm-simd' : 'wasm'
  }

  /** The instance to call, or undefined when the JS fallback must serve this call. */
  get (): KernelInstance<E> | undefined {
    const variant = this.#select()
    if (variant === 'js') return undefined
    const ready = this.#instances[variant]
    if (ready !== undefined) return ready
    if (this.#tryInstantiateSync(variant)) return this.#instances[variant]
    if (requestedBackend() !== 'auto') {
      throw new BackendUnavailableError(`${this.name}: this runtime cannot compile the ${variant} build synchronously; await init() first`)
    }
    void this.init()
    return undefined
  }

  /**
   * The best WASM build (SIMD where it validates, else scalar) whatever
   * `useBackend()` selected: what `backends.wasm` in wasp2p/crypto runs on.
   * Throws BackendUnavailableError where no build validates, or where the
   * runtime cannot compile synchronously and `init()` has not compiled it yet.
   */
  wasm (): KernelInstance<E> {
    const simd = this.#instances.simd
    if (simd !== undefined) return simd
    const variant: Variant = this.#validates('simd') ? 'simd' : 'scalar'
    if (variant === 'scalar') {
      const scalar = this.#instances.scalar
      if (scalar !== undefined) return scalar
      if (!this.#validates('scalar')) throw new BackendUnavailableError(`${this.name}: no WASM build validates in this runtime`)
    }
    if (!this.#tryInstantiateSync(variant)) {
      throw new BackendUnavailableError(`${this.name}: this runtime cannot compile the ${variant} build synchronously; await init() first`)
    }
    return this.#instances[variant] as KernelInstance<E>
  }

  /** Compiles and instantiates the selected build asynchronously. */
  async init (): Promise<void> {
    const variant = this.#select()
    if (variant === 'js' || this.#instances[variant] !== undefined) return
    this.#pending[variant] ??= WebAssembly.compile(this.#bytesOf(variant) as BufferSource)
      .then(module => this.#instantiate(variant, module))
    try {
      await this.#pending[variant]
    } catch (err) {
      if (!this.#abandonSimd(variant, err)) throw err
      await this.init()
    }
  }

  /** Instantiates synchronously; throws where the runtime forbids it. */
  initSync (): void {
    const variant = this.#select()
    if (variant === 'js' || this.#instances[variant] !== undefined) return
    try {
      this.#instantiate(variant, new WebAssembly.Module(this.#bytesOf(variant) as BufferSource))
    } catch (err) {
      if (!this.#abandonSimd(variant, err)) throw err
      this.initSync()
    }
  }

  /**
   * Under `auto`, a SIMD build that fails to compile although the engine has
   * SIMD (see SIMD_PROBE) is dropped for the scalar one rather than failing.
   * True when it was; the caller then selects again.
   */
  #abandonSimd (variant: Variant, err: unknown): boolean {
    if (variant !== 'simd' || !(err instanceof WebAssembly.CompileError) || requestedBackend() !== 'auto') return false
    this.#simdFailed = true
    this.#selected = undefined
    this.#pending.simd = undefined
    return true
  }

  #select (): Variant | 'js' {
    if (this.#selected !== undefined) return this.#selected
    const requested = requestedBackend()
    const validates = (variant: Variant): boolean => this.#validates(variant)
    const hasWasm = typeof WebAssembly === 'object'
    let selected: Variant | 'js'
    if (requested === 'js') selected = 'js'
    else if (requested === 'wasm-simd' || requested === 'wasm') {
      selected = requested === 'wasm-simd' ? 'simd' : 'scalar'
      if (selected === 'scalar' && hasWasm && this.#scalar === undefined && scalarBuild(this.name) === undefined) this.#bytesOf('scalar') // throws: not enabled
      if (!hasWasm || !validates(selected)) throw new BackendUnavailableError(`${this.name}: the ${requested} build does not validate in this runtime`)
    } else if (hasWasm && validates('simd')) selected = 'simd'
    else if (hasWasm && validates('scalar')) selected = 'scalar'
    else selected = 'js'
    this.#selected = selected
    return selected
  }

  /**
   * Whether a build can run here. For the SIMD build, the probe answers
   * without inflating and decoding the whole build only to compile it again
   * right after (a validation pass over each kernel, on the first call's
   * path); the scalar build, the rare case, is validated in full.
   */
  #validates (variant: Variant): boolean {
    if (typeof WebAssembly !== 'object') return false
    if (variant === 'simd' && !this.#simdFailed) return simdSupported()
    try { return WebAssembly.validate(this.#bytesOf(variant) as BufferSource) } catch { return false }
  }

  /** The build's bytes, inflated once. A scalar build that is not enabled does not validate. */
  #bytesOf (variant: Variant): Uint8Array {
    const cached = this.#bytes[variant]
    if (cached !== undefined) return cached
    if (variant === 'simd') return (this.#bytes.simd = inflateRaw(base64ToBytes(this.#builds.packed), this.#builds.simdLength))
    const scalar = this.#scalar ?? scalarBuild(this.name)
    if (scalar === undefined) throw new BackendUnavailableError(`${this.name}: the scalar build is not enabled in this bundle: call enableScalarKernels(scalarKernels) (exported by wasp2p) first`)
    return (this.#bytes.scalar = inflateRaw(base64ToBytes(scalar.packed), scalar.scalarLength))
  }

  #tryInstantiateSync (variant: Variant): boolean {
    try {
      this.#instantiate(variant, new WebAssembly.Module(this.#bytesOf(variant) as BufferSource))
      return true
    } catch (err) {
      if (err instanceof RangeError) return false // main-thread size limit in browsers
      if (this.#abandonSimd(variant, err)) return false // this call on JS; the next selects scalar
      throw err
    }
  }

  #instantiate (variant: Variant, module: WebAssembly.Module): KernelInstance<E> {
    const existing = this.#instances[variant]
    if (existing !== undefined) return existing
    let memory: WebAssembly.Memory | undefined
    const instance = new WebAssembly.Instance(module, {
      env: {
        abort (message: number, file: number, line: number, column: number): never {
          const text = (ptr: number): string => memory === undefined ? '?' : readAssemblyScriptString(memory, ptr)
          throw new WasmAbortError(text(message), text(file), line, column)
        }
      }
    })
    const exports = instance.exports as unknown as E
    memory = exports.memory
    const created: KernelInstance<E> = {
      exports,
      bytes: new Uint8Array(memory.buffer),
      backend: variant === 'simd' ? 'wasm-simd' : 'wasm'
    }
    this.#instances[variant] = created
    return created
  }
}

/** AssemblyScript strings are UTF-16LE with their byte length in the 4 bytes before them. */
function readAssemblyScriptString (memory: WebAssembly.Memory, ptr: number): string {
  if (ptr === 0) return 'null'
  const view = new DataView(memory.buffer)
  const byteLength = view.getUint32(ptr - 4, true)
  let out = ''
  for (let i = 0; i < byteLength; i += 2) out += String.fromCharCode(view.getUint16(ptr + i, true))
  return out
}

/** Compiles every kernel loaded so far, asynchronously (needed in browsers before WASM can run synchronously). */
export async function init (): Promise<void> {
  await Promise.all([...registry].map(async kernel => { await kernel.init() }))
}

/** Compiles every kernel loaded so far, synchronously (Node, workers). */
export function initSync (): void {
  for (const kernel of registry) kernel.initSync()
}
