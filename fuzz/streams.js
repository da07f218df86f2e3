// In-memory byte streams for the stream-shaped parsers: the remote's bytes
// come from the fuzz input, cut into chunks at input-derived points; what the
// parser writes is counted and dropped. The stream ends after the input, so
// a parser that waits for more sees the end (never a hang by construction).

/** Up to four chunks of `input`, cut where its own bytes say. */
export function chunksOf (input) {
  if (input.length < 2) return [input]
  const cuts = new Set([input[0] % input.length, (input[1] * 31) % input.length, (input[input.length - 1] * 17) % input.length])
  const points = [...cuts].filter(c => c > 0).sort((a, b) => a - b)
  const out = []
  let at = 0
  for (const p of points) { out.push(input.subarray(at, p)); at = p }
  out.push(input.subarray(at))
  return out
}

export function inputStream (input) {
  let aborted
  let written = 0
  const chunks = chunksOf(input)
  return {
    get written () { return written },
    async * [Symbol.asyncIterator] () {
      for (const c of chunks) {
        if (aborted !== undefined) throw aborted
        yield c.slice()
      }
      if (aborted !== undefined) throw aborted
    },
    async write (chunk) { if (aborted !== undefined) throw aborted; written += chunk.length },
    async closeWrite () {},
    async close () {},
    abort (err) { aborted ??= err }
  }
}
