/**
 * Turns the received byte chunks of a session into frame events. Frames may
 * straddle chunk boundaries anywhere: a split header is completed from the
 * next chunk (at most 11 bytes kept); a Data payload is handed on piece by
 * piece as it arrives, so nothing larger than a header is ever buffered here.
 *
 * Each chunk is scanned in one call by the WASM kernel or by the JS twin,
 * whichever is cheaper for its shape (see `useWasmFor`).
 */
import { FrameType, HEADER_LENGTH } from './frame.js'
import { YamuxProtocolError } from './errors.js'
import { type FrameScanner, ScanError } from './scanner.js'
import { JsFrameScanner } from './scanner-js.js'
import { wasmFrameScanner } from './scanner-wasm.js'

/** Receives a session's frames in order: a header, its payload pieces (Data only), then the end. */
export interface FrameHandler {
  onHeader: (type: number, flags: number, id: number, length: number) => void
  onPayload: (bytes: Uint8Array) => void
  onFrameEnd: () => void
}

/**
 * Chunks shorter than this go to the JS scanner: below it the WASM call and
 * copy cost more than scanning a few headers in JS. Set from bench/yamux.js
 * (see the figures in `useWasmFor`).
 */
export const WASM_SCAN_MIN_BYTES = 256

/**
 * When the first frame of a chunk is a Data frame covering all but this many
 * bytes of it, the chunk holds at most a few frames: JS scans it without the
 * copy of the payload into WASM memory.
 */
export const WASM_SCAN_MIN_REST = 256

const ERROR_TEXT: Record<number, string> = {
  [ScanError.BadVersion]: 'unsupported yamux version',
  [ScanError.UnknownType]: 'unknown frame type',
  [ScanError.FrameTooLarge]: 'data frame longer than the largest window'
}

let wasmBusy = false

export class FrameDecoder {
  readonly #handler: FrameHandler
  readonly #maxDataLength: number
  readonly #js = new JsFrameScanner()
  #head: Uint8Array | undefined
  #payloadRemaining = 0

  constructor (handler: FrameHandler, maxDataLength: number) {
    this.#handler = handler
    this.#maxDataLength = maxDataLength
  }

  /** True when no frame is half received: the byte stream may end here cleanly. */
  get idle (): boolean { return this.#head === undefined && this.#payloadRemaining === 0 }

  /** Feeds one chunk; throws YamuxProtocolError on an invalid header (or whatever the handler throws). */
  push (chunk: Uint8Array): void {
    let pos = 0
    const len = chunk.length
    if (this.#payloadRemaining > 0) pos = this.#continuePayload(chunk, 0)
    if (this.#head !== undefined && pos < len) {
      const head = this.#head
      const need = HEADER_LENGTH - head.length
      if (len - pos < need) {
        this.#head = concat(head, chunk.subarray(pos))
        return
      }
      this.#head = undefined
      const header = concat(head, chunk.subarray(pos, pos + need))
      pos += need
      this.#dispatch(this.#js, header, this.#js.scan(header, this.#maxDataLength))
      if (this.#payloadRemaining > 0) pos = this.#continuePayload(chunk, pos)
    }
    while (len - pos >= HEADER_LENGTH) {
      const piece = chunk.subarray(pos, pos + this.#js.capacity)
      const scanner = this.#scannerFor(piece)
      const count = scanner.scan(piece, this.#maxDataLength)
      const consumed = scanner.consumed
      let partial: boolean
      try {
        partial = this.#dispatch(scanner, piece, count)
      } finally {
        if (scanner !== this.#js) wasmBusy = false
      }
      if (partial) {
        // The last frame's payload continues past this piece: in the rest of the chunk, then later chunks.
        pos = this.#continuePayload(chunk, pos + piece.length)
        if (this.#payloadRemaining > 0) return
      } else {
        pos += consumed
      }
    }
    if (pos < len) this.#head = chunk.slice(pos)
  }

  #scannerFor (piece: Uint8Array): FrameScanner {
    if (!useWasmFor(piece) || wasmBusy) return this.#js
    const wasm = wasmFrameScanner()
    if (wasm === undefined) return this.#js
    wasmBusy = true
    return wasm
  }

  /** Delivers up to #payloadRemaining bytes of `chunk` from `pos`; returns the new position. */
  #continuePayload (chunk: Uint8Array, pos: number): number {
    const take = Math.min(this.#payloadRemaining, chunk.length - pos)
    if (take > 0) this.#handler.onPayload(chunk.subarray(pos, pos + take))
    this.#payloadRemaining -= take
    if (this.#payloadRemaining === 0) this.#handler.onFrameEnd()
    return pos + take
  }

  /**
   * Hands the scanned entries to the handler. Returns true when the last one
   * is a Data frame whose payload runs past `bytes` (#payloadRemaining is then
   * what is missing after the end of `bytes`).
   */
  #dispatch (scanner: FrameScanner, bytes: Uint8Array, count: number): boolean {
    const table = scanner.table
    const handler = this.#handler
    for (let i = 0; i < count; i++) {
      const w0 = table[i * 4] as number
      const id = table[i * 4 + 1] as number
      const length = table[i * 4 + 2] as number
      const offset = table[i * 4 + 3] as number
      const type = w0 & 0xff
      const error = (w0 >>> 8) & 0xff
      if (error !== ScanError.None) {
        throw new YamuxProtocolError(`${ERROR_TEXT[error] ?? 'invalid frame'} (type ${type}, length ${length})`)
      }
      handler.onHeader(type, w0 >>> 16, id, length)
      if (type !== FrameType.Data || length === 0) { handler.onFrameEnd(); continue }
      const available = bytes.length - offset
      if (available >= length) {
        handler.onPayload(bytes.subarray(offset, offset + length))
        handler.onFrameEnd()
      } else {
        if (available > 0) handler.onPayload(bytes.subarray(offset))
        this.#payloadRemaining = length - available
        return true
      }
    }
    return false
  }
}

/**
 * WASM pays a copy of the chunk and a call; JS pays per header. Measured by
 * bench/yamux.js (figures in the module comment there): see WASM_SCAN_MIN_BYTES
 * and WASM_SCAN_MIN_REST.
 */
function useWasmFor (piece: Uint8Array): boolean {
  if (piece.length < WASM_SCAN_MIN_BYTES) return false
  if (piece[1] === FrameType.Data) {
    const length = (((piece[8] as number) << 24) | ((piece[9] as number) << 16) | ((piece[10] as number) << 8) | (piece[11] as number)) >>> 0
    if (piece.length - HEADER_LENGTH - length < WASM_SCAN_MIN_REST) return false
  }
  return true
}

function concat (a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}
