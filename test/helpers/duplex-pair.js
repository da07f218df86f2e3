// An in-memory connection: two ByteStream ends wired back to back, for tests
// in Node and browsers. Each write is copied to the other end's queue (so a
// writer reusing its buffer cannot change what was sent). `intercept` sees
// every chunk in flight and may replace or drop it (tampering tests). Both
// ends record `abortedWith` so a test can check that a layer tore the
// connection down; aborting one end makes the other end's reads fail, like a
// TCP reset.

export class ConnectionResetError extends Error {
  name = 'ConnectionResetError'
}

class Inbound {
  chunks = []
  ended = false
  error = undefined
  waiter = undefined

  push (chunk) { if (!this.ended && this.error === undefined) { this.chunks.push(chunk); this.#wake() } }
  end () { this.ended = true; this.#wake() }
  fail (err) { if (this.error === undefined) { this.error = err; this.chunks.length = 0; this.#wake() } }
  #wake () { const w = this.waiter; this.waiter = undefined; w?.() }

  async next () {
    while (true) {
      if (this.error !== undefined) throw this.error
      if (this.chunks.length > 0) return { done: false, value: this.chunks.shift() }
      if (this.ended) return { done: true, value: undefined }
      await new Promise(resolve => { this.waiter = resolve })
    }
  }
}

class End {
  inbound = new Inbound()
  peer = undefined
  writeClosed = false
  abortedWith = undefined
  bytesWritten = 0

  constructor (name, intercept) { this.name = name; this.intercept = intercept }

  [Symbol.asyncIterator] () {
    return { next: () => this.inbound.next(), return: async () => ({ done: true, value: undefined }) }
  }

  async write (chunk) {
    if (this.abortedWith !== undefined) throw this.abortedWith
    if (this.writeClosed) throw new Error(`${this.name}: write after closeWrite`)
    this.bytesWritten += chunk.length
    let copy = chunk.slice()
    if (this.intercept !== undefined) copy = this.intercept(this.name, copy)
    if (copy !== undefined) this.peer.inbound.push(copy)
    // Let the reader run between writes, as a socket would.
    await Promise.resolve()
  }

  async closeWrite () {
    if (this.writeClosed) return
    this.writeClosed = true
    this.peer.inbound.end()
  }

  async close () {
    await this.closeWrite()
    this.inbound.end()
  }

  abort (err) {
    if (this.abortedWith !== undefined) return
    this.abortedWith = err
    this.writeClosed = true
    this.inbound.fail(err)
    this.peer.inbound.fail(new ConnectionResetError(`${this.peer.name}: the remote aborted: ${err?.message}`))
  }
}

/** Returns `[a, b]`: what `a` writes `b` reads and vice versa. `intercept(from, chunk)` may return a replacement or undefined to drop. */
export function duplexPair ({ intercept } = {}) {
  const a = new End('a', intercept)
  const b = new End('b', intercept)
  a.peer = b
  b.peer = a
  return [a, b]
}
