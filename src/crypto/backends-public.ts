/**
 * `backends.wasm` / `backends.js`: each primitive pinned to one backend,
 * whatever `useBackend()` says — for differential tests and benchmarks that
 * compare backends in one run. `backends.wasm` runs the SIMD build where it
 * validates, else the scalar build.
 *
 * Add a primitive to both objects here, with the same checked wrapper the
 * top-level function uses.
 */
import { checkedSha256, type Sha256 } from './sha256.js'
import { checkedChacha20Poly1305, type ChaCha20Poly1305 } from './chacha20poly1305.js'
import { checkedHmacSha256, type HmacSha256 } from './hmac.js'
import { checkedHkdfSha256, type HkdfSha256 } from './hkdf.js'
import { chacha20poly1305Js, macJs, sha256Js, wasmChacha20Poly1305, wasmMac, wasmSha256 } from './backends.js'

export interface PinnedBackend {
  readonly sha256: Sha256
  readonly hmacSha256: HmacSha256
  readonly hkdfSha256: HkdfSha256
  readonly chacha20poly1305: (key: Uint8Array) => ChaCha20Poly1305
}

export const backends: { readonly wasm: PinnedBackend, readonly js: PinnedBackend } = /* @__PURE__ */ Object.freeze({
  wasm: Object.freeze({
    sha256: checkedSha256(wasmSha256),
    hmacSha256: checkedHmacSha256(wasmMac),
    hkdfSha256: checkedHkdfSha256(wasmMac),
    chacha20poly1305: checkedChacha20Poly1305(wasmChacha20Poly1305)
  }),
  js: Object.freeze({
    sha256: checkedSha256(() => sha256Js),
    hmacSha256: checkedHmacSha256(macJs),
    hkdfSha256: checkedHkdfSha256(macJs),
    chacha20poly1305: checkedChacha20Poly1305(() => chacha20poly1305Js)
  })
})
