// Hostile peers for the fault-injection tests (test/faults/) and the soak's
// hostile phase (bench/soak.js), Node only. Each attack is real wire traffic
// over TCP: slowloris sockets that never finish their handshake, a wasp2p
// node that opens streams and never reads, and a "raw yamux" peer that
// completes a real Noise handshake (the node's own upgrader) and then writes
// yamux frames of its choosing: data beyond the window, SYN floods, Ping
// floods. Plus the honest side: echo rounds over a connection, timed.
import net from 'node:net'
import { randomBytes } from 'node:crypto'
import { ECHO_PROTOCOL } from '../../dist/index.js'
import { encodeHeader, FrameType, Flag, YAMUX_PROTOCOL } from '../../dist/muxer/yamux/index.js'
import { patternBytes, equalBytes, concat } from './bytes.js'

/** One multistream-select message: uvarint length, the text, '\n' (multistream-select spec). */
export function multistreamMessage (text) {
  const body = new TextEncoder().encode(`${text}\n`)
  if (body.length > 127) throw new RangeError('short messages only')
  return concat([new Uint8Array([body.length]), body])
}

/**
 * What each slowloris kind sends after connecting, then nothing more:
 * - bare: nothing at all;
 * - partial: the first bytes of the multistream header line;
 * - noise1: the header, the `/noise` proposal and a Noise XX message 1 (a
 *   2-byte length and a 32-byte ephemeral key, noise-libp2p spec), the way a
 *   js-libp2p dialer sends its first flight, then silence: the listener has
 *   answered with message 2 and waits for message 3 that never comes.
 */
export function slowlorisBytes (kind) {
  if (kind === 'bare') return new Uint8Array(0)
  if (kind === 'partial') return multistreamMessage('/multistream/1.0.0').subarray(0, 8)
  if (kind === 'noise1') {
    return concat([multistreamMessage('/multistream/1.0.0'), multistreamMessage('/noise'), new Uint8Array([0, 32]), randomBytes(32)])
  }
  throw new RangeError(`unknown slowloris kind ${kind}`)
}

/**
 * Opens one slowloris socket; resolves once connected with the socket and
 * `closed`, a promise of the time (performance.now()) the target closed it.
 * Whatever the target sends is read and dropped (the attacker's cheapest move).
 */
export async function openSlowloris (kind, host, port) {
  const socket = net.connect({ host, port })
  socket.on('data', () => {})
  const closed = new Promise(resolve => socket.once('close', () => resolve(performance.now())))
  socket.on('error', () => {})
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  const bytes = slowlorisBytes(kind)
  if (bytes.length > 0) socket.write(bytes)
  return { socket, closed, openedAt: performance.now() }
}

/**
 * Keeps `count` slowloris sockets of `kind` open against host:port until
 * `stop()`: each one the target closes is replaced after `reopenDelayMs`
 * (a persistent attacker), unless `reopen` is false (an attacker that holds
 * what it got). Every loop is bounded: at most `maxSockets` in all.
 */
export function slowlorisSwarm (kind, host, port, { count, reopen = true, reopenDelayMs = 50, maxSockets = reopen ? count * 20 : count }) {
  let stopped = false
  let opened = 0
  const lifetimes = []
  const live = new Set()
  const keepOne = async () => {
    while (!stopped && opened < maxSockets) {
      opened++
      let s
      try { s = await openSlowloris(kind, host, port) } catch { await delay(reopenDelayMs); continue }
      live.add(s)
      const closedAt = await Promise.race([s.closed, new Promise(resolve => { s.stop = resolve })])
      live.delete(s)
      if (typeof closedAt === 'number') lifetimes.push(closedAt - s.openedAt)
      else s.socket.destroy()
      if (!reopen) break
      if (!stopped) await delay(reopenDelayMs)
    }
  }
  const loops = Array.from({ length: count }, keepOne)
  return {
    get opened () { return opened },
    get live () { return live.size },
    /** How long each socket the target closed had been open, in ms. */
    lifetimes,
    async stop () {
      stopped = true
      for (const s of live) s.stop?.()
      await Promise.all(loops)
    }
  }
}

export function delay (ms) {
  return new Promise(resolve => setTimeout(resolve, ms))
}

/**
 * A muxer factory that speaks for `/yamux/1.0.0` but hands the secured stream
 * to `onSession` instead of running yamux: the attacker writes whatever frames
 * it likes. `onSession(stream)` gets the Noise-secured ByteStream.
 */
export function rawYamux (onSession) {
  return {
    protocol: YAMUX_PROTOCOL,
    create (stream) {
      onSession(stream)
      return {
        protocol: YAMUX_PROTOCOL,
        streams: [],
        async newStream () { throw new Error('raw yamux: no streams') },
        async close () { stream.abort(new Error('raw yamux: closed')) },
        abort (err) { stream.abort(err) }
      }
    }
  }
}

/**
 * Dials `target` from `attackerNode` (created with `streamMuxers: [rawYamux(...)]`
 * by makeRawYamuxAttacker) and returns { stream, ended }: `ended` resolves with
 * performance.now() once the target has closed the session (our read ends or fails).
 */
export async function openRawSession (attacker, target) {
  const session = attacker.nextSession()
  await attacker.node.dial(target, { force: true })
  const stream = await session
  const ended = (async () => {
    try { for await (const _ of stream) { /* drop */ } } catch { /* reset: also the end */ }
    return performance.now()
  })()
  return { stream, ended }
}

/** A wasp2p node whose muxer is rawYamux; `createNode` is passed in (dist import). */
export async function makeRawYamuxAttacker (createNode, transports) {
  const waiting = []
  const node = await createNode({
    transports, services: false, start: true, listen: [],
    streamMuxers: [rawYamux(stream => { waiting.shift()?.(stream) })]
  })
  return {
    node,
    nextSession () { return new Promise(resolve => waiting.push(resolve)) }
  }
}

/** Data frames beyond the 256 KiB initial window on a fresh stream: the spec makes that a protocol error. */
export async function sendBeyondWindow (stream, streamId = 1) {
  await stream.write(encodeHeader(FrameType.WindowUpdate, Flag.SYN, streamId, 0))
  const length = 256 * 1024 + 1
  await stream.write(concat([encodeHeader(FrameType.Data, 0, streamId, length), new Uint8Array(length)]))
}

/** `count` stream-opening SYNs (odd ids: we dialed), written in batches of 256 frames. */
export async function synFlood (stream, count, firstId = 1) {
  for (let i = 0; i < count; i += 256) {
    const n = Math.min(256, count - i)
    const frames = []
    for (let j = 0; j < n; j++) frames.push(encodeHeader(FrameType.WindowUpdate, Flag.SYN, firstId + 2 * (i + j), 0))
    await stream.write(concat(frames))
  }
}

/** `count` Ping requests, written in batches of 256 frames. */
export async function pingFlood (stream, count) {
  for (let i = 0; i < count; i += 256) {
    const n = Math.min(256, count - i)
    const frames = []
    for (let j = 0; j < n; j++) frames.push(encodeHeader(FrameType.Ping, Flag.SYN, 0, i + j + 1))
    await stream.write(concat(frames))
  }
}

/** One echo round over `connection`: `bytes` out, the same back; resolves with its time in ms. */
export async function echoRound (connection, bytes = 1024, seed = 7) {
  const start = performance.now()
  const stream = await connection.newStream(ECHO_PROTOCOL)
  const data = patternBytes(bytes, seed)
  const reading = (async () => {
    const chunks = []
    for await (const c of stream) chunks.push(c.slice())
    return concat(chunks)
  })()
  await stream.write(data)
  await stream.closeWrite()
  const back = await reading
  if (!equalBytes(back, data)) throw new Error(`echo came back wrong (${back.length} of ${bytes} bytes)`)
  return performance.now() - start
}

/**
 * An honest peer's echo running alongside an attack: dials `target` afresh
 * each round (`fresh`, so it needs an inbound slot like any new peer) or once,
 * and echoes every `intervalMs` until `stop()`. Each round must finish within
 * `roundTimeoutMs`; `stop()` resolves with { latencies, failures }.
 */
export function honestEchoLoop (client, target, { intervalMs = 100, roundTimeoutMs, fresh = false, maxRounds = 1000 }) {
  const latencies = []
  const failures = []
  let stopped = false
  const loop = (async () => {
    let connection
    for (let i = 0; i < maxRounds && !stopped; i++) {
      const start = performance.now()
      try {
        await withDeadline((async () => {
          if (fresh || connection === undefined || connection.status !== 'open') connection = await client.dial(target, { force: fresh })
          await echoRound(connection)
          if (fresh) await connection.close()
        })(), roundTimeoutMs, `honest echo round ${i}`)
        latencies.push(performance.now() - start)
      } catch (err) {
        failures.push(`${i}: ${err.name}: ${err.message}`)
        connection?.abort?.(err)
        connection = undefined
      }
      await delay(intervalMs)
    }
  })()
  return {
    latencies,
    failures,
    async stop () { stopped = true; await loop; return { latencies, failures } }
  }
}

function withDeadline (promise, ms, what) {
  let timer
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms) })
  ])
}

/** Median and 99th percentile (nearest rank) of `values`, in the same unit, rounded to 0.1. */
export function summarize (values) {
  if (values.length === 0) return { count: 0 }
  const sorted = [...values].sort((a, b) => a - b)
  const rank = p => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]
  const r = v => Math.round(v * 10) / 10
  return { count: sorted.length, median: r(rank(0.5)), p99: r(rank(0.99)), max: r(sorted[sorted.length - 1]) }
}
