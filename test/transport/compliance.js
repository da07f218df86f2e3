// One compliance suite for every Transport: run by tcp.node.test.js,
// websockets.node.test.js and memory.test.js with a factory for each.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '@multiformats/multiaddr'
import { DialError, ConnectionResetError, ConnectionClosedError } from '../../dist/transport/index.js'
import { concat, patternBytes, readAll, equalBytes, writeChunked, withTimeout, utf8, text } from '../helpers/bytes.js'

const STEP_TIMEOUT_MS = 10_000

/**
 * @param {string} name
 * @param {object} setup
 * @param {() => import('../../dist/transport/types.js').Transport} setup.transport
 * @param {string} setup.listenAddr  an address with a free-port request (port 0 / fresh name)
 * @param {boolean} setup.halfClose  whether closeWrite leaves the read side open
 */
export function transportCompliance (name, { transport: makeTransport, listenAddr, halfClose }) {
  const test = suite(`transport compliance: ${name}`)

  async function pair (onConnection) {
    const transport = makeTransport()
    const accepted = []
    let notify
    const listener = transport.createListener({
      onConnection: conn => { accepted.push(conn); onConnection?.(conn); notify?.() }
    })
    await listener.listen(multiaddr(listenAddr))
    const [addr] = listener.getAddrs()
    const dialed = await withTimeout(transport.dial(addr), STEP_TIMEOUT_MS, 'dial')
    if (accepted.length === 0) await withTimeout(new Promise(resolve => { notify = resolve }), STEP_TIMEOUT_MS, 'accept')
    return { transport, listener, addr, dialed, accepted: accepted[0] }
  }

  test('listens on a resolved address that its own filters accept', async () => {
    const transport = makeTransport()
    const listener = transport.createListener({ onConnection: () => {} })
    await listener.listen(multiaddr(listenAddr))
    const addrs = listener.getAddrs()
    assert.is(addrs.length, 1)
    assert.not.ok(addrs[0].toString().includes('/tcp/0/'), 'port 0 was resolved')
    assert.is(transport.dialFilter(addrs).length, 1)
    assert.is(transport.listenFilter([multiaddr(listenAddr)]).length, 1)
    assert.is(transport.dialFilter([multiaddr('/ip4/127.0.0.1/udp/1/quic-v1')]).length, 0)
    await listener.close()
  })

  test('data flows both ways', async () => {
    const { listener, dialed, accepted } = await pair()
    assert.ok(dialed.remoteAddr)
    assert.ok(accepted.remoteAddr)
    await dialed.write(utf8('hello'))
    const fromDialer = await withTimeout(accepted[Symbol.asyncIterator]().next(), STEP_TIMEOUT_MS, 'read')
    assert.is(text(fromDialer.value), 'hello')
    await accepted.write(utf8('world'))
    const fromListener = await withTimeout(dialed[Symbol.asyncIterator]().next(), STEP_TIMEOUT_MS, 'read')
    assert.is(text(fromListener.value), 'world')
    dialed.abort(new Error('done'))
    accepted.abort(new Error('done'))
    await listener.close()
  })

  test('8 MiB echoed byte-exact with backpressure on both sides', async () => {
    const { listener, dialed, accepted } = await pair()
    const echo = (async () => {
      for await (const chunk of accepted) await accepted.write(chunk)
    })()
    const data = patternBytes(8 * 1024 * 1024, 7)
    const iterator = dialed[Symbol.asyncIterator]()
    const received = (async () => {
      const chunks = []
      let length = 0
      while (length < data.length) {
        const { done, value } = await iterator.next()
        if (done) break
        chunks.push(value.slice()); length += value.length
      }
      return concat(chunks)
    })()
    await withTimeout(writeChunked(dialed, data, 100_000), STEP_TIMEOUT_MS * 3, 'write')
    const back = await withTimeout(received, STEP_TIMEOUT_MS * 3, 'echo')
    assert.is(back.length, data.length)
    assert.ok(equalBytes(back, data), 'byte-exact')
    await dialed.closeWrite()
    await withTimeout(echo, STEP_TIMEOUT_MS, 'echo loop sees the end')
    dialed.abort(new Error('done'))
    accepted.abort(new Error('done'))
    await listener.close()
  })

  test('a writer may reuse its buffer once write resolves', async () => {
    const { listener, dialed, accepted } = await pair()
    const CHUNKS = 64
    const buffer = new Uint8Array(64 * 1024)
    const received = (async () => {
      const iterator = accepted[Symbol.asyncIterator]()
      const chunks = []
      let length = 0
      while (length < CHUNKS * buffer.length) {
        const { done, value } = await iterator.next()
        if (done) break
        chunks.push(value.slice()); length += value.length
      }
      return concat(chunks)
    })()
    for (let i = 0; i < CHUNKS; i++) {
      buffer.fill(i)
      await dialed.write(buffer)
    }
    buffer.fill(0xff)
    const all = await withTimeout(received, STEP_TIMEOUT_MS, 'read')
    assert.is(all.length, CHUNKS * buffer.length)
    let intact = true
    for (let i = 0; i < CHUNKS && intact; i++) {
      for (let j = 0; j < buffer.length; j += 4096) if (all[i * buffer.length + j] !== i) { intact = false; break }
    }
    assert.ok(intact, 'every chunk arrived as it was when written')
    dialed.abort(new Error('done'))
    accepted.abort(new Error('done'))
    await listener.close()
  })

  test(halfClose ? 'closeWrite is a half-close: the other direction stays open' : 'closeWrite ends the remote reader', async () => {
    const { listener, dialed, accepted } = await pair()
    await dialed.write(utf8('request'))
    await dialed.closeWrite()
    const request = await withTimeout(readAll(accepted), STEP_TIMEOUT_MS, 'read to end')
    assert.is(text(request), 'request')
    if (halfClose) {
      await accepted.write(utf8('response'))
      await accepted.closeWrite()
      const response = await withTimeout(readAll(dialed), STEP_TIMEOUT_MS, 'response')
      assert.is(text(response), 'response')
    }
    await dialed.close()
    await accepted.close()
    await listener.close()
  })

  test('write after close rejects with ConnectionClosedError', async () => {
    const { listener, dialed, accepted } = await pair()
    // A graceful close waits for the remote's end, which the abort provides.
    const closing = dialed.close().catch(() => {})
    accepted.abort(new Error('done'))
    await withTimeout(closing, STEP_TIMEOUT_MS, 'close')
    try {
      await dialed.write(utf8('late'))
      assert.unreachable('write after close must reject')
    } catch (err) {
      assert.ok(err instanceof ConnectionClosedError || err instanceof ConnectionResetError, `got ${err.name}`)
    }
    await listener.close()
  })

  test('dial to an address nobody listens on fails with a DialError', async () => {
    const transport = makeTransport()
    const listener = transport.createListener({ onConnection: conn => conn.abort(new Error('unexpected')) })
    await listener.listen(multiaddr(listenAddr))
    const [addr] = listener.getAddrs()
    await listener.close()
    try {
      await withTimeout(transport.dial(addr), STEP_TIMEOUT_MS, 'dial')
      assert.unreachable('dial must fail')
    } catch (err) {
      assert.ok(err instanceof DialError, `expected a DialError, got ${err.name}: ${err.message}`)
    }
  })

  test('dial rejects at once with an aborted signal', async () => {
    const { listener, addr, dialed, accepted, transport } = await pair()
    dialed.abort(new Error('done'))
    accepted.abort(new Error('done'))
    const controller = new AbortController()
    controller.abort()
    try {
      await withTimeout(transport.dial(addr, { signal: controller.signal }), STEP_TIMEOUT_MS, 'dial')
      assert.unreachable('dial must fail')
    } catch (err) {
      assert.is(err.name, 'DialAbortedError')
      assert.ok(err instanceof DialError)
    }
    await listener.close()
  })

  test('abort fails local reads with the given error and resets the remote', async () => {
    const { listener, dialed, accepted } = await pair()
    const localRead = dialed[Symbol.asyncIterator]().next()
    const remoteRead = readAll(accepted)
    const reason = new Error('local abort')
    dialed.abort(reason)
    try {
      await withTimeout(localRead, STEP_TIMEOUT_MS, 'local read')
      assert.unreachable('local read must reject')
    } catch (err) {
      assert.is(err, reason)
    }
    try {
      await withTimeout(remoteRead, STEP_TIMEOUT_MS, 'remote read')
      assert.unreachable('remote read must reject')
    } catch (err) {
      assert.ok(err instanceof ConnectionResetError, `expected ConnectionResetError, got ${err.name}: ${err.message}`)
    }
    await listener.close()
  })

  return test
}
