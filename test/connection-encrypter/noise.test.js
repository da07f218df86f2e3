// The compliance suite against the Noise encrypter, over the test helper's
// pair, over wasp2p's own backpressured duplexPair (src/stream/duplex-pair.ts),
// and over a pair that re-cuts every write at odd sizes, so that frames span
// chunks and chunks hold the end of one frame and the start of the next (the
// receive side assembles frames from pieces and decrypts them in place).
import { noise, duplexPair } from '../../dist/index.js'
import { encrypterCompliance } from './compliance.js'

/** Piece sizes, cycled: tiny, around the 2-byte length prefix, and across frames. */
const PIECES = [1, 2, 3, 17, 1000, 4093, 65537, 70001, 5]

function recutting (end) {
  let next = 0
  // Writes stay whole and in order, as on a socket, even when callers do not await them.
  let queue = Promise.resolve()
  const writePieces = async chunk => {
    for (let at = 0; at < chunk.length;) {
      const n = PIECES[next++ % PIECES.length]
      await end.write(chunk.slice(at, at + n))
      at += n
    }
  }
  return {
    [Symbol.asyncIterator]: () => end[Symbol.asyncIterator](),
    write (chunk) {
      const copy = chunk.slice()
      const done = queue.then(() => writePieces(copy))
      queue = done.catch(() => {})
      return done
    },
    closeWrite: async () => { await queue; await end.closeWrite() },
    close: () => end.close(),
    abort: err => end.abort(err)
  }
}

encrypterCompliance('noise', () => noise())
encrypterCompliance('noise over wasp2p duplexPair', () => noise(), { createPair: () => duplexPair() })
encrypterCompliance('noise over a pair that re-cuts every write', () => noise(), {
  createPair: () => duplexPair().map(recutting)
})
