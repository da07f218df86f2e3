import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { duplexPair, PipeClosedError } from '../../dist/stream/duplex-pair.js'

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

async function readAll (stream) {
  const out = []
  for await (const chunk of stream) out.push(...chunk)
  return Uint8Array.from(out)
}

test('bytes written on one end are read on the other, both ways', async () => {
  const [a, b] = duplexPair()
  const readingB = readAll(b)
  const readingA = readAll(a)
  await a.write(new Uint8Array([1, 2]))
  await b.write(new Uint8Array([9]))
  await a.write(new Uint8Array([3]))
  await a.closeWrite()
  await b.closeWrite()
  assert.equal(await readingB, new Uint8Array([1, 2, 3]))
  assert.equal(await readingA, new Uint8Array([9]))
})

test('backpressure: write waits while the reader is behind the high-water mark', async () => {
  const [a, b] = duplexPair({ highWaterMark: 100 })
  await a.write(new Uint8Array(60))
  let second = false
  const writing = a.write(new Uint8Array(60)).then(() => { second = true })
  await sleep(10)
  assert.is(second, false, '120 bytes unread > 100')
  const it = b[Symbol.asyncIterator]()
  await it.next()
  await writing
  assert.is(second, true)
})

test('write after closeWrite rejects', async () => {
  const [a] = duplexPair()
  await a.closeWrite()
  try { await a.write(new Uint8Array(1)); assert.unreachable() } catch (err) { assert.instance(err, PipeClosedError) }
})

test('abort: the other end reads an error, not an end', async () => {
  const [a, b] = duplexPair()
  const reading = readAll(b).then(() => 'ended', err => err)
  a.abort(new Error('reset'))
  const result = await reading
  assert.instance(result, PipeClosedError)
  assert.match(result.message, /reset/)
  try { await b.write(new Uint8Array(1)); assert.unreachable() } catch (err) { assert.instance(err, PipeClosedError) }
})

test('close: the other end sees the end and can no longer write', async () => {
  const [a, b] = duplexPair()
  const reading = readAll(b)
  await a.close()
  assert.equal(await reading, new Uint8Array(0))
  try { await b.write(new Uint8Array(1)); assert.unreachable() } catch (err) { assert.instance(err, PipeClosedError) }
})

test.run()
