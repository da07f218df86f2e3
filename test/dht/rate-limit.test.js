// The per-peer token bucket that limits inbound DHT requests.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { InboundRateLimiter, INBOUND_REQUEST_BURST } from '../../dist/dht/index.js'

const peer = n => new Uint8Array([0, 2, n, n])

test('a burst is allowed, then requests refill at the sustained rate', () => {
  let now = 0
  const limiter = new InboundRateLimiter({ burst: 5, perSecond: 2, now: () => now })
  let allowed = 0
  for (let i = 0; i < 20; i++) if (limiter.take(peer(1))) allowed++
  assert.is(allowed, 5)
  now += 1000 // two tokens back
  assert.ok(limiter.take(peer(1)))
  assert.ok(limiter.take(peer(1)))
  assert.not.ok(limiter.take(peer(1)))
})

test('peers are limited separately', () => {
  const limiter = new InboundRateLimiter({ burst: 1, perSecond: 1, now: () => 0 })
  assert.ok(limiter.take(peer(1)))
  assert.not.ok(limiter.take(peer(1)))
  assert.ok(limiter.take(peer(2)))
})

test('memory is bounded: past maxPeers the oldest bucket is forgotten', () => {
  const limiter = new InboundRateLimiter({ burst: 1, perSecond: 0, maxPeers: 2, now: () => 0 })
  assert.ok(limiter.take(peer(1)))
  assert.ok(limiter.take(peer(2)))
  assert.ok(limiter.take(peer(3))) // evicts peer 1
  assert.ok(limiter.take(peer(1))) // a fresh bucket again
  assert.not.ok(limiter.take(peer(3)))
})

test('the default burst is a named constant', () => {
  const limiter = new InboundRateLimiter({ now: () => 0 })
  let allowed = 0
  for (let i = 0; i < INBOUND_REQUEST_BURST + 10; i++) if (limiter.take(peer(9))) allowed++
  assert.is(allowed, INBOUND_REQUEST_BURST)
})

test.run()
