/**
 * Perf client (perf spec, "Protocol", client steps 1–5): request `download`
 * bytes, upload `upload` bytes, half-close, count what comes back. Timings
 * are taken by the client, as the spec's benchmarks prescribe.
 */
import type { ByteStream } from '../../stream/types.js'
import { PERF_HEADER_LENGTH } from './constants.js'
import { PerfLengthMismatchError } from './errors.js'
import { writeZeros } from './_zeros.js'

export interface PerfOptions {
  /** Bytes to send (default 0). */
  upload?: number
  /** Bytes to ask the server for (default 0). */
  download?: number
}

export interface PerfTimings {
  /** From the first write to the half-close having been accepted, ms. */
  upload: number
  /** From the half-close to the first byte of the download (the server's turnaround), ms. */
  firstByte: number
  /** From the half-close to the end of the stream, ms. */
  download: number
  /** The whole exchange, ms. */
  total: number
}

export interface PerfResult {
  uploadBytes: number
  downloadBytes: number
  timings: PerfTimings
}

function checkAmount (value: number | undefined, what: string): number {
  const n = value ?? 0
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative safe integer, got ${n}`)
  return n
}

/** Runs one perf exchange on `stream` (already negotiated to PERF_PROTOCOL). */
export async function perf (stream: ByteStream, options: PerfOptions = {}): Promise<PerfResult> {
  const upload = checkAmount(options.upload, 'upload')
  const download = checkAmount(options.download, 'download')
  const header = new Uint8Array(PERF_HEADER_LENGTH)
  new DataView(header.buffer).setBigUint64(0, BigInt(download), false)
  try {
    const start = performance.now()
    await stream.write(header)
    await writeZeros(async chunk => { await stream.write(chunk) }, upload)
    await stream.closeWrite()
    const uploaded = performance.now()
    let firstByte: number | undefined
    let downloadBytes = 0
    for await (const chunk of stream) {
      if (chunk.length === 0) continue
      firstByte ??= performance.now()
      downloadBytes += chunk.length
      // Stop at once rather than count an unbounded surplus.
      if (downloadBytes > download) throw new PerfLengthMismatchError(`the server sent more than the ${download} bytes requested`)
    }
    const end = performance.now()
    if (downloadBytes !== download) {
      throw new PerfLengthMismatchError(`the server sent ${downloadBytes} bytes, ${download} were requested`)
    }
    await stream.close()
    return {
      uploadBytes: upload,
      downloadBytes,
      timings: { upload: uploaded - start, firstByte: (firstByte ?? end) - uploaded, download: end - uploaded, total: end - start }
    }
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}
