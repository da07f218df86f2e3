// A whole yamux session (yamux spec: streams, flow control, ping, Go Away)
// fed hostile frames: the listener or dialer side reads the input to its end
// and must close with nothing worse than a YamuxProtocolError, having read
// every stream it accepted and buffered no more than the windows allow.
import { yamux, FrameType, Flag, encodeHeader } from '../../dist/muxer/yamux/index.js'
import { inputStream } from '../streams.js'
import { check, expectNamed } from '../named.js'

const concat = parts => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let at = 0; for (const p of parts) { out.set(p, at); at += p.length } return out }
const data = (id, n, flags = 0) => concat([encodeHeader(FrameType.Data, flags, id, n), new Uint8Array(n).fill(5)])
const factory = yamux({ keepAliveInterval: 0, maxStreams: 64 })

export default {
  name: 'yamux-session',
  covers: 'a yamux session (listener and dialer) over hostile frames: stream state, windows, ping, Go Away',
  async setup () {
    return {
      seeds: [
        concat([encodeHeader(FrameType.WindowUpdate, Flag.SYN, 1, 0), data(1, 100), data(1, 0, Flag.FIN)]),
        concat([data(3, 10, Flag.SYN), encodeHeader(FrameType.WindowUpdate, 0, 3, 1 << 20), data(3, 5), encodeHeader(FrameType.WindowUpdate, Flag.RST, 3, 0)]),
        concat([encodeHeader(FrameType.Ping, Flag.SYN, 0, 1), encodeHeader(FrameType.Ping, Flag.ACK, 0, 1), encodeHeader(FrameType.GoAway, 0, 0, 0)]),
        concat([encodeHeader(FrameType.WindowUpdate, Flag.SYN, 2, 0), encodeHeader(FrameType.WindowUpdate, Flag.ACK, 1, 0), data(2, 50, Flag.FIN)])
      ],
      ctx: {}
    }
  },
  async run (input) {
    const connection = inputStream(input)
    let onClose
    const closed = new Promise(resolve => { onClose = resolve })
    const reads = []
    const direction = input.length > 0 && (input[0] & 1) === 1 ? 'outbound' : 'inbound'
    const muxer = factory.create(connection, {
      direction,
      onIncomingStream: stream => {
        reads.push((async () => { try { for await (const _ of stream) { /* drain */ } } catch (err) { expectNamed(err, 'inbound stream read') } })())
      },
      onClose: err => onClose(err)
    })
    const err = await closed
    if (err !== undefined) expectNamed(err, 'yamux session')
    await Promise.all(reads)
    check(muxer.closed, 'the session closed at the end of its input')
    check(muxer.streams.length === 0, 'no stream outlives the session')
  }
}
