// The client side of the end-to-end benchmark, written once against a small
// adapter so that wasp2p and js-libp2p run exactly the same workload:
//   adapter.dial(addr) → conn;  adapter.hangUp(conn);
//   adapter.open(conn, protocol) → { write(bytes): Promise, closeWrite(): Promise, read(): AsyncIterable<Uint8Array> }
// Protocols: /echo/1.0.0 and SINK_PROTOCOL (read to the end, answer with the byte count as 8 bytes).

import { CHUNK, ECHO_PROTOCOL, SINK_PROTOCOL, echoStreams, readAll, ready } from '../e2e-browser/workload.js'

export { CHUNK, ECHO_PROTOCOL, SINK_PROTOCOL, echoStreams, ready }

const now = () => performance.now()
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }

/** `streams` streams in parallel push `totalBytes` in all to the sink. */
export async function throughput (adapter, addr, { streams = 1, totalBytes = 256 * 1024 * 1024 } = {}) {
  const conn = await adapter.dial(addr)
  const chunk = new Uint8Array(CHUNK).fill(7)
  const perStream = Math.floor(totalBytes / streams)
  const started = now()
  const cpuStarted = cpuMs()
  await Promise.all(Array.from({ length: streams }, async () => {
    const stream = await adapter.open(conn, SINK_PROTOCOL)
    for (let sent = 0; sent < perStream;) {
      const n = Math.min(CHUNK, perStream - sent)
      await stream.write(n === CHUNK ? chunk : chunk.subarray(0, n))
      sent += n
    }
    await stream.closeWrite()
    const reply = await readAll(stream)
    const received = Number(new DataView(reply.buffer, reply.byteOffset, 8).getBigUint64(0))
    if (received !== perStream) throw new Error(`sink counted ${received} bytes, sent ${perStream}`)
  }))
  const seconds = (now() - started) / 1000
  const clientCpuMs = cpuMs() - cpuStarted
  await adapter.hangUp(conn)
  return { mbPerS: streams * perStream / 1e6 / seconds, seconds, clientCpuMs }
}

/**
 * One echo stream established on both sides (a byte sent and echoed back) and
 * left open, for the per-stream memory figure; the caller keeps the result
 * referenced so that nothing is collected.
 */
export async function openEchoedStream (adapter, conn) {
  const stream = await adapter.open(conn, ECHO_PROTOCOL)
  await stream.write(Uint8Array.of(42))
  const reader = stream.read()[Symbol.asyncIterator]()
  const back = await reader.next()
  if (back.done === true || back.value[0] !== 42) throw new Error('echo stream ended before its byte came back')
  return { stream, reader }
}
