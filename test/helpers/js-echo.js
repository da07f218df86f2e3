// The js-libp2p side of an echo check, shared by the js peer fixtures: sends a
// deterministic pattern on a new /echo/1.0.0 stream (js-libp2p 3's send/onDrain
// stream API), reads the echo to the end, and says whether every byte came back.

import { patternBytes } from './bytes.js'

/** Echoes `bytes` bytes over a new `protocol` stream on `connection`; resolves with { bytes, match }. */
export async function echoOnce (connection, protocol, bytes, seed, { chunk = 64 * 1024, streamOptions = {} } = {}) {
  const stream = await connection.newStream(protocol, streamOptions)
  const data = patternBytes(bytes, seed)
  const chunks = []
  let received = 0
  const reading = (async () => {
    for await (const piece of stream) {
      const view = piece.subarray()
      chunks.push(view.slice())
      received += view.length
    }
  })()
  for (let offset = 0; offset < data.length; offset += chunk) {
    if (!stream.send(data.subarray(offset, offset + chunk))) await stream.onDrain()
  }
  await stream.close()
  await reading
  let match = received === data.length
  let offset = 0
  for (const c of match ? chunks : []) {
    for (let i = 0; i < c.length; i++) if (c[i] !== data[offset + i]) { match = false; break }
    offset += c.length
    if (!match) break
  }
  return { bytes: received, match }
}
