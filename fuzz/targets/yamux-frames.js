// Yamux frame headers (yamux spec, "Framing"): the WASM scanner (SIMD and
// scalar builds) and its JS twin must produce the same table, the same error
// and the same consumed length for any bytes; the decoder over both must
// deliver each Data frame's payload whole, in order, however the input is
// split, and reject a bad header only with YamuxProtocolError.
import { FrameDecoder, FrameType, JsFrameScanner, encodeHeader, Flag, MAX_INBOUND_FRAME_PAYLOAD } from '../../dist/muxer/yamux/index.js'
import { wasmFrameScanner } from '../../dist/muxer/yamux/scanner-wasm.js'
import { useBackend } from '../../dist/crypto/index.js'
import { check, parseOrNamed } from '../named.js'

const concat = parts => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let at = 0; for (const p of parts) { out.set(p, at); at += p.length } return out }
const data = (id, n, flags = 0) => concat([encodeHeader(FrameType.Data, flags, id, n), new Uint8Array(n).fill(id & 0xff)])

function seeds () {
  const dense = []
  for (let i = 0; i < 40; i++) dense.push(i % 3 === 0 ? data(2 * i + 1, 20) : encodeHeader(FrameType.WindowUpdate, 0, 2 * i + 1, 4096))
  return [
    encodeHeader(FrameType.WindowUpdate, Flag.SYN, 1, 0),
    concat([encodeHeader(FrameType.WindowUpdate, Flag.SYN, 1, 0), data(1, 100), data(1, 0, Flag.FIN)]),
    concat([encodeHeader(FrameType.Ping, Flag.SYN, 0, 7), encodeHeader(FrameType.Ping, Flag.ACK, 0, 7), encodeHeader(FrameType.GoAway, 0, 0, 0)]),
    concat(dense),
    concat([data(3, 300), encodeHeader(FrameType.WindowUpdate, Flag.RST, 3, 0)])
  ]
}

export default {
  name: 'yamux-frames',
  covers: 'yamux frame scanning: JS scanner vs WASM (SIMD, scalar) scanners, and the frame decoder',
  async setup () {
    const scanners = []
    for (const backend of ['wasm-simd', 'wasm']) {
      useBackend(backend)
      scanners.push([backend, wasmFrameScanner()])
    }
    useBackend('auto')
    return { seeds: seeds(), ctx: { js: new JsFrameScanner(), scanners } }
  },
  run (input, { js, scanners }) {
    const piece = input.subarray(0, js.capacity)
    for (const maxData of [MAX_INBOUND_FRAME_PAYLOAD, 100]) {
      const count = js.scan(piece, maxData)
      const expected = js.table.slice(0, count * 4)
      const consumed = js.consumed
      for (const [backend, wasm] of scanners) {
        const n = wasm.scan(piece, maxData)
        check(n === count, `${backend} scanner found ${n} entries, JS ${count}`)
        check(wasm.consumed === consumed, `${backend} consumed ${wasm.consumed}, JS ${consumed}`)
        const table = wasm.table
        for (let i = 0; i < count * 4; i++) check(table[i] === expected[i], `${backend} table word ${i}: ${table[i]} vs JS ${expected[i]}`)
      }
    }
    // The decoder, with the input cut into three chunks at input-derived points.
    let open = undefined
    let expectedPayload = 0
    let got = 0
    const handler = {
      onHeader (type, flags, id, length) {
        check(open === undefined, 'a header before the previous frame ended')
        open = type
        expectedPayload = type === FrameType.Data ? length : 0
        got = 0
      },
      onPayload (bytes) {
        check(open === FrameType.Data, 'payload outside a Data frame')
        got += bytes.length
        check(got <= expectedPayload, 'more payload than the header said')
      },
      onFrameEnd () {
        check(open !== undefined, 'frame end without a header')
        check(got === expectedPayload, `frame ended after ${got} of ${expectedPayload} payload bytes`)
        open = undefined
      }
    }
    const decoder = new FrameDecoder(handler, MAX_INBOUND_FRAME_PAYLOAD)
    const a = input.length === 0 ? 0 : (input[0] * 7) % (input.length + 1)
    const b = input.length === 0 ? 0 : a + ((input[input.length - 1] * 13) % (input.length - a + 1))
    parseOrNamed(() => {
      decoder.push(input.subarray(0, a))
      decoder.push(input.subarray(a, b))
      decoder.push(input.subarray(b))
    }, 'FrameDecoder')
  }
}
