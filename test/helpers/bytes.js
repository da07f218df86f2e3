// Byte helpers shared by tests (browser-safe: no node: modules).

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
export function patternBytes (length, seed = 1) {
  const out = new Uint8Array(length)
  let x = seed | 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

export function concat (chunks) {
  const length = chunks.reduce((n, c) => n + c.length, 0)
  const out = new Uint8Array(length)
  let offset = 0
  for (const c of chunks) { out.set(c, offset); offset += c.length }
  return out
}

/** Reads a source to its end and returns all bytes. */
export async function readAll (source) {
  const chunks = []
  for await (const chunk of source) chunks.push(chunk.slice())
  return concat(chunks)
}

export function equalBytes (a, b) {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Writes `data` in chunks of `size`. */
export async function writeChunked (stream, data, size = 64 * 1024) {
  for (let offset = 0; offset < data.length; offset += size) {
    await stream.write(data.subarray(offset, Math.min(offset + size, data.length)))
  }
}

/** Rejects after `ms` so a broken test fails instead of hanging. */
export function withTimeout (promise, ms, what) {
  let timer
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms) })
  ])
}

export const utf8 = s => new TextEncoder().encode(s)
export const text = b => new TextDecoder().decode(b)
