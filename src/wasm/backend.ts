/**
 * Which implementation the kernels run: the SIMD WASM build, the scalar WASM
 * build, or the pure-JS fallback. `auto` takes the best one that validates here.
 *
 * Tests and benchmarks force a backend with `useBackend()`, or before start-up
 * with the `WASP2P_BACKEND` environment variable (Node) or
 * `globalThis.WASP2P_BACKEND` (browsers).
 */
export type Backend = 'wasm-simd' | 'wasm' | 'js'
export type BackendChoice = Backend | 'auto'

const CHOICES: readonly BackendChoice[] = ['auto', 'wasm-simd', 'wasm', 'js']

let choice: BackendChoice | undefined
const listeners = new Set<() => void>()

function fromEnvironment (): BackendChoice {
  const g = globalThis as { WASP2P_BACKEND?: unknown, process?: { env?: Record<string, string | undefined> } }
  const value = g.WASP2P_BACKEND ?? g.process?.env?.WASP2P_BACKEND
  if (value === undefined || value === '') return 'auto'
  if (typeof value === 'string' && (CHOICES as string[]).includes(value)) return value as BackendChoice
  throw new TypeError(`WASP2P_BACKEND must be one of ${CHOICES.join(', ')}; got ${String(value)}`)
}

/** The backend requested by the user or the environment (`auto` unless forced). */
export function requestedBackend (): BackendChoice {
  choice ??= fromEnvironment()
  return choice
}

/** Forces every kernel onto one backend (`auto` restores the default choice). */
export function useBackend (backend: BackendChoice): void {
  if (!(CHOICES as string[]).includes(backend)) {
    throw new TypeError(`backend must be one of ${CHOICES.join(', ')}; got ${String(backend)}`)
  }
  choice = backend
  reselectBackends()
}

/** Every kernel drops its cached selection and chooses again at its next call (a forced switch, builds enabled). */
export function reselectBackends (): void {
  for (const listener of listeners) listener()
}

/** Kernels subscribe so that a forced switch drops their cached selection. */
export function onBackendChange (listener: () => void): void {
  listeners.add(listener)
}
