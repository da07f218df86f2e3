/**
 * Yamux (`/yamux/1.0.0`), the stream muxer js-libp2p and go-libp2p speak by
 * default. `yamux(options)` returns the StreamMuxerFactory the upgrader uses.
 */
import type { ByteStream } from '../../stream/types.js'
import type { StreamMuxerFactory, StreamMuxerOptions } from '../types.js'
import { type YamuxOptions, resolveOptions } from './config.js'
import { YAMUX_PROTOCOL } from './frame.js'
import { YamuxMuxer } from './muxer.js'

export interface YamuxMuxerFactory extends StreamMuxerFactory {
  create: (connection: ByteStream, options: StreamMuxerOptions) => YamuxMuxer
}

export function yamux (options: YamuxOptions = {}): YamuxMuxerFactory {
  const config = resolveOptions(options)
  return {
    protocol: YAMUX_PROTOCOL,
    create: (connection, muxerOptions) => new YamuxMuxer(connection, muxerOptions, config)
  }
}

export { YamuxMuxer } from './muxer.js'
export { YamuxStream } from './stream.js'
export { YAMUX_PROTOCOL, FrameType, Flag, GoAwayCode, HEADER_LENGTH, encodeHeader } from './frame.js'
export * from './config.js'
export * from './errors.js'
export { FrameDecoder, type FrameHandler, WASM_SCAN_MAX_FRAME, WASM_SCAN_MIN_FRAMES } from './decoder.js'
export { JsFrameScanner } from './scanner-js.js'
export { wasmFrameScanner, yamuxKernel } from './scanner-wasm.js'
export { type FrameScanner, ScanError } from './scanner.js'
