// Ping /ipfs/ping/1.0.0 over an in-memory stream pair: round trips, reuse, mismatch,
// truncation, rate limit, timeouts, and the per-peer stream cap of the service.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import {
  ping, PingSession, handlePing, createPingService, PING_PROTOCOL, PING_PAYLOAD_LENGTH,
  PingMismatchError, PingTimeoutError, PingRateLimitError, PingTruncatedError
} from '../../dist/protocols/ping/index.js'
import { streamPair, rejection } from '../helpers/stream-pair.js'

test('one ping: the payload comes back and an RTT is measured', async () => {
  const [client, server] = streamPair()
  const served = handlePing(server)
  const rtt = await ping(client)
  assert.type(rtt, 'number')
  assert.ok(rtt >= 0 && rtt < 5000, `rtt ${rtt}`)
  await served
  assert.is(client.bytesWritten, PING_PAYLOAD_LENGTH)
  assert.is(server.bytesWritten, PING_PAYLOAD_LENGTH)
})

test('a session reuses one stream for many pings, each payload random', async () => {
  const [client, server] = streamPair()
  const seen = []
  const write = server.write.bind(server)
  server.write = async chunk => { seen.push(chunk.slice()); await write(chunk) }
  const served = handlePing(server)
  const session = new PingSession(client)
  for (let i = 0; i < 20; i++) await session.ping()
  await session.close()
  await served
  assert.is(seen.length, 20)
  assert.is(new Set(seen.map(b => b.join(','))).size, 20)
})

test('a wrong echo is a PingMismatchError and resets the stream', async () => {
  const [client, server] = streamPair()
  ;(async () => {
    const it = server[Symbol.asyncIterator]()
    const { value } = await it.next()
    const wrong = value.slice()
    wrong[0] ^= 1
    await server.write(wrong)
  })()
  const err = await rejection(ping(client))
  assert.instance(err, PingMismatchError)
  assert.is(err.name, 'PingMismatchError')
  assert.instance(client.error, PingMismatchError)
})

test('an echo that never comes is a PingTimeoutError', async () => {
  const [client] = streamPair()
  const err = await rejection(ping(client, { timeout: 30 }))
  assert.instance(err, PingTimeoutError)
})

test('an AbortSignal cancels a ping', async () => {
  const [client] = streamPair()
  const controller = new AbortController()
  setTimeout(() => controller.abort(new Error('cancelled')), 10)
  const err = await rejection(ping(client, { signal: controller.signal }))
  assert.is(err.message, 'cancelled')
})

test('the responder rejects a payload cut short with PingTruncatedError', async () => {
  const [client, server] = streamPair()
  const served = handlePing(server)
  await client.write(new Uint8Array(PING_PAYLOAD_LENGTH + 5))
  await client.closeWrite()
  const err = await rejection(served)
  assert.instance(err, PingTruncatedError)
  assert.instance(server.error, PingTruncatedError)
})

test('the responder closes a silent stream after its idle timeout', async () => {
  const [, server] = streamPair()
  const err = await rejection(handlePing(server, { idleTimeout: 20 }))
  assert.instance(err, PingTimeoutError)
})

test('the responder times out a dialer that sends pings but never reads the echoes', async () => {
  const [client, server] = streamPair()
  const served = handlePing(server, { idleTimeout: 30, maxPerWindow: Infinity })
  // More echo bytes than the pair buffers unread, so the responder's write must wait.
  await client.write(new Uint8Array(PING_PAYLOAD_LENGTH * 10_000))
  const err = await rejection(served)
  assert.instance(err, PingTimeoutError)
  assert.instance(server.error, PingTimeoutError)
})

test('the responder enforces its rate limit', async () => {
  const [client, server] = streamPair()
  const served = handlePing(server, { maxPerWindow: 5, rateWindow: 60_000 })
  const session = new PingSession(client)
  for (let i = 0; i < 5; i++) await session.ping()
  const clientErr = await rejection(session.ping({ timeout: 2000 }))
  const serverErr = await rejection(served)
  assert.instance(serverErr, PingRateLimitError)
  assert.ok(clientErr instanceof Error && !(clientErr instanceof PingTimeoutError), `client saw ${clientErr}`)
})

test('the service answers, caps concurrent streams per peer at 2, and pings out', async () => {
  const handlers = new Map()
  const registrar = { handle: (p, h) => { handlers.set(p, h) }, unhandle: p => { handlers.delete(p) } }
  const service = createPingService({ registrar })
  await service.start()
  assert.ok(handlers.has(PING_PROTOCOL))
  const remotePeer = { toString: () => '12D3KooWTestPeer' }
  const connection = {
    remotePeer,
    remoteAddr: undefined,
    newStream: async protocol => {
      const [out, inbound] = streamPair()
      inbound.protocol = out.protocol = protocol
      handlers.get(protocol)(inbound, connection)
      return out
    }
  }
  const rtt = await service.ping(connection)
  assert.ok(rtt >= 0)
  await new Promise(resolve => setTimeout(resolve, 5)) // let that responder finish and free its slot

  // Two long-lived sessions are fine; a third concurrent stream is refused.
  const open = []
  for (let i = 0; i < 3; i++) open.push(new PingSession(await connection.newStream(PING_PROTOCOL)))
  assert.ok(await open[0].ping() >= 0)
  assert.ok(await open[1].ping() >= 0)
  const err = await rejection(open[2].ping({ timeout: 2000 }))
  assert.instance(err, Error)
  await open[0].close()
  await open[1].close()
  await new Promise(resolve => setTimeout(resolve, 5))
  assert.ok(await service.ping(connection) >= 0, 'a slot frees once a stream ends')
  await service.stop()
  assert.not.ok(handlers.has(PING_PROTOCOL))
})

test.run()
