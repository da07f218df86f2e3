// Two connected in-memory ByteStreams (src/stream/types.ts), for RPC tests without sockets.
function channel () {
  const chunks = []
  let ended = false
  let error
  let wake
  const notify = () => { const w = wake; wake = undefined; w?.() }
  return {
    push (chunk) { if (ended || error) throw new Error('write after end'); chunks.push(chunk); notify() },
    end () { ended = true; notify() },
    fail (err) { error = err; notify() },
    async * read () {
      for (;;) {
        if (error) throw error
        if (chunks.length > 0) { yield chunks.shift(); continue }
        if (ended) return
        await new Promise(resolve => { wake = resolve })
      }
    },
    get ended () { return ended }
  }
}

export function streamPair () {
  const aToB = channel(), bToA = channel()
  const end = (out, inbound) => {
    const stream = {
      aborted: undefined,
      closed: false,
      write: async chunk => { out.push(chunk.slice()) },
      closeWrite: async () => { if (!out.ended) out.end() },
      close: async () => { stream.closed = true; if (!out.ended) out.end() },
      abort: err => { stream.aborted = err; out.fail(err); inbound.fail(err) },
      [Symbol.asyncIterator]: () => inbound.read()
    }
    return stream
  }
  return [end(aToB, bToA), end(bToA, aToB)]
}
