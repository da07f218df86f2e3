/**
 * Our own WASM loader: no wasm-pack, no @assemblyscript/loader, no bundler
 * plugin. Each kernel is embedded twice (SIMD and scalar build) as base64 by
 * build/build.js. Nothing is compiled on import: a kernel instantiates on its
 * first use (synchronously), or ahead of time through `init()` / `initSync()`.
 *
 * Browsers refuse synchronous compilation of modules over 4 KiB on the main
 * thread. There, under `auto`, the first calls run on the JS fallback while
 * the module compiles in the background; `await init()` avoids that window.
 */
import { base64ToBytes } from './base64.js'
import { type Backend, onBackendChange, requestedBackend } from './backend.js'
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

/** The base64 text of each build of a kernel, as written by build/build.js. */
export interface KernelBuilds {
  readonly simd: string
  readonly scalar: string
}

type Variant = 'simd' | 'scalar'

const registry = new Set<Kernel<KernelExports>>()

export class Kernel<E extends KernelExports> {
  readonly #builds: KernelBuilds
  readonly #bytes: Partial<Record<Variant, Uint8Array>> = {}
  readonly #instances: Partial<Record<Variant, KernelInstance<E>>> = {}
  readonly #pending: Partial<Record<Variant, Promise<KernelInstance<E>>>> = {}
  #selected: Variant | 'js' | undefined

  constructor (readonly name: string, builds: KernelBuilds) {
    this.#builds = builds
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
    await this.#pending[variant]
  }

  /** Instantiates synchronously; throws where the runtime forbids it. */
  initSync (): void {
    const variant = this.#select()
    if (variant === 'js' || this.#instances[variant] !== undefined) return
    this.#instantiate(variant, new WebAssembly.Module(this.#bytesOf(variant) as BufferSource))
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
      if (!hasWasm || !validates(selected)) throw new BackendUnavailableError(`${this.name}: the ${requested} build does not validate in this runtime`)
    } else if (hasWasm && validates('simd')) selected = 'simd'
    else if (hasWasm && validates('scalar')) selected = 'scalar'
    else selected = 'js'
    this.#selected = selected
    return selected
  }

  #validates (variant: Variant): boolean {
    if (typeof WebAssembly !== 'object') return false
    try { return WebAssembly.validate(this.#bytesOf(variant) as BufferSource) } catch { return false }
  }

  #bytesOf (variant: Variant): Uint8Array {
    return (this.#bytes[variant] ??= base64ToBytes(this.#builds[variant]))
  }

  #tryInstantiateSync (variant: Variant): boolean {
    try {
      this.#instantiate(variant, new WebAssembly.Module(this.#bytesOf(variant) as BufferSource))
      return true
    } catch (err) {
      if (err instanceof RangeError) return false // main-thread size limit in browsers
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
