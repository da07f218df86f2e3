// The client side of the end-to-end benchmark, written once against a small
// adapter so that wasp2p and js-libp2p run exactly the same workload:
//   adapter.dial(addr) → conn;  adapter.hangUp(conn);
//   adapter.open(conn, protocol) → { write(bytes): Promise, closeWrite(): Promise, read(): AsyncIterable<Uint8Array> }
// Protocols: /echo/1.0.0 and SINK_PROTOCOL (read to the end, answer with the byte count as 8 bytes).

export const SINK_PROTOCOL = '/wasp2p-bench/sink/1.0.0'
export const ECHO_PROTOCOL = '/echo/1.0.0'
/** Bytes per write in throughput runs: Noise's largest plaintext per frame. */
export const CHUNK = 65519

const now = () => performance.now()
/** CPU time this process spent (user + system), ms: what a transfer costs its sender, whatever share of the CPU it got. */
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }

function median (values) {
  const s = [...values].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** Dial-to-ready: a fresh connection (secured + muxed) each time. */
export async function ready (adapter, addr, { count = 50 } = {}) {
  const times = []
  for (let i = 0; i < count; i++) {
    const started = now()
    const conn = await adapter.dial(addr)
    times.push(now() - started)
    await adapter.hangUp(conn)
  }
  return { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times) }
}

async function readAll (stream) {
  const parts = []
  for await (const chunk of stream.read()) parts.push(chunk)
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.length }
  return out
}

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

/** New stream + 1-byte echo, `concurrency` at a time, for `count` streams. */
export async function echoStreams (adapter, addr, { count = 500, concurrency = 1 } = {}) {
  const conn = await adapter.dial(addr)
  const one = Uint8Array.of(42)
  let next = 0
  const started = now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) {
      next++
      const stream = await adapter.open(conn, ECHO_PROTOCOL)
      await stream.write(one)
      await stream.closeWrite()
      const back = await readAll(stream)
      if (back.length !== 1 || back[0] !== 42) throw new Error(`echo returned ${back.length} bytes`)
    }
  }))
  const seconds = (now() - started) / 1000
  await adapter.hangUp(conn)
  return { perSecond: count / seconds }
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
