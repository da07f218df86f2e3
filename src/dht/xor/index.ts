/**
 * The Kademlia XOR metric (kad-dht spec, "Distance"): keys are sha256 digests, the
 * distance of two keys is their XOR read as a 256-bit big-endian integer, and a peer's
 * k-bucket is the length of the prefix its key shares with ours.
 *
 * Runs on the assembly/xor.ts kernel (SIMD or scalar) with a pure-JS fallback of the
 * same interface, following `useBackend()` like the crypto kernels.
 */
import type { Backend } from '../../wasm/backend.js'
import type { KernelInstance } from '../../wasm/kernel.js'
import { checkKey, KeyTable } from './key-table.js'
import { xorJs } from './_xor-js.js'
import { xorKernel, xorWasm } from './_xor-wasm.js'
import type { XorImplementation } from './_types.js'

export { KeyTable, KeyTableFullError, KEY_BYTES, MAX_TABLE_KEYS } from './key-table.js'
export type { XorImplementation }

const wasmImplementations = new WeakMap<KernelInstance<any>, XorImplementation>()

function active (): XorImplementation {
  const k = xorKernel.get()
  if (k === undefined) return xorJs
  let impl = wasmImplementations.get(k)
  if (impl === undefined) { impl = xorWasm(k); wasmImplementations.set(k, impl) }
  return impl
}

/** The backend the XOR metric runs on now: 'wasm-simd', 'wasm' or 'js'. */
export function xorBackend (): Backend {
  return xorKernel.backend()
}

/** The XOR distance a ⊕ b of two 32-byte keys. */
export function xorDistance (a: Uint8Array, b: Uint8Array): Uint8Array {
  checkKey(a, 'a'); checkKey(b, 'b')
  return active().distance(a, b)
}

/** Sign of d(a, target) − d(b, target): −1 when a is nearer to target, 0 when as near, 1 when farther. */
export function compareDistance (a: Uint8Array, b: Uint8Array, target: Uint8Array): number {
  checkKey(a, 'a'); checkKey(b, 'b'); checkKey(target, 'target')
  return active().compare(a, b, target)
}

/** Leading equal bits of two keys (0–256) = leading zero bits of their distance = k-bucket index. */
export function commonPrefixLength (a: Uint8Array, b: Uint8Array): number {
  checkKey(a, 'a'); checkKey(b, 'b')
  return active().commonPrefixLength(a, b)
}

/**
 * Indices into `table` of the min(count, table.size) keys nearest to `target`, nearest
 * first; keys at equal distance keep table order. One kernel call for the whole table.
 */
export function closestIndices (table: KeyTable, target: Uint8Array, count: number): Uint32Array {
  if (!(table instanceof KeyTable)) throw new TypeError('table must be a KeyTable')
  checkKey(target, 'target')
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`)
  return active().closest(table, target, count)
}
