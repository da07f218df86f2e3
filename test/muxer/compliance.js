// Stream-muxer compliance suite: every StreamMuxerFactory must pass it.
// Runs two muxers over an in-memory duplex pair (no sockets, so it also runs
// in browsers). Usage:
//   import { muxerCompliance } from './compliance.js'
//   muxerCompliance('yamux', yamux()).run()
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { duplexPair } from '../../dist/stream/duplex-pair.js'

/** Resolves after `ms` (bounded waits only). */
export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

/** Rejects if `promise` takes longer than `ms`: a hang becomes a failure, not a stuck run. */
export async function within (ms, promise, what = 'operation') {
  let timer
  try {
    return await Promise.race([promise, new Promise((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms) })])
  } finally { clearTimeout(timer) }
}

export function randomBytes (n) {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)))
  return out
}

export function concat (chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0))
  let offset = 0
  for (const c of chunks) { out.set(c, offset); offset += c.length }
  return out
}

export async function readAll (stream) {
  const chunks = []
  for await (const chunk of stream) chunks.push(chunk.slice())
  return concat(chunks)
}

/** A queue of inbound streams with an awaitable next(). */
function inbox () {
  const items = []
  const waiters = []
  return {
    push (s) { const w = waiters.shift(); if (w) w(s); else items.push(s) },
    next () { return items.length > 0 ? Promise.resolve(items.shift()) : new Promise(resolve => waiters.push(resolve)) },
    get length () { return items.length }
  }
}

/** Two muxers connected through an in-memory pipe. */
export function connect (factory, { onServerStream, onClientStream, highWaterMark } = {}) {
  const [a, b] = duplexPair({ highWaterMark })
  const serverInbox = inbox()
  const clientInbox = inbox()
  let clientClosed, serverClosed
  const closed = {
    client: new Promise(resolve => { clientClosed = resolve }),
    server: new Promise(resolve => { serverClosed = resolve })
  }
  const client = factory.create(a, {
    direction: 'outbound',
    onIncomingStream: s => { if (onClientStream) onClientStream(s); else clientInbox.push(s) },
    onClose: err => clientClosed({ err })
  })
  const server = factory.create(b, {
    direction: 'inbound',
    onIncomingStream: s => { if (onServerStream) onServerStream(s); else serverInbox.push(s) },
    onClose: err => serverClosed({ err })
  })
  return { client, server, serverInbox, clientInbox, closed, pipe: [a, b] }
}

/** Closes a muxer without waiting long for streams the test left open. */
export async function shutdown (muxer) {
  await within(3000, muxer.close({ signal: AbortSignal.timeout(100) }), 'muxer close')
}

/** Echo handler: writes back whatever it reads, then half-closes. */
export async function echo (stream) {
  try {
    for await (const chunk of stream) await stream.write(chunk)
    await stream.closeWrite()
  } catch { /* the test decides what a failed echo means */ }
}

export function muxerCompliance (name, factory) {
  const test = suite(`${name}: muxer compliance`)

  test('protocol id is a multistream protocol string', () => {
    assert.type(factory.protocol, 'string')
    assert.ok(factory.protocol.startsWith('/'))
  })

  test('open and accept: directions, ids, protocol field', async () => {
    const { client, server, serverInbox, closed } = connect(factory)
    const out = await client.newStream()
    await out.write(new Uint8Array([1]))
    const inbound = await within(2000, serverInbox.next(), 'accept')
    assert.is(out.direction, 'outbound')
    assert.is(inbound.direction, 'inbound')
    assert.is(inbound.id, out.id, 'both sides name the stream alike')
    assert.is(out.protocol, undefined)
    out.protocol = '/echo/1.0.0'
    assert.is(out.protocol, '/echo/1.0.0')
    assert.is(client.streams.length, 1)
    assert.is(server.streams.length, 1)
    const second = await client.newStream()
    assert.is.not(second.id, out.id)
    await shutdown(client)
    await within(2000, closed.server, 'server close')
  })

  test('echo: small writes come back in order', async () => {
    const { client, closed } = connect(factory, { onServerStream: echo })
    const stream = await client.newStream()
    const messages = [new Uint8Array([1, 2, 3]), new Uint8Array([4]), randomBytes(1000)]
    const reading = readAll(stream)
    for (const m of messages) await stream.write(m)
    await stream.closeWrite()
    assert.equal(await within(3000, reading, 'echo'), concat(messages))
    await client.close()
    await within(2000, closed.server)
  })

  test('echo: 3 MiB in one write crosses many window updates', async () => {
    const { client, closed } = connect(factory, { onServerStream: echo })
    const stream = await client.newStream()
    const data = randomBytes(3 * 1024 * 1024)
    const reading = readAll(stream)
    await within(10000, stream.write(data), 'large write')
    await stream.closeWrite()
    const back = await within(10000, reading, 'large echo')
    assert.is(back.length, data.length)
    assert.equal(back, data)
    await client.close()
    await within(2000, closed.server)
  })

  test('the listener can open streams too', async () => {
    const { client, server, clientInbox } = connect(factory)
    const s = await server.newStream()
    await s.write(new Uint8Array([9, 9]))
    await s.closeWrite()
    const inbound = await within(2000, clientInbox.next())
    assert.is(inbound.direction, 'inbound')
    assert.equal(await within(2000, readAll(inbound)), new Uint8Array([9, 9]))
    await shutdown(server)
    await shutdown(client)
  })

  test('500 streams with bounded concurrency all echo correctly', async () => {
    const { client, server, closed } = connect(factory, { onServerStream: echo })
    let next = 0
    let done = 0
    const worker = async () => {
      while (next < 500) {
        const i = next++
        const stream = await client.newStream()
        const payload = new Uint8Array(100).fill(i & 0xff)
        payload[0] = i >> 8
        const reading = readAll(stream)
        await stream.write(payload)
        await stream.closeWrite()
        const back = await reading
        assert.equal(back, payload)
        done++
      }
    }
    await within(20000, Promise.all(Array.from({ length: 32 }, worker)), '500 streams')
    assert.is(done, 500)
    // Fully closed streams are forgotten on both sides.
    await sleep(20)
    assert.is(client.streams.length, 0)
    assert.is(server.streams.length, 0)
    await client.close()
    await within(2000, closed.server)
  })

  test('16 streams opened from both sides, 512 KiB each way at once', async () => {
    const { client, server, serverInbox, clientInbox, closed } = connect(factory)
    const SIZE = 512 * 1024
    const send = async (stream, data) => {
      for (let i = 0; i < data.length; i += 40_000) await stream.write(data.subarray(i, i + 40_000))
      await stream.closeWrite()
    }
    const pairs = []
    for (let i = 0; i < 16; i++) {
      const [opener, inbox] = i % 2 === 0 ? [client, serverInbox] : [server, clientInbox]
      const local = await opener.newStream()
      pairs.push([local, await within(3000, inbox.next(), 'accept')])
    }
    const same = (x, y) => x.length === y.length && x.every((b, i) => b === y[i])
    const results = await within(30000, Promise.all(pairs.map(async ([a, b]) => {
      const fromA = randomBytes(SIZE)
      const fromB = randomBytes(SIZE)
      const [atB, atA] = await Promise.all([readAll(b), readAll(a), send(a, fromA), send(b, fromB)])
      return same(atB, fromA) && same(atA, fromB)
    })), 'bidirectional transfer')
    assert.is(results.filter(Boolean).length, 16)
    await shutdown(client)
    await within(3000, closed.server)
  })

  test('half-close: each side keeps writing after the other closed its write side', async () => {
    const { client, serverInbox } = connect(factory)
    const out = await client.newStream()
    await out.write(new Uint8Array([1]))
    await out.closeWrite()
    const inbound = await within(2000, serverInbox.next())
    assert.equal(await within(2000, readAll(inbound)), new Uint8Array([1]), 'server sees the end after the data')
    // The server still writes after the client's FIN.
    const reading = readAll(out)
    await inbound.write(new Uint8Array([2]))
    await inbound.write(new Uint8Array([3]))
    await inbound.closeWrite()
    assert.equal(await within(2000, reading), new Uint8Array([2, 3]))
    // Writing after closeWrite is refused.
    let refused
    try { await out.write(new Uint8Array([4])) } catch (err) { refused = err }
    assert.ok(refused instanceof Error, 'write after closeWrite rejects')
    await shutdown(client)
  })

  test('half-close the other way: the listener finishes first', async () => {
    const { client, serverInbox } = connect(factory)
    const out = await client.newStream()
    await out.write(new Uint8Array([1]))
    const inbound = await within(2000, serverInbox.next())
    await inbound.write(new Uint8Array([5, 6]))
    await inbound.closeWrite()
    const it = out[Symbol.asyncIterator]()
    const first = await within(2000, it.next())
    assert.equal(first.value, new Uint8Array([5, 6]))
    assert.ok((await within(2000, it.next())).done, 'client sees the end')
    const reading = readAll(inbound)
    await out.write(new Uint8Array([7]))
    await out.closeWrite()
    assert.equal(await within(2000, reading), new Uint8Array([1, 7]))
    await shutdown(client)
  })

  test('close(): graceful close of both directions resolves', async () => {
    const { client, serverInbox } = connect(factory)
    const out = await client.newStream()
    await out.write(new Uint8Array([1]))
    const inbound = await within(2000, serverInbox.next())
    const serverSide = (async () => { const data = await readAll(inbound); await inbound.close(); return data })()
    await within(3000, out.close(), 'stream close')
    assert.equal(await within(3000, serverSide), new Uint8Array([1]))
    await shutdown(client)
  })

  test('reset: the remote read fails instead of ending', async () => {
    const { client, serverInbox } = connect(factory)
    const out = await client.newStream()
    await out.write(new Uint8Array([1]))
    const inbound = await within(2000, serverInbox.next())
    const it = inbound[Symbol.asyncIterator]()
    assert.equal((await within(2000, it.next())).value, new Uint8Array([1]))
    out.reset()
    let error
    try { await within(2000, it.next()) } catch (err) { error = err }
    assert.ok(error instanceof Error, 'read after remote reset rejects')
    assert.is.not(error.message.includes('did not finish'), true, 'it rejected, it did not hang')
    let writeError
    try { await out.write(new Uint8Array([2])) } catch (err) { writeError = err }
    assert.ok(writeError instanceof Error, 'write after local reset rejects')
    // A write on the reset side of the remote fails too, once the RST has arrived.
    let remoteWriteError
    try { await within(2000, inbound.write(new Uint8Array([3]))) } catch (err) { remoteWriteError = err }
    assert.ok(remoteWriteError instanceof Error)
    await shutdown(client)
  })

  test('abort(err): local pending reads reject with that error', async () => {
    const { client, serverInbox } = connect(factory)
    const out = await client.newStream()
    await out.write(new Uint8Array([1]))
    await within(2000, serverInbox.next())
    const reading = readAll(out)
    const reason = new Error('test abort')
    out.abort(reason)
    let error
    try { await within(2000, reading) } catch (err) { error = err }
    assert.is(error, reason)
    await shutdown(client)
  })

  test('backpressure: a slow reader stalls the writer, then everything arrives', async () => {
    const { client, serverInbox } = connect(factory)
    const out = await client.newStream()
    const chunk = randomBytes(16 * 1024)
    const total = 4 * 1024 * 1024
    let accepted = 0
    const writing = (async () => {
      for (let sent = 0; sent < total; sent += chunk.length) { await out.write(chunk); accepted += chunk.length }
      await out.closeWrite()
    })()
    const inbound = await within(2000, serverInbox.next())
    await sleep(150)
    // Nobody reads on the server: the writer is stuck far below the total.
    assert.ok(accepted < 2 * 1024 * 1024, `writer stalled (accepted ${accepted} of ${total} bytes)`)
    const stalledAt = accepted
    await sleep(100)
    assert.is(accepted, stalledAt, 'no progress while nobody reads')
    const received = await within(10000, readAll(inbound), 'drain')
    await within(10000, writing)
    assert.is(received.length, total)
    await shutdown(client)
  })

  test('close() with open streams: Go Away, streams end, both sides report closed', async () => {
    const { client, server, serverInbox, closed } = connect(factory)
    const out = await client.newStream()
    await out.write(new Uint8Array([1]))
    const inbound = await within(2000, serverInbox.next())
    const reading = readAll(out).then(() => 'ended', err => err)
    const controller = new AbortController()
    const closing = client.close({ signal: controller.signal })
    await sleep(30)
    // After Go Away the listener may not open streams on this connection.
    let refused
    try { await server.newStream() } catch (err) { refused = err }
    assert.ok(refused instanceof Error, 'newStream after remote Go Away rejects')
    controller.abort()
    await within(3000, closing, 'close')
    const result = await within(3000, reading)
    assert.ok(result === 'ended' || result instanceof Error)
    const serverResult = await within(3000, closed.server, 'server onClose')
    assert.ok(serverResult !== undefined)
    let writeError
    try { await inbound.write(new Uint8Array([2])) } catch (err) { writeError = err }
    assert.ok(writeError instanceof Error, 'stream writes fail after the session closed')
    let openError
    try { await client.newStream() } catch (err) { openError = err }
    assert.ok(openError instanceof Error, 'newStream after close rejects')
  })

  test('close() waits for open streams to finish', async () => {
    const { client, serverInbox, closed } = connect(factory, {})
    const out = await client.newStream()
    await out.write(new Uint8Array([1]))
    const inbound = await within(2000, serverInbox.next())
    let closedAt = 0
    const closing = client.close().then(() => { closedAt = performance.now() })
    await sleep(50)
    assert.is(closedAt, 0, 'still open while a stream is')
    // Both sides finish the stream; then the session goes.
    const serverDone = (async () => { await readAll(inbound); await inbound.closeWrite() })()
    await out.closeWrite()
    await within(3000, serverDone)
    await within(3000, closing)
    assert.ok(closedAt > 0)
    await within(3000, closed.server)
  })

  test('abort(): both sides close, open streams fail', async () => {
    const { client, serverInbox, closed } = connect(factory)
    const out = await client.newStream()
    await out.write(new Uint8Array([1]))
    const inbound = await within(2000, serverInbox.next())
    const remoteRead = readAll(inbound).then(() => 'ended', err => err)
    const localRead = readAll(out).then(() => 'ended', err => err)
    client.abort(new Error('boom'))
    const local = await within(2000, localRead)
    assert.ok(local instanceof Error, 'local stream fails')
    const remote = await within(2000, remoteRead)
    assert.ok(remote === 'ended' || remote instanceof Error)
    const c = await within(2000, closed.client)
    assert.is(c.err?.message, 'boom')
    await within(2000, closed.server, 'server notices')
  })

  return test
}
