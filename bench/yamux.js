// Yamux frame scanning: the WASM kernel (SIMD and scalar builds) against the
// JS twin, per chunk shape, to set the decoder's JS/WASM cut-over
// (src/muxer/yamux/decoder.ts), plus whole-muxer figures over an in-memory
// pipe: wasp2p on each backend against @chainsafe/libp2p-yamux (js-libp2p's
// muxer, over its own in-memory MultiaddrConnection pair).
//   node bench/yamux.js [--json]
//
// js-libp2p 3.x needs Promise.withResolvers, missing on Node 20; it is shimmed
// here for the competitor only (wasp2p does not use it).
import { runBench, saveReport, randomBytes } from './harness.js'
import { useBackend } from '../dist/wasm/backend.js'
import { JsFrameScanner, wasmFrameScanner, encodeHeader, FrameType, MAX_STREAM_WINDOW, FrameDecoder, yamux } from '../dist/muxer/yamux/index.js'
import { duplexPair } from '../dist/stream/duplex-pair.js'

function chunkOf (frames) {
  const parts = []
  for (const { type, length } of frames) {
    parts.push(encodeHeader(type, 0, 1, length))
    if (type === FrameType.Data) parts.push(randomBytes(length))
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) { out.set(p, o); o += p.length }
  return out
}

const repeat = (n, frame) => Array.from({ length: n }, () => frame)

const SHAPES = [
  ['1 window update (12 B)', [{ type: FrameType.WindowUpdate, length: 1 }]],
  ['1 data frame, 100 B', [{ type: FrameType.Data, length: 100 }]],
  ['4 frames, 256 B', repeat(4, { type: FrameType.Data, length: 52 })],
  ['10 frames, 1 KiB', repeat(10, { type: FrameType.Data, length: 90 })],
  ['200 frames, 16 KiB', repeat(200, { type: FrameType.Data, length: 70 })],
  ['1 data frame, 64 KiB', [{ type: FrameType.Data, length: 65536 - 12 }]],
  ['16 data frames, 64 KiB', repeat(16, { type: FrameType.Data, length: 4096 - 12 })],
  ['5461 window updates, 64 KiB', repeat(5461, { type: FrameType.WindowUpdate, length: 1 })]
]

function scanCase (name, getScanner, chunk) {
  let sink = 0
  return {
    name,
    fn: () => {
      const scanner = getScanner()
      const count = scanner.scan(chunk, MAX_STREAM_WINDOW)
      const table = scanner.table
      for (let i = 0; i < count; i++) sink ^= table[i * 4 + 1] ^ table[i * 4 + 2]
      return sink
    }
  }
}

async function muxerThroughput (bytes) {
  const [a, b] = duplexPair({ highWaterMark: 256 * 1024 })
  let inbound
  const accepted = new Promise(resolve => { inbound = resolve })
  const factory = yamux({ keepAliveInterval: 0 })
  const client = factory.create(a, { direction: 'outbound', onIncomingStream: () => {} })
  const server = factory.create(b, { direction: 'inbound', onIncomingStream: s => inbound(s) })
  const stream = await client.newStream()
  const chunk = randomBytes(64 * 1024)
  const writing = (async () => { for (let s = 0; s < bytes; s += chunk.length) await stream.write(chunk); await stream.closeWrite() })()
  let received = 0
  for await (const c of await accepted) received += c.length
  await writing
  client.abort(new Error('done'))
  server.abort(new Error('done'))
  if (received !== bytes) throw new Error(`received ${received} of ${bytes}`)
}

async function jsYamuxPair () {
  if (typeof Promise.withResolvers !== 'function') {
    Promise.withResolvers = function () {
      let resolve, reject
      const promise = new Promise((res, rej) => { resolve = res; reject = rej })
      return { promise, resolve, reject }
    }
  }
  const { yamux: jsYamux } = await import('@chainsafe/libp2p-yamux')
  const { multiaddrConnectionPair } = await import('@libp2p/utils')
  const [out, inb] = multiaddrConnectionPair()
  const client = jsYamux()().createStreamMuxer(out)
  const server = jsYamux()().createStreamMuxer(inb)
  return { client, server }
}

const bytesOf = chunk => chunk instanceof Uint8Array ? chunk : chunk.subarray()

async function jsYamuxThroughput (bytes) {
  const { client, server } = await jsYamuxPair()
  const accepted = new Promise(resolve => server.addEventListener('stream', evt => resolve(evt.detail), { once: true }))
  const stream = await client.createStream()
  const chunk = randomBytes(64 * 1024)
  const writing = (async () => {
    for (let s = 0; s < bytes; s += chunk.length) { if (!stream.send(chunk)) await stream.onDrain() }
    await stream.close()
  })()
  let received = 0
  for await (const c of await accepted) received += bytesOf(c).length
  await writing
  client.abort(new Error('done'))
  server.abort(new Error('done'))
  if (received !== bytes) throw new Error(`received ${received} of ${bytes}`)
}

/** A long-lived connection; each op opens a stream, echoes 1 byte, closes. */
async function wasp2pEchoSession () {
  const [a, b] = duplexPair()
  const factory = yamux({ keepAliveInterval: 0 })
  const client = factory.create(a, { direction: 'outbound', onIncomingStream: () => {} })
  factory.create(b, {
    direction: 'inbound',
    onIncomingStream: async s => { for await (const c of s) await s.write(c); await s.closeWrite() }
  })
  const one = new Uint8Array([1])
  return async () => {
    const s = await client.newStream()
    await s.write(one)
    await s.closeWrite()
    for await (const c of s) if (c[0] !== 1) throw new Error('bad echo')
  }
}

async function jsYamuxEchoSession () {
  const { client, server } = await jsYamuxPair()
  server.addEventListener('stream', async evt => {
    const s = evt.detail
    for await (const c of s) s.send(bytesOf(c))
    await s.close()
  })
  const one = new Uint8Array([1])
  return async () => {
    const s = await client.createStream()
    s.send(one)
    await s.close()
    for await (const c of s) if (bytesOf(c)[0] !== 1) throw new Error('bad echo')
  }
}

export async function run (options = {}) {
  const js = new JsFrameScanner()
  const groups = SHAPES.map(([label, frames]) => {
    const chunk = chunkOf(frames)
    return {
      name: `yamux scan: ${label}`,
      bytes: chunk.length,
      baseline: 'js',
      cases: [
        scanCase('js', () => js, chunk),
        { ...scanCase('wasm-simd', wasmFrameScanner, chunk), setup: () => useBackend('wasm-simd') },
        { ...scanCase('wasm', wasmFrameScanner, chunk), setup: () => useBackend('wasm') }
      ]
    }
  })
  // The decoder with its cut-over (auto) against JS only, on a realistic stream of mixed chunks.
  const mixed = [chunkOf([{ type: FrameType.WindowUpdate, length: 1 }]), chunkOf(repeat(50, { type: FrameType.Data, length: 200 })), chunkOf([{ type: FrameType.Data, length: 60000 }])]
  const rpc = [chunkOf(repeat(100, { type: FrameType.Data, length: 40 }))]
  const noop = { onHeader () {}, onPayload () {}, onFrameEnd () {} }
  const decoder = new FrameDecoder(noop, MAX_STREAM_WINDOW)
  for (const [label, chunks] of [['mixed chunks (12 B, 50 × 212 B, 60 KiB)', mixed], ['one chunk of 100 × 52 B frames', rpc]]) {
    groups.push({
      name: `yamux decoder: ${label}`,
      bytes: chunks.reduce((n, c) => n + c.length, 0),
      baseline: 'js',
      cases: ['js', 'auto'].map(backend => ({ name: backend, setup: () => useBackend(backend), fn: () => { for (const c of chunks) decoder.push(c) } }))
    })
  }
  const MB = 8 * 1024 * 1024
  groups.push({
    name: 'yamux stream: 8 MiB over an in-memory pipe',
    bytes: MB,
    baseline: 'js',
    cases: [
      ...['js', 'auto'].map(backend => ({ name: backend, setup: () => useBackend(backend), fn: () => muxerThroughput(MB) })),
      { name: '@chainsafe/libp2p-yamux', fn: () => jsYamuxThroughput(MB) }
    ]
  })
  const ours = await wasp2pEchoSession()
  const theirs = await jsYamuxEchoSession()
  groups.push({
    name: 'yamux: new stream + 1-byte echo + close, one long-lived connection',
    baseline: 'wasp2p',
    cases: [
      { name: 'wasp2p', setup: () => useBackend('auto'), fn: ours },
      { name: '@chainsafe/libp2p-yamux', fn: theirs }
    ]
  })
  const report = await runBench({ name: 'yamux', groups, rounds: options.rounds ?? 7, sampleMs: 30, warmupMs: 60 })
  useBackend('auto')
  return report
}

if (import.meta.url === `file://${globalThis.process?.argv?.[1]}`) {
  const report = await run()
  const file = await saveReport(report)
  if (file) console.log(`\nwrote ${file}`)
}
