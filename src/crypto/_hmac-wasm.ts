/**
 * HMAC-SHA256 and HKDF-SHA256 in one WASM call each (the kernel's `hmac` and
 * `hkdf` exports, assembly/lib/hmac-sha256.ts): Noise derives keys with short
 * inputs several times per handshake, where per-call overhead is the cost.
 * Inputs larger than the kernel's INPUT region take the generic path over the
 * same kernel's streaming SHA-256.
 *
 * The kernel zeroes its input and intermediate state at the end of each call;
 * the result in OUTPUT is zeroed here once copied out, so no key or derived
 * key stays in linear memory between calls.
 */
import { genericMac } from './_hmac-generic.js'
import { layoutOf, type Sha256Exports } from './_sha256-wasm.js'
import type { MacImplementation, Sha256Implementation } from './_types.js'
import type { KernelInstance } from '../wasm/kernel.js'

/** HMAC and HKDF on the kernel instance `k`, whose SHA-256 is `sha`. */
export function macWasm (k: KernelInstance<Sha256Exports>, sha: Sha256Implementation): MacImplementation {
  const { input, output, inputCapacity } = layoutOf(k)
  const large = genericMac(sha)
  return {
    hmac (key: Uint8Array, data: Uint8Array): Uint8Array {
      if (key.length + data.length > inputCapacity) return large.hmac(key, data)
      k.bytes.set(key, input)
      k.bytes.set(data, input + key.length)
      k.exports.hmac(key.length, data.length)
      const tag = k.bytes.slice(output, output + 32)
      k.bytes.fill(0, output, output + 32)
      return tag
    },
    hkdf (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
      if (salt.length + ikm.length + info.length > inputCapacity) return large.hkdf(ikm, salt, info, length)
      k.bytes.set(salt, input)
      k.bytes.set(ikm, input + salt.length)
      k.bytes.set(info, input + salt.length + ikm.length)
      k.exports.hkdf(salt.length, ikm.length, info.length, length)
      const okm = k.bytes.slice(output, output + length)
      // The kernel writes whole 32-byte blocks: the last one may run past `length`.
      k.bytes.fill(0, output, output + ((length + 31) & ~31))
      return okm
    }
  }
}
