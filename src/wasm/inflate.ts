/**
 * Unpacks the kernels build/build.js embeds as raw DEFLATE (RFC 1951): the
 * decoder is itself a small WASM module (assembly/inflate.ts, 2 KB), embedded
 * as plain base64, under 4 KiB so that even a browser's main thread compiles it
 * synchronously. It needs no JS twin: it only ever unpacks WASM kernels, so
 * wherever it cannot run, neither could they, and the JS fallbacks serve.
 *
 * Why WASM and not JS: this runs once per page, cold. A JS decoder (first
 * bit-serial, then table-driven) cost 14 ms more than the plain base64
 * embedding on a fresh Chromium page for the basic node's three kernels
 * (bench/bundle.js), more than compiling them; in the interpreter every
 * output byte costs several typed-array accesses. Compiled by Liftoff, the
 * same decoder costs well under a millisecond.
 */
import { base64ToBytes } from './base64.js'
import { wasm } from './generated/inflate.js'

/** Malformed or truncated DEFLATE data, more output than declared, or a stream beyond the decoder's capacity. */
export class InflateError extends Error {
  override name = 'InflateError'
}

interface InflateExports {
  readonly memory: WebAssembly.Memory
  readonly INPUT: WebAssembly.Global
  readonly OUTPUT: WebAssembly.Global
  readonly INPUT_CAPACITY: WebAssembly.Global
  readonly OUTPUT_CAPACITY: WebAssembly.Global
  inflate: (inputLength: number, outputLength: number) => number
}

/** The decoder's negative results (assembly/inflate.ts ERROR_*). */
const ERRORS: Record<number, string> = {
  [-1]: 'truncated DEFLATE stream',
  [-2]: 'invalid Huffman code or code lengths',
  [-3]: 'invalid block header',
  [-4]: 'distance reaches before the start of the output',
  [-5]: 'stream or output beyond the decoder\'s capacity'
}

let compiled: WebAssembly.Module | undefined

/**
 * Decodes a raw DEFLATE stream (no zlib or gzip wrapper) into exactly
 * `outputLength` bytes, stopping as soon as they are produced: a caller that
 * needs only a prefix of the stream pays only for that prefix. A fresh
 * instance per call, so that its buffers (a few hundred KiB) do not outlive
 * the unpacking.
 */
export function inflateRaw (input: Uint8Array, outputLength: number): Uint8Array {
  compiled ??= new WebAssembly.Module(base64ToBytes(wasm) as BufferSource)
  const e = new WebAssembly.Instance(compiled, {
    env: { abort (): never { throw new InflateError('decoder aborted') } }
  }).exports as unknown as InflateExports
  if (input.length > e.INPUT_CAPACITY.value || outputLength > e.OUTPUT_CAPACITY.value) {
    throw new InflateError(`${input.length} B stream to ${outputLength} B: beyond the decoder's ${e.INPUT_CAPACITY.value as number} B / ${e.OUTPUT_CAPACITY.value as number} B`)
  }
  const memory = new Uint8Array(e.memory.buffer)
  memory.set(input, e.INPUT.value)
  const result = e.inflate(input.length, outputLength)
  if (result !== outputLength) throw new InflateError(ERRORS[result] ?? `DEFLATE stream ended after ${result} of ${outputLength} bytes`)
  const start = e.OUTPUT.value as number
  return memory.slice(start, start + outputLength)
}
