/**
 * Pure-JS ChaCha20-Poly1305 (RFC 8439 §2.8), our own, written for size
 * (./_chacha20-js.ts, ./_poly1305-js.ts): the fallback where no WASM build
 * runs, carried by every browser bundle (it replaced @noble/ciphers, 4 KB
 * gzipped; bench/bundle.js). It verifies the tag in constant time before
 * decrypting. Same interface as the WASM path, which also hands it messages
 * larger than the kernel's regions.
 */
import type { ChaCha20Poly1305Implementation } from './_aead-types.js'
import { chacha20Into, poly1305KeyGen } from './_chacha20-js.js'
import { poly1305, poly1305Finish, poly1305Start, poly1305Update } from './_poly1305-js.js'
import { DecryptionError } from './errors.js'

/** RFC 8439 §2.8: the tag over aad ‖ pad16 ‖ ciphertext ‖ pad16 ‖ le64(aad length) ‖ le64(ciphertext length). */
function tagOf (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  poly1305Start(poly1305KeyGen(key, nonce))
  poly1305Update(aad, true)
  poly1305Update(ciphertext, true)
  const lengths = new Uint8Array(16)
  const view = new DataView(lengths.buffer)
  view.setUint32(0, aad.length, true)
  view.setUint32(4, Math.floor(aad.length / 2 ** 32), true)
  view.setUint32(8, ciphertext.length, true)
  view.setUint32(12, Math.floor(ciphertext.length / 2 ** 32), true)
  poly1305Update(lengths, true)
  return poly1305Finish()
}

export const chacha20poly1305Js: ChaCha20Poly1305Implementation = {
  seal (key, nonce, plaintext, aad) {
    const out = new Uint8Array(plaintext.length + 16)
    chacha20poly1305Js.sealInto(key, nonce, plaintext, aad, out, 0)
    return out
  },
  open (key, nonce, ciphertextAndTag, aad) {
    const length = ciphertextAndTag.length - 16
    const ciphertext = ciphertextAndTag.subarray(0, length)
    const expected = tagOf(key, nonce, aad, ciphertext)
    // Constant time: every byte is compared whatever the first difference.
    let diff = 0
    for (let i = 0; i < 16; i++) diff |= expected[i]! ^ ciphertextAndTag[length + i]!
    if (diff !== 0) throw new DecryptionError('chacha20poly1305: authentication failed')
    const out = new Uint8Array(length)
    chacha20Into(key, nonce, ciphertext, 1, out, 0)
    return out
  },
  sealInto (key, nonce, plaintext, aad, out, offset) {
    // Written forward byte by byte: a plaintext sharing out's buffer is read from a copy.
    chacha20Into(key, nonce, plaintext.buffer === out.buffer ? plaintext.slice() : plaintext, 1, out, offset)
    out.set(tagOf(key, nonce, aad, out.subarray(offset, offset + plaintext.length)), offset + plaintext.length)
  },
  openParts (key, nonce, parts, length, aad) {
    return chacha20poly1305Js.open(key, nonce, joinParts(parts, length), aad)
  },
  openPartsInPlace (key, nonce, parts, length, aad) {
    scatter(chacha20poly1305Js.open(key, nonce, joinParts(parts, length), aad), parts)
  },
  forget: () => {},
  chacha20 (key, nonce, data, counter) {
    const out = new Uint8Array(data.length)
    chacha20Into(key, nonce, data, counter, out, 0)
    return out
  },
  poly1305
}

/** The pieces of one message as one array (the first piece itself when it is the whole message). */
export function joinParts (parts: readonly Uint8Array[], length: number): Uint8Array {
  const first = parts[0]
  if (parts.length === 1 && first !== undefined && first.length === length) return first
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) { out.set(part, offset); offset += part.length }
  return out
}

/** Writes `bytes` over the start of `parts`, in order. */
export function scatter (bytes: Uint8Array, parts: readonly Uint8Array[]): void {
  let offset = 0
  for (const part of parts) {
    if (offset >= bytes.length) return
    const n = Math.min(part.length, bytes.length - offset)
    part.set(bytes.subarray(offset, offset + n))
    offset += n
  }
}
