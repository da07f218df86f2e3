/**
 * Perf server (perf spec, "Protocol", server steps 1–5): read the requested
 * size, count and discard the upload until the client half-closes, only then
 * send the requested bytes, then close. The upload is never buffered, so its
 * size does not matter; the download is capped by maxDownloadBytes.
 */
import { ByteReader, UnexpectedEndError } from '../../stream/byte-reader.js'
import type { ByteStream } from '../../stream/types.js'
import { withTimeout } from '../_timeout.js'
import { PERF_HEADER_LENGTH, PERF_HEADER_TIMEOUT_MS, PERF_IDLE_TIMEOUT_MS, PERF_MAX_DOWNLOAD_BYTES, PERF_MAX_DURATION_MS } from './constants.js'
import { PerfHeaderError, PerfLimitError, PerfTimeoutError } from './errors.js'
import { writeZeros } from './_zeros.js'

export interface PerfServerOptions {
  /** Default PERF_MAX_DOWNLOAD_BYTES. */
  maxDownloadBytes?: number
  /** Default PERF_HEADER_TIMEOUT_MS. */
  headerTimeout?: number
  /** Default PERF_IDLE_TIMEOUT_MS: the deadline for each read and write after the header. */
  idleTimeout?: number
  /** Default PERF_MAX_DURATION_MS: the whole run, header to close. */
  maxDuration?: number
}

export interface PerfServerResult {
  uploadBytes: number
  downloadBytes: number
}

/** Serves one perf stream; on a bad request aborts it and rejects with a named error. */
export async function handlePerf (stream: ByteStream, options: PerfServerOptions = {}): Promise<PerfServerResult> {
  const maxDownloadBytes = options.maxDownloadBytes ?? PERF_MAX_DOWNLOAD_BYTES
  const headerTimeout = options.headerTimeout ?? PERF_HEADER_TIMEOUT_MS
  const idleTimeout = options.idleTimeout ?? PERF_IDLE_TIMEOUT_MS
  const idle = async <T>(step: Promise<T>, what: string): Promise<T> =>
    await withTimeout(step, idleTimeout, () => new PerfTimeoutError(`perf ${what} stalled for ${idleTimeout} ms`))
  const maxDuration = options.maxDuration ?? PERF_MAX_DURATION_MS
  // The whole run under one deadline: aborting the stream ends whatever read or write is pending.
  let overrun: PerfTimeoutError | undefined
  const total = setTimeout(() => {
    overrun = new PerfTimeoutError(`perf run took longer than ${maxDuration} ms`)
    stream.abort(overrun)
  }, maxDuration)
  const reader = new ByteReader(stream)
  try {
    let header: Uint8Array
    try {
      header = await withTimeout(reader.readExactly(PERF_HEADER_LENGTH), headerTimeout,
        () => new PerfHeaderError(`no perf request header within ${headerTimeout} ms`))
    } catch (err) {
      if (err instanceof UnexpectedEndError) throw new PerfHeaderError('the stream ended inside the 8-byte perf request header')
      throw err
    }
    const requested = new DataView(header.buffer, header.byteOffset, PERF_HEADER_LENGTH).getBigUint64(0, false)
    if (requested > BigInt(maxDownloadBytes)) {
      throw new PerfLimitError(`perf request for ${requested} bytes exceeds the limit of ${maxDownloadBytes}`)
    }
    const downloadBytes = Number(requested)
    let uploadBytes = 0
    const upload = reader.rest()[Symbol.asyncIterator]()
    while (true) {
      const { done, value } = await idle(upload.next(), 'upload')
      if (done === true) break
      uploadBytes += value.length
    }
    await writeZeros(async chunk => { await idle(stream.write(chunk), 'download') }, downloadBytes)
    await idle(stream.close(), 'close')
    return { uploadBytes, downloadBytes }
  } catch (err) {
    const failure = overrun ?? err as Error
    stream.abort(failure)
    throw failure
  } finally {
    clearTimeout(total)
  }
}
