// /echo/1.0.0 handler over an in-memory stream pair: echoes and half-closes, and a remote
// that goes silent or stops reading is cut off after the idle timeout.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { handleEcho, EchoTimeoutError, ECHO_IDLE_TIMEOUT_MS } from '../../dist/node/index.js'
import { streamPair, rejection } from '../helpers/stream-pair.js'

test('echoes every byte back and closes after the remote does', async () => {
  const [client, server] = streamPair()
  const served = handleEcho(server, { idleTimeout: 1000 })
  const sent = Uint8Array.from({ length: 1000 }, (_, i) => i & 255)
  await client.write(sent)
  await client.closeWrite()
  const got = []
  for await (const chunk of client) got.push(...chunk)
  await served
  assert.equal(got, [...sent])
})

test('the default idle timeout is finite and positive', () => {
  assert.ok(Number.isFinite(ECHO_IDLE_TIMEOUT_MS) && ECHO_IDLE_TIMEOUT_MS > 0)
})

test('a silent remote is aborted with EchoTimeoutError', async () => {
  const [, server] = streamPair()
  const err = await rejection(handleEcho(server, { idleTimeout: 30 }))
  assert.instance(err, EchoTimeoutError)
  assert.instance(server.error, EchoTimeoutError)
})

test('a remote that sends but never reads is aborted with EchoTimeoutError', async () => {
  const [client, server] = streamPair()
  const served = handleEcho(server, { idleTimeout: 30 })
  await client.write(new Uint8Array(1024 * 1024))
  assert.instance(await rejection(served), EchoTimeoutError)
})

test.run()
