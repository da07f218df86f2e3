/**
 * The kernels' scalar WASM builds: what runs where WebAssembly does but its
 * SIMD proposal does not (Safari before 16.4, Chrome before 91, Firefox
 * before 89), or under `useBackend('wasm')`. Every current browser runs the
 * SIMD builds, so a browser bundle carries the scalar ones only when the
 * program asks for them, like the pure-JS curves (src/crypto/curves/fallback.ts):
 * by default in Node through `#wasm/default-scalar` (package.json `imports`),
 * on request in a browser bundle:
 *
 *   import { enableScalarKernels, scalarKernels } from 'wasp2p'
 *   enableScalarKernels(scalarKernels)
 *
 * Without them, an engine without SIMD runs the pure-JS fallbacks, which
 * every bundle carries. They cost 2.7 KB gzipped of the basic browser node
 * (bench/bundle.js, "+ scalar-kernels").
 */
import { DEFAULT_SCALAR_KERNELS } from '#wasm/default-scalar'
import { reselectBackends } from './backend.js'

/** One kernel's scalar build as build/build.js writes it into src/wasm/generated/<kernel>.scalar.ts. */
export interface ScalarBuild {
  /** base64 of the build's raw DEFLATE stream. */
  readonly packed: string
  readonly scalarLength: number
}

/** Scalar builds by kernel name (`scalarKernels` has every kernel's). */
export type ScalarKernels = Readonly<Record<string, ScalarBuild>>

const enabled = new Map<string, ScalarBuild>(Object.entries(DEFAULT_SCALAR_KERNELS ?? {}))

/** Makes these scalar builds available to their kernels, for the whole program. */
export function enableScalarKernels (kernels: ScalarKernels): void {
  for (const [name, build] of Object.entries(kernels)) enabled.set(name, build)
  // A kernel that settled on the JS fallback for want of a scalar build chooses again.
  reselectBackends()
}

/** The scalar build of kernel `name`, if enabled. */
export function scalarBuild (name: string): ScalarBuild | undefined {
  return enabled.get(name)
}
