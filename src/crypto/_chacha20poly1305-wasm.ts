/**
 * ChaCha20-Poly1305 on the assembly/chacha20poly1305.ts kernel: one WASM call
 * per seal or open. The message goes into DATA with one copy, the kernel works
 * in place, and the result comes back with one copy.
 *
 * Nothing secret outlives a call in linear memory: the key is loaded into KEY
 * for each call and zeroed after it (32 bytes each way cost nothing next to a
 * message), and DATA — plaintext after open, the message before seal — is
 * zeroed once the result is copied out. The kernel itself zeroes its keystream
 * and Poly1305 scratch (wipeTemporaries in assembly/chacha20poly1305.ts).
 *
 * Messages larger than the kernel's regions (plaintext > MAX_MESSAGE, i.e.
 * over Noise's 65535-byte frame, or AAD > AAD_CAPACITY) go to the JS fallback:
 * the AEAD cannot be split across calls without a streaming MAC, and nothing on
 * the Noise path is that large.
 */
import { Kernel, type KernelExports, type KernelInstance } from '../wasm/kernel.js'
import * as builds from '../wasm/generated/chacha20poly1305.js'
import type { ChaCha20Poly1305Implementation } from './_aead-types.js'
import { chacha20poly1305Js, joinParts, scatter } from './_chacha20poly1305-js.js'
import { DecryptionError } from './errors.js'

interface ChaCha20Poly1305Exports extends KernelExports {
  readonly KEY: WebAssembly.Global
  readonly NONCE: WebAssembly.Global
  readonly TAG: WebAssembly.Global
  readonly AAD: WebAssembly.Global
  readonly DATA: WebAssembly.Global
  readonly AAD_CAPACITY: WebAssembly.Global
  readonly MAX_MESSAGE: WebAssembly.Global
  seal: (aadLength: number, length: number) => void
  open: (aadLength: number, length: number) => number
  chacha20: (length: number, counter: number) => void
  poly1305: (length: number) => void
}

export const chacha20poly1305Kernel = /* @__PURE__ */ new Kernel<ChaCha20Poly1305Exports>('chacha20poly1305', builds)

const TAG_LENGTH = 16
/** Raw ChaCha20 runs in whole blocks per call so the counter advances exactly. */
const STREAM_CHUNK = 65536 - 64

/** Every implementation made so far, so that dispose() can reach each kernel's KEY. */
const live = new Set<ChaCha20Poly1305Implementation>()

/** Erases `key` from every kernel instance that holds it. */
export function forgetKeyInKernels (key: Uint8Array): void {
  for (const impl of live) impl.forget(key)
}

/** Builds the WASM implementation over one kernel instance. */
export function chacha20poly1305Wasm (k: KernelInstance<ChaCha20Poly1305Exports>): ChaCha20Poly1305Implementation {
  const e = k.exports
  const bytes = k.bytes
  const KEY = e.KEY.value as number
  const NONCE = e.NONCE.value as number
  const TAG = e.TAG.value as number
  const AAD = e.AAD.value as number
  const DATA = e.DATA.value as number
  const aadCapacity = e.AAD_CAPACITY.value as number
  const maxMessage = e.MAX_MESSAGE.value as number
  const { seal, open } = e

  const load = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array | undefined): void => {
    bytes.set(key, KEY)
    bytes.set(nonce, NONCE)
    if (aad !== undefined && aad.length > 0) bytes.set(aad, AAD)
  }
  /** Zeroes the key and the first `length` bytes of DATA (message plus tag). */
  const wipe = (length: number): void => {
    bytes.fill(0, KEY, KEY + 32)
    bytes.fill(0, DATA, DATA + length)
  }

  const impl: ChaCha20Poly1305Implementation = {
    seal (key, nonce, plaintext, aad) {
      const length = plaintext.length
      if (length > maxMessage || aad.length > aadCapacity) return chacha20poly1305Js.seal(key, nonce, plaintext, aad)
      load(key, nonce, aad)
      bytes.set(plaintext, DATA)
      seal(aad.length, length)
      const sealed = bytes.slice(DATA, DATA + length + TAG_LENGTH)
      wipe(length + TAG_LENGTH)
      return sealed
    },
    open (key, nonce, ciphertextAndTag, aad) {
      const length = ciphertextAndTag.length - TAG_LENGTH
      if (length > maxMessage || aad.length > aadCapacity) return chacha20poly1305Js.open(key, nonce, ciphertextAndTag, aad)
      load(key, nonce, aad)
      bytes.set(ciphertextAndTag, DATA)
      const ok = open(aad.length, length) === 1
      const plaintext = ok ? bytes.slice(DATA, DATA + length) : undefined
      wipe(length + TAG_LENGTH)
      if (plaintext === undefined) throw new DecryptionError('chacha20poly1305: authentication failed')
      return plaintext
    },
    sealInto (key, nonce, plaintext, aad, out, offset) {
      const length = plaintext.length
      if (length > maxMessage || aad.length > aadCapacity) { chacha20poly1305Js.sealInto(key, nonce, plaintext, aad, out, offset); return }
      load(key, nonce, aad)
      bytes.set(plaintext, DATA)
      seal(aad.length, length)
      out.set(bytes.subarray(DATA, DATA + length + TAG_LENGTH), offset)
      wipe(length + TAG_LENGTH)
    },
    openParts (key, nonce, parts, total, aad) {
      const length = total - TAG_LENGTH
      if (length > maxMessage || aad.length > aadCapacity) return chacha20poly1305Js.open(key, nonce, joinParts(parts, total), aad)
      load(key, nonce, aad)
      // Each piece straight into DATA: the message is assembled where the kernel reads it.
      let at = DATA
      for (const part of parts) { bytes.set(part, at); at += part.length }
      const ok = open(aad.length, length) === 1
      const plaintext = ok ? bytes.slice(DATA, DATA + length) : undefined
      wipe(total)
      if (plaintext === undefined) throw new DecryptionError('chacha20poly1305: authentication failed')
      return plaintext
    },
    openPartsInPlace (key, nonce, parts, total, aad) {
      const length = total - TAG_LENGTH
      if (length > maxMessage || aad.length > aadCapacity) { chacha20poly1305Js.openPartsInPlace(key, nonce, parts, total, aad); return }
      load(key, nonce, aad)
      let at = DATA
      for (const part of parts) { bytes.set(part, at); at += part.length }
      const ok = open(aad.length, length) === 1
      if (ok) scatter(bytes.subarray(DATA, DATA + length), parts)
      wipe(total)
      if (!ok) throw new DecryptionError('chacha20poly1305: authentication failed')
    },
    forget () {
      // KEY is zeroed after every call; this stays for callers that dispose explicitly.
      bytes.fill(0, KEY, KEY + 32)
    },
    chacha20 (key, nonce, data, counter) {
      const out = new Uint8Array(data.length)
      load(key, nonce, undefined)
      for (let offset = 0; offset < data.length; offset += STREAM_CHUNK) {
        const chunk = data.subarray(offset, offset + STREAM_CHUNK)
        bytes.set(chunk, DATA)
        e.chacha20(chunk.length, (counter + offset / 64) >>> 0)
        out.set(bytes.subarray(DATA, DATA + chunk.length), offset)
      }
      wipe(Math.min(data.length, STREAM_CHUNK))
      return out
    },
    poly1305 (key, message) {
      if (message.length > maxMessage) return chacha20poly1305Js.poly1305(key, message)
      bytes.set(key, KEY)
      bytes.set(message, DATA)
      e.poly1305(message.length)
      wipe(message.length)
      return bytes.slice(TAG, TAG + TAG_LENGTH)
    }
  }
  live.add(impl)
  return impl
}
