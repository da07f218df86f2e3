/**
 * Pure-JS frame scanner, the twin of assembly/yamux.ts (same table layout,
 * same error codes, same stopping rules: see scanner.ts).
 */
import { FrameType, HEADER_LENGTH } from './frame.js'
import { type FrameScanner, ScanError } from './scanner.js'

/** Matches the kernel's INPUT_CAPACITY, so both scan the same pieces of a chunk. */
export const JS_SCAN_CAPACITY = 65536

export class JsFrameScanner implements FrameScanner {
  readonly capacity = JS_SCAN_CAPACITY
  consumed = 0
  // Room for 16 headers to start (256 B per session); grows by doubling for dense chunks.
  #table = new Uint32Array(16 * 4)

  get table (): Uint32Array { return this.#table }

  scan (bytes: Uint8Array, maxDataLength: number): number {
    const len = bytes.length
    let pos = 0
    let count = 0
    let consumed = 0
    while (len - pos >= HEADER_LENGTH) {
      const version = bytes[pos] as number
      const type = bytes[pos + 1] as number
      const flags = ((bytes[pos + 2] as number) << 8) | (bytes[pos + 3] as number)
      const id = (((bytes[pos + 4] as number) << 24) | ((bytes[pos + 5] as number) << 16) | ((bytes[pos + 6] as number) << 8) | (bytes[pos + 7] as number)) >>> 0
      const length = (((bytes[pos + 8] as number) << 24) | ((bytes[pos + 9] as number) << 16) | ((bytes[pos + 10] as number) << 8) | (bytes[pos + 11] as number)) >>> 0
      let error: number = ScanError.None
      if (version !== 0) error = ScanError.BadVersion
      else if (type > FrameType.GoAway) error = ScanError.UnknownType
      else if (type === FrameType.Data && length > maxDataLength) error = ScanError.FrameTooLarge
      if ((count + 1) * 4 > this.#table.length) {
        const grown = new Uint32Array(this.#table.length * 2)
        grown.set(this.#table)
        this.#table = grown
      }
      const table = this.#table
      const at = count * 4
      table[at] = type | (error << 8) | (flags << 16)
      table[at + 1] = id
      table[at + 2] = length
      table[at + 3] = pos + HEADER_LENGTH
      count++
      if (error !== ScanError.None) break
      pos += HEADER_LENGTH
      if (type === FrameType.Data) {
        if (len - pos < length) break
        pos += length
      }
      consumed = pos
    }
    this.consumed = consumed
    return count
  }
}
