/**
 * The spec wants a predetermined payload (zeros are fine) so generating it
 * costs nothing. One zero chunk is shared by every writer; nothing writes into it.
 */
import { PERF_CHUNK_SIZE } from './constants.js'

let shared: Uint8Array | undefined

export function zeroChunk (length: number): Uint8Array {
  if (length > PERF_CHUNK_SIZE) return new Uint8Array(length)
  shared ??= new Uint8Array(PERF_CHUNK_SIZE)
  return shared.subarray(0, length)
}

/** Writes `total` zero bytes in chunks of at most PERF_CHUNK_SIZE. */
export async function writeZeros (write: (chunk: Uint8Array) => Promise<void>, total: number): Promise<void> {
  let left = total
  while (left > 0) {
    const n = Math.min(left, PERF_CHUNK_SIZE)
    await write(zeroChunk(n))
    left -= n
  }
}
