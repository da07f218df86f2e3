/**
 * The frame-scanner interface shared by the WASM kernel (assembly/yamux.ts)
 * and its pure-JS twin: one call scans a whole received chunk for every
 * complete frame header and fills a table of four u32 words per frame:
 *
 *   word 0: type | error << 8 | flags << 16
 *   word 1: stream id
 *   word 2: length (payload length, window delta, ping opaque, Go Away code)
 *   word 3: offset of the byte after the header
 *
 * The last entry may be a Data frame whose payload runs past the chunk end.
 * Scanning stops at the first invalid header, whose entry carries the error.
 */

export const ScanError = {
  None: 0,
  /** Version byte is not 0. */
  BadVersion: 1,
  /** Type byte is not 0–3. */
  UnknownType: 2,
  /** Data length above the limit passed to scan(). */
  FrameTooLarge: 3
} as const

export interface FrameScanner {
  /** Four u32 words per entry (see above); valid until the next scan(). */
  readonly table: Uint32Array
  /** Most bytes one scan() accepts. */
  readonly capacity: number
  /** Bytes consumed by the last scan(): the end of its last complete frame. */
  readonly consumed: number
  /** Scans `bytes` (length ≤ capacity) and returns the number of entries. */
  scan: (bytes: Uint8Array, maxDataLength: number) => number
}
