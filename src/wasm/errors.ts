/** An AssemblyScript `abort()` inside a kernel: a bug or a broken invariant, never bad input. */
export class WasmAbortError extends Error {
  override name = 'WasmAbortError'
  constructor (message: string, readonly file: string, readonly line: number, readonly column: number) {
    super(`${message} (${file}:${line}:${column})`)
  }
}

/** The requested backend cannot run here (for example `wasm-simd` where SIMD does not validate). */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError'
}
