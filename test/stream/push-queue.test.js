import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { PushQueue, QueueEndedError } from '../../dist/stream/push-queue.js'

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

test('items come out in order; buffered counts bytes', async () => {
  const q = new PushQueue()
  q.push(new Uint8Array(3))
  q.push(new Uint8Array(5))
  assert.is(q.buffered, 8)
  assert.is(q.length, 2)
  q.end()
  const sizes = []
  for await (const item of q) sizes.push(item.length)
  assert.equal(sizes, [3, 5])
  assert.is(q.buffered, 0)
})

test('a waiting consumer gets a pushed item at once', async () => {
  const q = new PushQueue()
  const it = q[Symbol.asyncIterator]()
  const next = it.next()
  q.push(new Uint8Array([7]))
  assert.equal((await next).value, new Uint8Array([7]))
  assert.is(q.buffered, 0)
})

test('onTake reports every item the consumer takes, buffered or direct', async () => {
  const taken = []
  const q = new PushQueue({ onTake: item => taken.push(item.length) })
  q.push(new Uint8Array(1))
  const it = q[Symbol.asyncIterator]()
  await it.next()
  const pending = it.next()
  q.push(new Uint8Array(2))
  await pending
  assert.equal(taken, [1, 2])
})

test('end(err) delivers the buffered items, then the error', async () => {
  const q = new PushQueue()
  q.push(new Uint8Array(1))
  const boom = new Error('boom')
  q.end(boom)
  const it = q[Symbol.asyncIterator]()
  assert.is((await it.next()).value.length, 1)
  try { await it.next(); assert.unreachable() } catch (err) { assert.is(err, boom) }
})

test('abort(err) drops the buffer and rejects a pending pull', async () => {
  const q = new PushQueue()
  const it = q[Symbol.asyncIterator]()
  const pending = it.next()
  const err = new Error('gone')
  q.abort(err)
  try { await pending; assert.unreachable() } catch (e) { assert.is(e, err) }
  const q2 = new PushQueue()
  q2.push(new Uint8Array(9))
  q2.abort(err)
  assert.is(q2.buffered, 0)
  try { await q2[Symbol.asyncIterator]().next(); assert.unreachable() } catch (e) { assert.is(e, err) }
})

test('push after end throws QueueEndedError', () => {
  const q = new PushQueue()
  q.end()
  assert.throws(() => q.push(new Uint8Array(1)), err => err instanceof QueueEndedError)
})

test('whenBelow: resolves once the consumer drained enough', async () => {
  const q = new PushQueue()
  for (let i = 0; i < 4; i++) q.push(new Uint8Array(10))
  let resolved = false
  const waiting = q.whenBelow(15).then(() => { resolved = true })
  await sleep(5)
  assert.is(resolved, false)
  const it = q[Symbol.asyncIterator]()
  await it.next()
  await it.next()
  await sleep(0)
  assert.is(resolved, false, '20 bytes still buffered')
  await it.next()
  await waiting
  assert.is(resolved, true)
})

test('a consumer that breaks out drops the buffer and calls onReturn once', async () => {
  let returned = 0
  const q = new PushQueue({ onReturn: () => { returned++ } })
  q.push(new Uint8Array(1))
  q.push(new Uint8Array(2))
  for await (const item of q) { assert.is(item.length, 1); break }
  assert.is(returned, 1)
  assert.is(q.returned, true)
  assert.is(q.buffered, 0)
  q.push(new Uint8Array(3))
  assert.is(q.buffered, 0, 'pushes after the consumer left are dropped')
  await q.whenBelow(0)
})

test('one consumer at a time', async () => {
  const q = new PushQueue()
  const it = q[Symbol.asyncIterator]()
  const first = it.next()
  try { await it.next(); assert.unreachable() } catch (err) { assert.match(err.message, /one consumer/) }
  q.push(new Uint8Array(1))
  assert.is((await first).value.length, 1)
})

test('many items: memory of taken items is released (no unbounded growth of the backing array)', async () => {
  const q = new PushQueue({ size: () => 1 })
  const it = q[Symbol.asyncIterator]()
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 3000; i++) q.push(i)
    for (let i = 0; i < 3000; i++) assert.is((await it.next()).value, i)
  }
  assert.is(q.length, 0)
})

test.run()
