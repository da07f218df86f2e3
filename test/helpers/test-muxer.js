// A minimal stream muxer for upgrader tests until yamux is on main. Frames:
// type (1 byte) | stream id (4 bytes BE) | length (4 bytes BE) | data.
// No flow control; it multiplexes, nothing more.
import { ByteReader } from '../../dist/stream/byte-reader.js'
import { Inbox } from '../../dist/transport/_inbox.js'

const OPEN = 0; const DATA = 1; const FIN = 2; const RESET = 3

function frame (type, id, data = new Uint8Array(0)) {
  const out = new Uint8Array(9 + data.length)
  const view = new DataView(out.buffer)
  out[0] = type; view.setUint32(1, id); view.setUint32(5, data.length); out.set(data, 9)
  return out
}

class TestStream {
  constructor (muxer, id, direction) {
    this.muxer = muxer; this.numericId = id; this.id = String(id); this.direction = direction
    this.protocol = undefined
    this.inbox = new Inbox(64 * 1024 * 1024)
    this.writeClosed = false; this.readEnded = false
  }
  [Symbol.asyncIterator] () { return this.inbox[Symbol.asyncIterator]() }
  async write (chunk) {
    if (this.writeClosed) throw new Error('stream closed for writing')
    await this.muxer.send(frame(DATA, this.numericId, chunk))
  }
  async closeWrite () {
    if (this.writeClosed) return
    this.writeClosed = true
    await this.muxer.send(frame(FIN, this.numericId))
    this.maybeDone()
  }
  async close () { await this.closeWrite(); this.inbox.drop(); this.readEnded = true; this.maybeDone() }
  abort (err) { this.inbox.fail(err); this.writeClosed = true; this.readEnded = true; this.muxer.send(frame(RESET, this.numericId)).catch(() => {}); this.muxer.remove(this) }
  reset () { this.abort(new Error('stream reset')) }
  maybeDone () { if (this.writeClosed && this.readEnded) this.muxer.remove(this) }
}

class TestMuxer {
  constructor (stream, options) {
    this.protocol = '/test-mux/1.0.0'
    this.stream = stream; this.options = options
    this.map = new Map()
    this.nextId = options.direction === 'outbound' ? 1 : 2
    this.closed = false
    void this.readLoop()
  }
  get streams () { return [...this.map.values()] }
  async send (bytes) { await this.stream.write(bytes) }
  remove (s) { this.map.delete(s.numericId) }
  async newStream () {
    const id = this.nextId; this.nextId += 2
    const s = new TestStream(this, id, 'outbound')
    this.map.set(id, s)
    await this.send(frame(OPEN, id))
    return s
  }
  async readLoop () {
    const reader = new ByteReader(this.stream)
    try {
      while (true) {
        let header
        try { header = await reader.readExactly(9) } catch (err) { if (err.name === 'UnexpectedEndError') break; throw err }
        const view = new DataView(header.buffer, header.byteOffset, 9)
        const type = header[0]; const id = view.getUint32(1); const length = view.getUint32(5)
        const data = await reader.readExactly(length)
        if (type === OPEN) {
          const s = new TestStream(this, id, 'inbound')
          this.map.set(id, s)
          this.options.onIncomingStream(s)
        } else {
          const s = this.map.get(id)
          if (s === undefined) continue
          if (type === DATA) s.inbox.push(data.slice())
          else if (type === FIN) { s.inbox.end(); s.readEnded = true; s.maybeDone() } else if (type === RESET) { s.inbox.fail(new Error('stream reset by remote')); this.remove(s) }
        }
      }
      this.finish()
    } catch (err) {
      this.finish(err)
    }
  }
  finish (err) {
    if (this.closed) return
    this.closed = true
    for (const s of this.map.values()) s.inbox.fail(err ?? new Error('muxer closed'))
    this.map.clear()
    this.options.onClose?.(err)
  }
  async close () { await this.stream.close().catch(() => {}); this.finish() }
  abort (err) { this.stream.abort(err); this.finish(err) }
}

export function testMuxer () {
  return { protocol: '/test-mux/1.0.0', create: (stream, options) => new TestMuxer(stream, options) }
}
