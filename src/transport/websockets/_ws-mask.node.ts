/**
 * Word-at-a-time WebSocket masking (RFC 6455 §5.3) for `ws`, in place of its
 * byte-at-a-time JS fallback.
 *
 * `ws` masks every frame a client sends and unmasks every frame a server
 * receives. Without its optional native addon (`bufferutil`, not one of our
 * dependencies) it runs a JS loop over each byte, which on bulk transfer cost
 * more than the cipher: bench/e2e.js, WebSocket bulk, cpu profile, `_mask` 27%
 * of the sender's CPU (the seal kernel 20%), `_unmask` 10% of the receiver's.
 * XORing 32-bit words (unaligned DataView access, which V8 compiles to plain
 * loads) does the same work about 6× faster (64 KiB: 138 → 21 µs).
 *
 * `ws` looks its mask functions up once, from lib/buffer-util.js, when its
 * sender and receiver load: that is where `bufferutil` plugs in, and where
 * this module puts its functions before it loads `ws` (requireWs(): our only
 * way to `ws`; a static `import` would not do, since Node 20 runs the CommonJS
 * modules of an ES module graph before any ES module in it). Where `ws`
 * already has native ones, was loaded earlier by someone else, or no longer
 * has that layout, nothing is replaced and `ws` masks as it did.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type * as Ws from 'ws'

const require = createRequire(import.meta.url)

/** Below this many bytes the byte loop is as fast (no views to make): 64. */
export const WORD_MASK_MIN_BYTES = 64

/** output[offset + i] = source[i] ^ mask[i % 4] for i < length; `output` may be `source` (in place). */
export function maskInto (source: Uint8Array, mask: Uint8Array, output: Uint8Array, offset: number, length: number): void {
  let i = 0
  if (length >= WORD_MASK_MIN_BYTES) {
    // Little-endian words: byte j of each word meets mask[j], as in the byte loop.
    const key = ((mask[0] as number) | ((mask[1] as number) << 8) | ((mask[2] as number) << 16) | ((mask[3] as number) << 24))
    const from = new DataView(source.buffer, source.byteOffset, length)
    const to = new DataView(output.buffer, output.byteOffset + offset, length)
    for (; i + 4 <= length; i += 4) to.setInt32(i, from.getInt32(i, true) ^ key, true)
  }
  for (; i < length; i++) output[offset + i] = (source[i] as number) ^ (mask[i & 3] as number)
}

/** buffer[i] ^= mask[i % 4]. */
export function unmaskInPlace (buffer: Uint8Array, mask: Uint8Array): void {
  maskInto(buffer, mask, buffer, 0, buffer.length)
}

interface WsBufferUtil { mask?: (...args: any[]) => void, unmask?: (...args: any[]) => void }

function install (): boolean {
  try {
    const lib = join(dirname(require.resolve('ws')), 'lib')
    // Too late once the sender or receiver took their copies of the functions.
    if (require.cache[join(lib, 'sender.js')] !== undefined || require.cache[join(lib, 'receiver.js')] !== undefined) return false
    const util = require(join(lib, 'buffer-util.js')) as WsBufferUtil
    // Only `ws`'s own JS loops are replaced; a native implementation stays.
    if (util.mask?.name !== '_mask' || util.unmask?.name !== '_unmask') return false
    util.mask = maskInto
    util.unmask = unmaskInPlace
    return true
  } catch {
    return false
  }
}

let installed: boolean | undefined

/**
 * True when `ws` in this process masks with the functions above. Decided at the
 * first requireWs() (nothing happens on import: STYLE.md, principle 3).
 */
export function wsWordMaskInstalled (): boolean {
  installed ??= install()
  return installed
}

/** The `ws` package, loaded after the functions above were put in. */
export function requireWs (): typeof Ws {
  wsWordMaskInstalled()
  return require('ws') as typeof Ws
}
