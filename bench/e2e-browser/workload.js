// The workloads of the e2e benchmarks free of Node APIs, so that they bundle for a
// browser worker: the page side of `npm run bench -- e2e-browser` (bench/e2e-browser.js),
// and the part of bench/e2e/scenarios.js (which adds the Node-only ones) both share,
// against the same Node peers and protocols, written against one small adapter.
//   adapter.dial(addr) → conn;  adapter.hangUp(conn);
//   adapter.open(conn, protocol) → { write(bytes): Promise, closeWrite(): Promise, read(): AsyncIterable<Uint8Array> }

export const SINK_PROTOCOL = '/wasp2p-bench/sink/1.0.0'
export const ECHO_PROTOCOL = '/echo/1.0.0'
/** Bytes per write in bulk runs: Noise's largest plaintext per frame, as in Node. */
export const CHUNK = 65519

const now = () => performance.now()

function median (values) {
  const s = [...values].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

export async function readAll (stream) {
  const parts = []
  for await (const chunk of stream.read()) parts.push(chunk)
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.length }
  return out
}

/** Dial-to-ready: a fresh connection (secured + muxed) each time. */
export async function ready (adapter, addr, { count = 20 } = {}) {
  const times = []
  for (let i = 0; i < count; i++) {
    const started = now()
    const conn = await adapter.dial(addr)
    times.push(now() - started)
    await adapter.hangUp(conn)
  }
  return { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times) }
}

/** One stream pushes `totalBytes` to the sink, which answers with the count. */
export async function bulk (adapter, addr, { totalBytes = 64 * 1024 * 1024 } = {}) {
  const conn = await adapter.dial(addr)
  const chunk = new Uint8Array(CHUNK).fill(7)
  const started = now()
  const stream = await adapter.open(conn, SINK_PROTOCOL)
  for (let sent = 0; sent < totalBytes;) {
    const n = Math.min(CHUNK, totalBytes - sent)
    await stream.write(n === CHUNK ? chunk : chunk.subarray(0, n))
    sent += n
  }
  await stream.closeWrite()
  const reply = await readAll(stream)
  const received = Number(new DataView(reply.buffer, reply.byteOffset, 8).getBigUint64(0))
  if (received !== totalBytes) throw new Error(`sink counted ${received} bytes, sent ${totalBytes}`)
  const seconds = (now() - started) / 1000
  await adapter.hangUp(conn)
  return { mbPerS: totalBytes / 1e6 / seconds }
}

/** New stream + 1-byte echo, `concurrency` at a time, for `count` streams. */
export async function echoStreams (adapter, addr, { count = 300, concurrency = 1 } = {}) {
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

/** Runs `scenario` with `params` against `addr` and prints one JSON line with the result. */
export async function runScenario (createAdapter, scenario, addr, params) {
  const { adapter, stop } = await createAdapter()
  try {
    const result = await ({ ready, bulk, echoStreams })[scenario](adapter, addr, params)
    console.log(JSON.stringify({ result }))
  } finally {
    await stop()
  }
}
