// Perf /perf/1.0.0 over an in-memory stream pair: exact byte counts both ways, the
// header on the wire, the download limit, and short/long downloads seen by the client.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  perf, handlePerf, PERF_CHUNK_SIZE, PERF_HEADER_LENGTH, PERF_MAX_DURATION_MS,
  PerfLimitError, PerfHeaderError, PerfLengthMismatchError, PerfTimeoutError
} from '../../dist/protocols/perf/index.js'
import { streamPair, rejection } from '../helpers/stream-pair.js'

const sizes = [
  [0, 0], [1, 0], [0, 1], [PERF_CHUNK_SIZE - 1, PERF_CHUNK_SIZE + 1],
  [3 * PERF_CHUNK_SIZE + 17, 2 * PERF_CHUNK_SIZE], [1_000_003, 777_777]
]
for (const [upload, download] of sizes) {
  test(`upload ${upload} / download ${download}: both sides count exactly`, async () => {
    const [client, server] = streamPair()
    const served = handlePerf(server)
    const result = await perf(client, { upload, download })
    const seen = await served
    assert.is(result.uploadBytes, upload)
    assert.is(result.downloadBytes, download)
    assert.is(seen.uploadBytes, upload)
    assert.is(seen.downloadBytes, download)
    assert.is(client.bytesWritten, PERF_HEADER_LENGTH + upload)
    assert.is(server.bytesWritten, download)
    const t = result.timings
    assert.ok(t.upload >= 0 && t.download >= 0 && t.firstByte >= 0 && t.firstByte <= t.download)
    assert.ok(Math.abs(t.total - (t.upload + t.download)) < 1e-6)
  })
}

test('the request header is the download size as a big-endian uint64', async () => {
  const [client, server] = streamPair()
  const first = server[Symbol.asyncIterator]().next()
  const exchange = perf(client, { download: 0x0102030405 })
  const { value } = await first
  assert.equal([...value.subarray(0, 8)], [0, 0, 0, 1, 2, 3, 4, 5])
  server.abort(new Error('done looking'))
  await rejection(exchange)
})

test('a request above maxDownloadBytes is a PerfLimitError; the client sees a reset', async () => {
  const [client, server] = streamPair()
  const served = handlePerf(server, { maxDownloadBytes: 1000 })
  const clientErr = await rejection(perf(client, { download: 1001 }))
  const serverErr = await rejection(served)
  assert.instance(serverErr, PerfLimitError)
  assert.is(serverErr.name, 'PerfLimitError')
  assert.instance(clientErr, Error)
})

test('the largest uint64 request is refused, not attempted', async () => {
  const [client, server] = streamPair()
  const served = handlePerf(server)
  await client.write(new Uint8Array(8).fill(0xff))
  await client.closeWrite()
  assert.instance(await rejection(served), PerfLimitError)
})

test('a header cut short is a PerfHeaderError', async () => {
  const [client, server] = streamPair()
  const served = handlePerf(server)
  await client.write(new Uint8Array(5))
  await client.closeWrite()
  assert.instance(await rejection(served), PerfHeaderError)
})

test('a header that never comes times out as a PerfHeaderError', async () => {
  const [, server] = streamPair()
  assert.instance(await rejection(handlePerf(server, { headerTimeout: 20 })), PerfHeaderError)
})

test('after the header, an upload that stalls without a half-close times out as a PerfTimeoutError', async () => {
  const [client, server] = streamPair()
  const served = handlePerf(server, { idleTimeout: 30 })
  const header = new Uint8Array(8)
  header[7] = 10
  await client.write(header)
  await client.write(new Uint8Array(100))
  const err = await rejection(served)
  assert.instance(err, PerfTimeoutError)
  assert.instance(server.error, PerfTimeoutError)
})

test('a client that never reads the download times out as a PerfTimeoutError', async () => {
  const [client, server] = streamPair()
  const served = handlePerf(server, { idleTimeout: 30 })
  const header = new Uint8Array(8)
  new DataView(header.buffer).setUint32(4, 4 * 1024 * 1024)
  await client.write(header)
  await client.closeWrite()
  assert.instance(await rejection(served), PerfTimeoutError)
  assert.ok(server.bytesWritten < 4 * 1024 * 1024)
})

test('a client that keeps trickling within the idle timeout is cut off at maxDuration (PerfTimeoutError)', async () => {
  assert.is(PERF_MAX_DURATION_MS, 5 * 60_000)
  const [client, server] = streamPair()
  const served = handlePerf(server, { idleTimeout: 1000, maxDuration: 300 })
  await client.write(new Uint8Array(8))
  // One byte every 20 ms: never idle for the idle timeout, and never finished.
  const trickle = setInterval(() => { client.write(new Uint8Array(1)).catch(() => {}) }, 20)
  try {
    const started = Date.now()
    const err = await rejection(served)
    assert.instance(err, PerfTimeoutError)
    assert.match(err.message, /longer than 300 ms/)
    assert.ok(Date.now() - started < 5000, 'ended near the deadline')
    assert.instance(server.error, PerfTimeoutError)
  } finally {
    clearInterval(trickle)
  }
})

test('a server that sends too little or too much is a PerfLengthMismatchError', async () => {
  for (const sent of [99, 101]) {
    const [client, server] = streamPair()
    ;(async () => {
      for await (const _ of server) { /* drain the request */ }
      await server.write(new Uint8Array(sent))
      await server.close()
    })().catch(() => {})
    const err = await rejection(perf(client, { download: 100 }))
    assert.instance(err, PerfLengthMismatchError, `sent ${sent}`)
  }
})

test('negative or fractional amounts are a RangeError before anything is sent', async () => {
  const [client] = streamPair()
  assert.instance(await rejection(perf(client, { upload: -1 })), RangeError)
  assert.instance(await rejection(perf(client, { download: 1.5 })), RangeError)
  assert.is(client.bytesWritten, 0)
})

test.run()
