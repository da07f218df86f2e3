// Two connected in-memory Streams (the src/stream/types.ts contract) for protocol tests:
// what one end writes the other reads, asynchronously, with backpressure. abort()/reset()
// on one end makes the other end's reads fail, as a yamux RST would. Browser-safe.

const HIGH_WATER_MARK = 256 * 1024
let nextId = 0

class Inbox {
  chunks = []
  bytes = 0
  ended = false
  error = undefined
  readers = []
  drains = []

  push (chunk) { this.chunks.push(chunk); this.bytes += chunk.length; this.#wake() }
  end (error) { if (this.ended) return; this.ended = true; this.error = error; this.#wake() }
  #wake () {
    for (const r of this.readers.splice(0)) r()
    if (this.bytes <= HIGH_WATER_MARK) for (const d of this.drains.splice(0)) d()
  }

  async whenDrained () {
    if (this.bytes <= HIGH_WATER_MARK || this.ended) return
    await new Promise(resolve => this.drains.push(resolve))
  }

  async next () {
    while (true) {
      if (this.error !== undefined) throw this.error
      if (this.chunks.length > 0) {
        const value = this.chunks.shift()
        this.bytes -= value.length
        if (this.bytes <= HIGH_WATER_MARK) for (const d of this.drains.splice(0)) d()
        return { done: false, value }
      }
      if (this.ended) return { done: true, value: undefined }
      await new Promise(resolve => this.readers.push(resolve))
    }
  }
}

class End {
  inbox = new Inbox()
  peer = undefined
  writeClosed = false
  error = undefined
  protocol = undefined
  /** Bytes this end wrote, for tests that count. */
  bytesWritten = 0

  constructor (direction) { this.id = String(nextId++); this.direction = direction }

  async write (chunk) {
    if (this.error !== undefined) throw this.error
    if (this.writeClosed) throw new Error('write after closeWrite')
    await Promise.resolve()
    const target = this.peer.inbox
    if (target.ended) throw new Error('the other end no longer reads')
    this.bytesWritten += chunk.length
    if (chunk.length > 0) target.push(chunk.slice())
    await target.whenDrained()
  }

  async closeWrite () {
    if (this.writeClosed) return
    this.writeClosed = true
    await Promise.resolve()
    this.peer.inbox.end()
  }

  async close () {
    await this.closeWrite()
    this.inbox.end()
  }

  abort (err) {
    if (this.error !== undefined) return
    this.error = err
    this.writeClosed = true
    this.inbox.end(err)
    this.peer.inbox.end(new Error(`stream reset by the other end: ${err.message}`))
  }

  reset () { this.abort(new Error('stream reset')) }

  [Symbol.asyncIterator] () {
    return { next: () => this.inbox.next(), return: async () => { this.inbox.end(); return { done: true, value: undefined } } }
  }
}

/** Returns [outbound, inbound]: the dialer's and the listener's end of one stream. */
export function streamPair () {
  const a = new End('outbound')
  const b = new End('inbound')
  a.peer = b
  b.peer = a
  return [a, b]
}

/** Resolves with what `promise` rejected with; fails if it resolved. */
export async function rejection (promise) {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('expected a rejection')
}
