// Upgrader and Connection over the memory transport: one suite, run by
// upgrader.test.js with a pass-through test encrypter and a minimal test muxer
// (the upgrade logic on its own) and by upgrader-noise.test.js with Noise and
// yamux (the real stack).
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { Upgrader, UpgradeError, UpgradeTimeoutError, ConnectionNotOpenError } from '../../dist/connection/index.js'
import { UnsupportedProtocolError } from '../../dist/multistream/index.js'
import { rawPair } from '../helpers/pair.js'
import { readAll, withTimeout, utf8, text, patternBytes, equalBytes, writeChunked } from '../helpers/bytes.js'

const T = 5000

/**
 * @param {string} name
 * @param {object} stack
 * @param {(protocol?: string) => object} stack.encrypter  factory; the argument renames the protocol
 * @param {() => object} stack.muxer
 * @param {(name: string) => Promise<{ privateKey: object, peerId: object }>} stack.identity
 * @param {boolean} stack.plaintext  whether negotiation after the handshake is visible on the raw connection
 */
export function upgraderSuite (name, stack) {
  const test = suite(`upgrader: ${name}`)
  const { encrypter: testEncrypter, muxer: testMuxer } = stack
  const ids = {}
  async function id (who) { ids[who] ??= await stack.identity(who); return ids[who] }

  function registry (handlers = {}) {
    return { protocols: () => Object.keys(handlers), handler: p => handlers[p] }
  }

  const echo = async stream => {
    for await (const chunk of stream) await stream.write(chunk)
    await stream.closeWrite()
  }

  async function upgradedPair ({ dialer = {}, listener = {}, handlers = { '/echo/1.0.0': echo } } = {}) {
    const { dialer: a, listener: b, written } = await rawPair()
    const alice = await id('alice')
    const bob = await id('bob')
    const up = (who, extra) => new Upgrader({ privateKey: who.privateKey, encrypters: [testEncrypter()], muxers: [testMuxer()], registry: registry(handlers), ...extra })
    const [outbound, inbound] = await withTimeout(Promise.all([
      up(alice, dialer).upgradeOutbound(a, { remotePeer: bob.peerId }),
      up(bob, listener).upgradeInbound(b)
    ]), T, 'upgrade')
    return { outbound, inbound, written, rawDialer: a, rawListener: b }
  }

  test('upgrade with early muxer negotiation: peers, protocols, direction', async () => {
    const { outbound, inbound, written } = await upgradedPair()
    assert.ok(outbound.remotePeer.equals((await id('bob')).peerId))
    assert.ok(inbound.remotePeer.equals((await id('alice')).peerId))
    assert.is(outbound.direction, 'outbound')
    assert.is(inbound.direction, 'inbound')
    assert.is(outbound.encryption, testEncrypter().protocol)
    assert.is(outbound.multiplexer, testMuxer().protocol)
    assert.is(outbound.status, 'open')
    if (stack.plaintext) assert.not.ok(written.map(text).join('').includes(`${testMuxer().protocol}\n`), 'muxer not negotiated by multistream')
    assert.is(outbound.muxerNegotiation, 'handshake')
    assert.is(inbound.muxerNegotiation, 'handshake')
    outbound.abort(new Error('done'))
  })

  test('upgrade without early muxer negotiation selects the muxer by multistream', async () => {
    const { outbound, inbound, written } = await upgradedPair({ dialer: { earlyMuxerNegotiation: false }, listener: { earlyMuxerNegotiation: false } })
    assert.is(outbound.multiplexer, testMuxer().protocol)
    assert.is(inbound.multiplexer, testMuxer().protocol)
    if (stack.plaintext) assert.ok(written.map(text).join('').includes(`${testMuxer().protocol}\n`), 'muxer negotiated by multistream')
    assert.is(outbound.muxerNegotiation, 'multistream')
    assert.is(inbound.muxerNegotiation, 'multistream')
    const stream = await outbound.newStream('/echo/1.0.0')
    await stream.write(utf8('x'))
    await stream.closeWrite()
    assert.is(text(await withTimeout(readAll(stream), T, 'echo')), 'x')
    outbound.abort(new Error('done'))
  })

  test('10 concurrent echo streams, 256 KiB each, byte-exact; protocol recorded', async () => {
    const { outbound, inbound } = await upgradedPair()
    const results = await withTimeout(Promise.all(Array.from({ length: 10 }, async (_, i) => {
      const stream = await outbound.newStream('/echo/1.0.0')
      assert.is(stream.protocol, '/echo/1.0.0')
      assert.is(stream.direction, 'outbound')
      const data = patternBytes(256 * 1024, i + 1)
      const back = readAll(stream)
      await writeChunked(stream, data, 10_000)
      await stream.closeWrite()
      return equalBytes(await back, data)
    })), T, 'echo streams')
    assert.equal(results, Array(10).fill(true))
    outbound.abort(new Error('done'))
    void inbound
  })

  test('inbound handler receives the negotiated stream and the connection', async () => {
    let seen
    const { outbound } = await upgradedPair({
      handlers: {
        '/hello/1.0.0': async (stream, connection) => {
          seen = { protocol: stream.protocol, direction: stream.direction, peer: connection.remotePeer.toString() }
          await stream.write(utf8('hi'))
          await stream.closeWrite()
        }
      }
    })
    const stream = await outbound.newStream(['/nope/1.0.0', '/hello/1.0.0'])
    assert.is(stream.protocol, '/hello/1.0.0')
    assert.is(text(await withTimeout(readAll(stream), T, 'read')), 'hi')
    assert.equal(seen, { protocol: '/hello/1.0.0', direction: 'inbound', peer: (await id('alice')).peerId.toString() })
    outbound.abort(new Error('done'))
  })

  test('unsupported protocol: lazy stream fails on read, negotiated one on open', async () => {
    const { outbound } = await upgradedPair()
    const lazy = await outbound.newStream('/missing/1.0.0')
    await lazy.write(utf8('x'))
    try {
      await withTimeout(readAll(lazy), T, 'read')
      assert.unreachable('read must fail')
    } catch (err) {
      assert.instance(err, UnsupportedProtocolError)
    }
    try {
      await withTimeout(outbound.newStream(['/missing/1.0.0', '/missing/2.0.0']), T, 'newStream')
      assert.unreachable('newStream must fail')
    } catch (err) {
      assert.instance(err, UnsupportedProtocolError)
    }
    // The connection survives a refused stream.
    const ok = await outbound.newStream('/echo/1.0.0')
    await ok.write(utf8('still here'))
    await ok.closeWrite()
    assert.is(text(await withTimeout(readAll(ok), T, 'echo')), 'still here')
    outbound.abort(new Error('done'))
  })

  test('no common security protocol: both sides fail with UpgradeError and the socket is closed', async () => {
    const { dialer, listener } = await rawPair()
    const { privateKey } = await id('alice')
    const mk = protocol => new Upgrader({ privateKey, encrypters: [testEncrypter(protocol)], muxers: [testMuxer()], registry: registry() })
    const results = await withTimeout(Promise.allSettled([
      mk('/sec-a').upgradeOutbound(dialer),
      mk('/sec-b').upgradeInbound(listener)
    ]), T, 'upgrade')
    for (const r of results) {
      assert.is(r.status, 'rejected')
      assert.instance(r.reason, UpgradeError)
    }
    assert.is(results[1].reason.stage, 'encrypter-selection')
    try { await dialer.write(utf8('x')); assert.unreachable('socket must be closed') } catch (err) { assert.ok(['ConnectionResetError', 'ConnectionClosedError', 'UpgradeError', 'UnsupportedProtocolError'].includes(err.name), err.name) }
  })

  test('wrong remote peer fails in the security stage', async () => {
    const { dialer, listener } = await rawPair()
    const mk = who => new Upgrader({ privateKey: who.privateKey, encrypters: [testEncrypter()], muxers: [testMuxer()], registry: registry() })
    const [out] = await withTimeout(Promise.allSettled([
      mk(await id('alice')).upgradeOutbound(dialer, { remotePeer: (await id('mallory')).peerId }),
      mk(await id('bob')).upgradeInbound(listener)
    ]), T, 'upgrade')
    assert.is(out.status, 'rejected')
    assert.instance(out.reason, UpgradeError)
    assert.is(out.reason.stage, 'security')
    assert.is(out.reason.cause.name, 'UnexpectedPeerError')
  })

  test('a silent listener makes the upgrade time out with UpgradeTimeoutError', async () => {
    const { dialer, listener } = await rawPair()
    const up = new Upgrader({ privateKey: (await id('alice')).privateKey, encrypters: [testEncrypter()], muxers: [testMuxer()], registry: registry(), upgradeTimeoutMs: 100 })
    try {
      await withTimeout(up.upgradeOutbound(dialer), T, 'upgrade')
      assert.unreachable('upgrade must time out')
    } catch (err) {
      assert.instance(err, UpgradeTimeoutError)
    }
    // The raw connection was aborted: the listener side sees a reset.
    try { await withTimeout(readAll(listener), T, 'read'); assert.unreachable('must fail') } catch (err) { assert.is(err.name, 'ConnectionResetError') }
  })

  test('close: status closed on both ends, newStream refused', async () => {
    const { outbound, inbound } = await upgradedPair()
    const closedRemotely = new Promise(resolve => inbound.addCloseListener(resolve))
    await withTimeout(outbound.close(), T, 'close')
    assert.is(outbound.status, 'closed')
    await withTimeout(closedRemotely, T, 'remote close')
    assert.is(inbound.status, 'closed')
    try { await outbound.newStream('/echo/1.0.0'); assert.unreachable('must fail') } catch (err) { assert.instance(err, ConnectionNotOpenError) }
  })

  test('abort: the remote connection closes too', async () => {
    const { outbound, inbound } = await upgradedPair()
    const closedRemotely = new Promise(resolve => inbound.addCloseListener(resolve))
    outbound.abort(new Error('bye'))
    assert.is(outbound.status, 'closed')
    await withTimeout(closedRemotely, T, 'remote close')
    assert.is(inbound.status, 'closed')
  })

  return test
}
