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
import { JS_SCAN_CAPACITY, JsFrameScanner } from './scanner-js.js'
import { wasmFrameScanner } from './scanner-wasm.js'

/** Receives a session's frames in order: a header, its payload pieces (Data only), then the end. */
export interface FrameHandler {
  onHeader: (type: number, flags: number, id: number, length: number) => void
  onPayload: (bytes: Uint8Array) => void
  onFrameEnd: () => void
}

/**
 * The WASM scanner serves a chunk only when its first frame is at most this
 * many bytes (header + payload): 256. Bigger frames mean few headers per
 * chunk, where the copy into WASM memory costs more than JS spends parsing.
 */
export const WASM_SCAN_MAX_FRAME = 256

/**
 * ...and when the chunk would hold at least this many frames of that size: 16.
 * Below that, JS's per-header cost stays under the WASM call and copy.
 */
export const WASM_SCAN_MIN_FRAMES = 16

const ERROR_TEXT: Record<number, string> = {
  [ScanError.BadVersion]: 'unsupported yamux version',
  [ScanError.UnknownType]: 'unknown frame type',
  [ScanError.FrameTooLarge]: 'data frame longer than the largest window'
}

let wasmBusy = false
/**
 * One JS scanner for every session, like the kernel: a scanner per session
 * kept a 256-byte table (440 bytes in all) on each idle connection. A frame
 * handler that feeds another session's decoder before returning finds it
 * busy and gets a scanner of its own for that call.
 */
const sharedJs = new JsFrameScanner()
let sharedJsBusy = false

function jsScanner (): JsFrameScanner {
  if (sharedJsBusy) return new JsFrameScanner()
  sharedJsBusy = true
  return sharedJs
}

function release (scanner: FrameScanner): void {
  if (scanner === sharedJs) sharedJsBusy = false
  else if (!(scanner instanceof JsFrameScanner)) wasmBusy = false
}

export class FrameDecoder {
  readonly #handler: FrameHandler
  readonly #maxDataLength: number
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
      const js = jsScanner()
      try {
        this.#dispatch(js, header, js.scan(header, this.#maxDataLength))
      } finally {
        release(js)
      }
      if (this.#payloadRemaining > 0) pos = this.#continuePayload(chunk, pos)
    }
    while (len - pos >= HEADER_LENGTH) {
      const piece = chunk.subarray(pos, pos + JS_SCAN_CAPACITY)
      const scanner = this.#scannerFor(piece)
      const count = scanner.scan(piece, this.#maxDataLength)
      const consumed = scanner.consumed
      let partial: boolean
      try {
        partial = this.#dispatch(scanner, piece, count)
      } finally {
        release(scanner)
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
    if (!useWasmFor(piece) || wasmBusy) return jsScanner()
    const wasm = wasmFrameScanner()
    if (wasm === undefined || piece.length > wasm.capacity) return jsScanner()
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
 * WASM pays a call and a copy of the chunk, then ~8 ns per header; JS pays
 * ~14–35 ns per header and nothing per payload byte. bench/yamux.js
 * (bench/results/yamux.json), Node 20, quiet machine, median per scan,
 * JS vs wasm-simd (scalar within 3%):
 *   1 window update (12 B)        91 ns vs 127 ns     → JS
 *   1 data frame, 100 B           90 ns vs 120 ns     → JS
 *   4 frames, 256 B               126 ns vs 141 ns    → JS
 *   10 frames, 1 KiB              208 ns vs 214 ns    → even
 *   200 frames, 16 KiB            2.80 µs vs 1.68 µs  → WASM 1.7×
 *   1 data frame, 64 KiB          105 ns vs 1.41 µs   → JS 13×
 *   16 data frames, 64 KiB        326 ns vs 1.67 µs   → JS 5×
 *   5461 window updates, 64 KiB   70.2 µs vs 30.8 µs  → WASM 2.3×
 * So WASM wins only on dense chunks of small frames, which the first header
 * predicts; bulk transfer stays on JS. Whole decoder, one chunk of 100 × 52 B
 * frames: 4.69 µs JS, 4.10 µs with this cut-over (1.14×); mixed chunks: even.
 */
function useWasmFor (piece: Uint8Array): boolean {
  let frame = HEADER_LENGTH
  if (piece[1] === FrameType.Data) {
    frame += (((piece[8] as number) << 24) | ((piece[9] as number) << 16) | ((piece[10] as number) << 8) | (piece[11] as number)) >>> 0
  }
  return frame <= WASM_SCAN_MAX_FRAME && piece.length >= frame * WASM_SCAN_MIN_FRAMES
}

function concat (a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}
