// Compliance suite for any ConnectionEncrypter (src/connection-encrypter/types.ts),
// run over an in-memory connection. Usage:
//
//   encrypterCompliance('noise', () => noise())
//   encrypterCompliance('noise over X', () => noise(), { createPair: () => otherDuplexPair() })
//
// Every connection end is wrapped in a probe that records aborts and lets a
// test tamper with bytes in flight, so any ByteStream pair can carry the suite.
// It checks what every secure channel must do: mutual authentication, the
// expected-peer check, byte-exact data in both directions at any size, clean
// half-close, and named errors plus an aborted connection for tampered,
// truncated or garbage input and for a caller's abort signal.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { duplexPair as helperDuplexPair } from '../helpers/duplex-pair.js'

/** Wraps one end: `abortedWith` records the first abort; `intercept(from, copy)` may replace or drop (undefined) a chunk. */
function probe (end, name, intercept) {
  const probed = {
    abortedWith: undefined,
    bytesWritten: 0,
    [Symbol.asyncIterator]: () => end[Symbol.asyncIterator](),
    async write (chunk) {
      probed.bytesWritten += chunk.length
      const sent = intercept === undefined ? chunk : intercept(name, chunk.slice())
      if (sent !== undefined) await end.write(sent)
    },
    closeWrite: () => end.closeWrite(),
    close: () => end.close(),
    abort (err) { probed.abortedWith ??= err; end.abort(err) }
  }
  return probed
}

let createPair = helperDuplexPair

/** A probed pair from the suite's pair factory. */
export function duplexPair ({ intercept } = {}) {
  const [a, b] = createPair()
  return [probe(a, 'a', intercept), probe(b, 'b', intercept)]
}
import { createIdentity } from './_identity.js'

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
export function patternBytes (length, seed = 1) {
  const out = new Uint8Array(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; out[i] = x & 0xff }
  return out
}

export async function readBytes (stream, length) {
  const parts = []
  let have = 0
  const iterator = stream[Symbol.asyncIterator]()
  while (have < length) {
    const { done, value } = await iterator.next()
    if (done) break
    parts.push(value)
    have += value.length
  }
  await iterator.return?.()
  return concat(parts)
}

export async function readAll (stream) {
  const parts = []
  for await (const chunk of stream) parts.push(chunk)
  return concat(parts)
}

function concat (parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) { out.set(p, offset); offset += p.length }
  return out
}

function isNamedError (err) {
  return err instanceof Error && typeof err.name === 'string' && err.name !== 'Error' && err.name !== 'TypeError'
}

/** Settles a promise into { value } or { error } so both sides of a failed handshake can be inspected. */
export async function settle (promise) {
  try { return { value: await promise } } catch (error) { return { error } }
}

export async function connect (encrypter, { dialerOptions = {}, listenerOptions = {}, intercept } = {}) {
  const dialer = await createIdentity()
  const listener = await createIdentity()
  const [dialerConn, listenerConn] = duplexPair({ intercept })
  const [outbound, inbound] = await Promise.all([
    settle(encrypter.secureOutbound(dialerConn, { privateKey: dialer.privateKey, remotePeer: listener.peerId, ...dialerOptions })),
    settle(encrypter.secureInbound(listenerConn, { privateKey: listener.privateKey, ...listenerOptions }))
  ])
  return { dialer, listener, dialerConn, listenerConn, outbound, inbound }
}

export function encrypterCompliance (name, createEncrypter, options = {}) {
  const test = suite(`${name}: ConnectionEncrypter compliance`)
  test.before(() => { createPair = options.createPair ?? helperDuplexPair })
  test.after(() => { createPair = helperDuplexPair })

  test('both sides learn each other\'s PeerId', async () => {
    const { dialer, listener, outbound, inbound } = await connect(createEncrypter())
    assert.is(outbound.error, undefined)
    assert.is(inbound.error, undefined)
    assert.ok(outbound.value.remotePeer.equals(listener.peerId))
    assert.ok(inbound.value.remotePeer.equals(dialer.peerId))
    assert.is(inbound.value.remotePeer.toString(), dialer.peerId.toString())
  })

  test('the dialer may omit remotePeer and still learns who answered', async () => {
    const { listener, outbound, inbound } = await connect(createEncrypter(), { dialerOptions: { remotePeer: undefined } })
    assert.is(inbound.error, undefined)
    assert.ok(outbound.value.remotePeer.equals(listener.peerId))
  })

  test('one encrypter instance serves both roles and several identities', async () => {
    const encrypter = createEncrypter()
    for (let i = 0; i < 3; i++) {
      const { dialer, outbound, inbound } = await connect(encrypter)
      assert.is(outbound.error, undefined)
      assert.ok(inbound.value.remotePeer.equals(dialer.peerId))
    }
  })

  test('data arrives byte-exact in both directions, small and larger than one frame', async () => {
    const { outbound, inbound } = await connect(createEncrypter())
    const a = outbound.value.stream
    const b = inbound.value.stream
    for (const size of [1, 100, 65519, 65520, 65535, 65536, 200_000]) {
      const toB = patternBytes(size, size)
      const toA = patternBytes(size, size + 7)
      const [fromA, fromB] = await Promise.all([readBytes(b, size), readBytes(a, size), a.write(toB), b.write(toA)])
      assert.equal(fromA, toB, `a → b, ${size} bytes`)
      assert.equal(fromB, toA, `b → a, ${size} bytes`)
    }
  })

  test('writes issued without awaiting arrive in order', async () => {
    const { outbound, inbound } = await connect(createEncrypter())
    const messages = Array.from({ length: 20 }, (_, i) => patternBytes(1000 + i * 5000, i + 1))
    const total = messages.reduce((n, m) => n + m.length, 0)
    const reading = readBytes(inbound.value.stream, total)
    await Promise.all(messages.map(m => outbound.value.stream.write(m)))
    assert.equal(await reading, concat(messages))
  })

  test('ciphertext on the wire is not the plaintext', async () => {
    const seen = []
    const { outbound, inbound } = await connect(createEncrypter(), { intercept: (from, chunk) => { seen.push(chunk); return chunk } })
    const secret = new TextEncoder().encode('attack at dawn, attack at dawn, attack at dawn')
    seen.length = 0
    await Promise.all([readBytes(inbound.value.stream, secret.length), outbound.value.stream.write(secret)])
    const wire = concat(seen)
    assert.ok(wire.length > secret.length)
    const text = new TextDecoder('latin1').decode(wire)
    assert.not.ok(text.includes('attack at dawn'))
  })

  test('closeWrite ends the remote reader cleanly after the data', async () => {
    const { outbound, inbound } = await connect(createEncrypter())
    const data = patternBytes(70_000, 3)
    const all = readAll(inbound.value.stream)
    await outbound.value.stream.write(data)
    await outbound.value.stream.closeWrite()
    assert.equal(await all, data)
  })

  test('a different peer than expected fails the dialer with UnexpectedPeerError and aborts', async () => {
    const impostor = await createIdentity()
    const { outbound, inbound, dialerConn } = await connect(createEncrypter(), { dialerOptions: { remotePeer: impostor.peerId } })
    assert.instance(outbound.error, Error)
    assert.is(outbound.error.name, 'UnexpectedPeerError')
    assert.ok(isNamedError(inbound.error), `listener error: ${inbound.error}`)
    assert.ok(dialerConn.abortedWith !== undefined)
  })

  test('a modified transport frame gives a named error and aborts the connection', async () => {
    let tamper = false
    const intercept = (from, chunk) => {
      if (tamper && from === 'a') { tamper = false; chunk[chunk.length - 1] ^= 0x01 }
      return chunk
    }
    const { outbound, inbound, listenerConn } = await connect(createEncrypter(), { intercept })
    tamper = true
    const reading = settle(readBytes(inbound.value.stream, 10))
    await outbound.value.stream.write(patternBytes(10, 9))
    const { error } = await reading
    assert.ok(isNamedError(error), `reader error: ${error}`)
    assert.ok(listenerConn.abortedWith !== undefined, 'the connection is aborted')
  })

  test('a dropped transport frame (so the next is out of order) gives a named error', async () => {
    let drop = false
    const intercept = (from, chunk) => {
      if (drop && from === 'a') { drop = false; return undefined }
      return chunk
    }
    const { outbound, inbound, listenerConn } = await connect(createEncrypter(), { intercept })
    drop = true
    const reading = settle(readBytes(inbound.value.stream, 20))
    await outbound.value.stream.write(patternBytes(10, 1))
    await outbound.value.stream.write(patternBytes(10, 2))
    const { error } = await reading
    assert.ok(isNamedError(error), `reader error: ${error}`)
    assert.ok(listenerConn.abortedWith !== undefined)
  })

  test('garbage handshake frames (well-framed, random content) give named errors on both sides', async () => {
    // Keep each chunk's 2-byte length prefix so the failure comes from the content, not a timeout.
    const intercept = (from, chunk) => { const garbage = patternBytes(chunk.length, chunk.length); garbage.set(chunk.subarray(0, 2)); return garbage }
    const { outbound, inbound } = await connect(createEncrypter(), { intercept })
    assert.ok(isNamedError(outbound.error), `dialer error: ${outbound.error}`)
    assert.ok(isNamedError(inbound.error), `listener error: ${inbound.error}`)
  })

  for (const cut of [1, 2, 10, 40]) {
    test(`a handshake cut off after ${cut} bytes gives a named error`, async () => {
      const encrypter = createEncrypter()
      const listener = await createIdentity()
      const [raw, listenerConn] = duplexPair()
      const accepting = settle(encrypter.secureInbound(listenerConn, { privateKey: listener.privateKey }))
      await raw.write(patternBytes(cut, 5))
      await raw.closeWrite()
      const { error } = await accepting
      assert.ok(isNamedError(error), `listener error: ${error}`)
      assert.ok(listenerConn.abortedWith !== undefined)
    })
  }

  test('a dialer whose listener answers then hangs up gets a named error', async () => {
    const encrypter = createEncrypter()
    const dialer = await createIdentity()
    const [dialerConn, raw] = duplexPair()
    const dialing = settle(encrypter.secureOutbound(dialerConn, { privateKey: dialer.privateKey }))
    for await (const _ of raw) { break } // message 1 arrived
    await raw.close()
    const { error } = await dialing
    assert.ok(isNamedError(error), `dialer error: ${error}`)
  })

  test('an abort signal stops a handshake the peer never answers', async () => {
    const encrypter = createEncrypter()
    const dialer = await createIdentity()
    const [dialerConn] = duplexPair()
    const controller = new AbortController()
    const dialing = settle(encrypter.secureOutbound(dialerConn, { privateKey: dialer.privateKey, signal: controller.signal }))
    setTimeout(() => controller.abort(), 20)
    const { error } = await dialing
    assert.ok(isNamedError(error), `dialer error: ${error}`)
    assert.ok(dialerConn.abortedWith !== undefined)
  })

  test('an already-aborted signal fails at once', async () => {
    const dialer = await createIdentity()
    const [dialerConn] = duplexPair()
    const { error } = await settle(createEncrypter().secureOutbound(dialerConn, { privateKey: dialer.privateKey, signal: AbortSignal.abort() }))
    assert.ok(isNamedError(error), `dialer error: ${error}`)
  })

  test('early muxer negotiation: the first of the initiator\'s list the responder supports', async () => {
    const { outbound, inbound } = await connect(createEncrypter(), {
      dialerOptions: { streamMuxers: ['/yamux/1.0.0', '/mplex/6.7.0'] },
      listenerOptions: { streamMuxers: ['/mplex/6.7.0', '/yamux/1.0.0'] }
    })
    assert.is(outbound.value.streamMuxer, '/yamux/1.0.0')
    assert.is(inbound.value.streamMuxer, '/yamux/1.0.0')
  })

  test('early muxer negotiation: the initiator\'s later choice when its first is unsupported', async () => {
    const { outbound, inbound } = await connect(createEncrypter(), {
      dialerOptions: { streamMuxers: ['/other/1', '/mplex/6.7.0', '/yamux/1.0.0'] },
      listenerOptions: { streamMuxers: ['/yamux/1.0.0', '/mplex/6.7.0'] }
    })
    assert.is(outbound.value.streamMuxer, '/mplex/6.7.0')
    assert.is(inbound.value.streamMuxer, '/mplex/6.7.0')
  })

  for (const [label, dialerMuxers, listenerMuxers] of [
    ['neither side sends a list', undefined, undefined],
    ['only the responder sends a list', undefined, ['/yamux/1.0.0']],
    ['only the initiator sends a list', ['/yamux/1.0.0'], []]
  ]) {
    test(`early muxer negotiation falls back to multistream when ${label}`, async () => {
      const { outbound, inbound } = await connect(createEncrypter(), {
        dialerOptions: { streamMuxers: dialerMuxers },
        listenerOptions: { streamMuxers: listenerMuxers }
      })
      assert.is(outbound.error, undefined)
      assert.is(inbound.error, undefined)
      assert.is(outbound.value.streamMuxer, undefined)
      assert.is(inbound.value.streamMuxer, undefined)
      assert.not.ok('streamMuxer' in outbound.value)
    })
  }

  test('early muxer negotiation with disjoint lists fails the handshake on both sides', async () => {
    const { outbound, inbound } = await connect(createEncrypter(), {
      dialerOptions: { streamMuxers: ['/yamux/1.0.0'] },
      listenerOptions: { streamMuxers: ['/mplex/6.7.0'] }
    })
    assert.ok(isNamedError(outbound.error), `dialer error: ${outbound.error}`)
    assert.ok(isNamedError(inbound.error), `listener error: ${inbound.error}`)
  })

  test.run()
}
