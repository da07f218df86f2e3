// Interop: our Noise against the real @chainsafe/libp2p-noise v17 (js-libp2p's
// encrypter), running in a child process over loopback TCP, in both roles,
// with and without early muxer negotiation. The peer echoes; we check the
// bytes, the PeerIds each side learned and the muxer each side chose.
import { spawn } from 'node:child_process'
import net from 'node:net'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { noise } from '../../dist/index.js'
import { socketToByteStream } from '../helpers/node-socket-stream.js'
import { createIdentity, peerIdFromString } from './_identity.js'
import { patternBytes, readAll, settle } from './compliance.js'

const PEER_SCRIPT = fileURLToPath(new URL('./_chainsafe-noise-peer.js', import.meta.url))
const YAMUX = '/yamux/1.0.0'
const MPLEX = '/mplex/6.7.0'

/** Starts the js peer; resolves its report lines one by one through `next()`. */
function startPeer (env) {
  const child = spawn(process.execPath, [PEER_SCRIPT], {
    env: { ...process.env, ...env, MUXERS: JSON.stringify(env.MUXERS ?? []) },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const exited = new Promise(resolve => child.once('exit', code => resolve(code)))
  const kill = setTimeout(() => child.kill(), 25_000)
  exited.then(() => clearTimeout(kill))
  return {
    async next () {
      const { done, value } = await lines.next()
      if (done) throw new Error('the js peer exited without reporting')
      return JSON.parse(value)
    },
    exited
  }
}

async function echoRoundTrip (stream, sizes) {
  const sent = sizes.map((size, i) => patternBytes(size, i + 11))
  const total = sent.reduce((n, s) => n + s.length, 0)
  const reading = readAll(stream)
  for (const chunk of sent) await stream.write(chunk)
  await stream.closeWrite()
  const received = await reading
  assert.is(received.length, total)
  const expected = new Uint8Array(total)
  let offset = 0
  for (const chunk of sent) { expected.set(chunk, offset); offset += chunk.length }
  assert.equal(received, expected)
}

const SIZES = [1, 1000, 65519, 65520, 300_000]

for (const [label, ourMuxers, theirMuxers, expectedMuxer] of [
  ['both announce yamux', [YAMUX], [YAMUX], YAMUX],
  ['no muxer lists', [], [], undefined],
  ['only js announces muxers', [], [YAMUX], undefined],
]) {
  test(`we dial js-libp2p noise (${label})`, async () => {
    const peer = startPeer({ ROLE: 'listen', MUXERS: theirMuxers })
    const ready = await peer.next()
    const us = await createIdentity()
    const socket = net.connect(ready.port, '127.0.0.1')
    await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
    const secured = await noise().secureOutbound(socketToByteStream(socket), {
      privateKey: us.privateKey, remotePeer: peerIdFromString(ready.peerId), streamMuxers: ourMuxers
    })
    const theirs = await peer.next()
    assert.is(theirs.error, undefined, theirs.message)
    assert.is(secured.remotePeer.toString(), ready.peerId)
    assert.is(theirs.remotePeer, us.peerId.toString())
    assert.is(secured.streamMuxer, expectedMuxer)
    assert.is(theirs.streamMuxer ?? undefined, expectedMuxer)
    assert.is(secured.earlyFin, undefined, 'js-libp2p does not keep an early FIN: our lazy streams wait for its answer')
    await echoRoundTrip(secured.stream, SIZES)
    assert.is(await peer.exited, 0)
  })

  test(`js-libp2p noise dials us (${label})`, async () => {
    const us = await createIdentity()
    const server = net.createServer()
    await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
    const accepted = new Promise(resolve => server.once('connection', resolve))
    const peer = startPeer({ ROLE: 'dial', PORT: String(server.address().port), REMOTE_PEER: us.peerId.toString(), MUXERS: theirMuxers })
    const ready = await peer.next()
    const socket = await accepted
    server.close()
    const secured = await noise().secureInbound(socketToByteStream(socket), { privateKey: us.privateKey, streamMuxers: ourMuxers })
    const theirs = await peer.next()
    assert.is(theirs.error, undefined, theirs.message)
    assert.is(secured.remotePeer.toString(), ready.peerId)
    assert.is(theirs.remotePeer, us.peerId.toString())
    assert.is(secured.streamMuxer, expectedMuxer)
    assert.is(theirs.streamMuxer ?? undefined, expectedMuxer)
    assert.is(secured.earlyFin, undefined, 'js-libp2p does not keep an early FIN: our lazy streams wait for its answer')
    await echoRoundTrip(secured.stream, SIZES)
    assert.is(await peer.exited, 0)
  })
}

// js-libp2p, on either side, picks the first muxer of the *remote's* list that it
// supports, and fails when it has none but the remote offered some. We, as the
// initiator, announce only our choice (or nothing), so a js responder agrees.
test('we dial js-libp2p noise (we prefer mplex, js prefers yamux): both settle on our choice', async () => {
  const peer = startPeer({ ROLE: 'listen', MUXERS: [YAMUX, MPLEX] })
  const ready = await peer.next()
  const us = await createIdentity()
  const socket = net.connect(ready.port, '127.0.0.1')
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
  const secured = await noise().secureOutbound(socketToByteStream(socket), { privateKey: us.privateKey, streamMuxers: [MPLEX, YAMUX] })
  const theirs = await peer.next()
  assert.is(theirs.error, undefined, theirs.message)
  assert.is(secured.streamMuxer, MPLEX)
  assert.is(theirs.streamMuxer, MPLEX)
  await echoRoundTrip(secured.stream, [10])
  assert.is(await peer.exited, 0)
})

test('we dial a js peer that has no muxers while we announce some: both fall back to multistream', async () => {
  const peer = startPeer({ ROLE: 'listen', MUXERS: [] })
  const ready = await peer.next()
  const us = await createIdentity()
  const socket = net.connect(ready.port, '127.0.0.1')
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
  const secured = await noise().secureOutbound(socketToByteStream(socket), { privateKey: us.privateKey, streamMuxers: [YAMUX] })
  const theirs = await peer.next()
  assert.is(theirs.error, undefined, theirs.message)
  assert.is(secured.streamMuxer, undefined)
  assert.is(theirs.streamMuxer, null)
  await echoRoundTrip(secured.stream, [10])
  assert.is(await peer.exited, 0)
})

test('a js dialer with no muxers rejects our list after message 3 (its rule, not ours); our channel then ends', async () => {
  const us = await createIdentity()
  const server = net.createServer()
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  const accepted = new Promise(resolve => server.once('connection', resolve))
  const peer = startPeer({ ROLE: 'dial', PORT: String(server.address().port), MUXERS: [] })
  await peer.next()
  const socket = await accepted
  server.close()
  const secured = await noise().secureInbound(socketToByteStream(socket), { privateKey: us.privateKey, streamMuxers: [YAMUX] })
  assert.is(secured.streamMuxer, undefined)
  const theirs = await peer.next()
  assert.is(theirs.error, 'InvalidCryptoExchangeError')
  const { value, error } = await settle(readAll(secured.stream))
  assert.ok(error !== undefined || value.length === 0, 'nothing arrives on the dead connection')
  assert.is(await peer.exited, 1)
})

// ECDSA identities are left out: @libp2p/peer-id 6 cannot make a PeerId from an ECDSA key.
for (const [ourType, theirType] of [['secp256k1', 'RSA'], ['RSA', 'secp256k1'], ['Ed25519', 'secp256k1']]) {
  test(`identity key types: we (${ourType}) dial js (${theirType}); js (${ourType}) dials us (${theirType})`, async () => {
    const listening = startPeer({ ROLE: 'listen', KEY_TYPE: theirType })
    const ready = await listening.next()
    const us = await createIdentity(ourType)
    const socket = net.connect(ready.port, '127.0.0.1')
    await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
    const outbound = await noise().secureOutbound(socketToByteStream(socket), { privateKey: us.privateKey, remotePeer: peerIdFromString(ready.peerId) })
    const theirs = await listening.next()
    assert.is(theirs.remotePeer, us.peerId.toString())
    assert.is(outbound.remotePeer.type, theirType)
    await echoRoundTrip(outbound.stream, [100])
    assert.is(await listening.exited, 0)

    const listener = await createIdentity(theirType)
    const server = net.createServer()
    await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
    const accepted = new Promise(resolve => server.once('connection', resolve))
    const dialing = startPeer({ ROLE: 'dial', PORT: String(server.address().port), REMOTE_PEER: listener.peerId.toString(), KEY_TYPE: ourType })
    const dialer = await dialing.next()
    const socket2 = await accepted
    server.close()
    const inbound = await noise().secureInbound(socketToByteStream(socket2), { privateKey: listener.privateKey })
    const theirs2 = await dialing.next()
    assert.is(theirs2.error, undefined, theirs2.message)
    assert.is(inbound.remotePeer.toString(), dialer.peerId)
    assert.is(inbound.remotePeer.type, ourType)
    await echoRoundTrip(inbound.stream, [100])
    assert.is(await dialing.exited, 0)
  })
}

test('dialing js-libp2p noise while expecting another peer fails with UnexpectedPeerError', async () => {
  const peer = startPeer({ ROLE: 'listen' })
  const ready = await peer.next()
  const us = await createIdentity()
  const someoneElse = await createIdentity()
  const socket = net.connect(ready.port, '127.0.0.1')
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('error', reject) })
  const { error } = await settle(noise().secureOutbound(socketToByteStream(socket), { privateKey: us.privateKey, remotePeer: someoneElse.peerId }))
  assert.is(error?.name, 'UnexpectedPeerError')
  const theirs = await peer.next()
  assert.ok(theirs.error !== undefined, 'the js peer saw the handshake fail')
  assert.is.not(await peer.exited, 0)
})

test('js-libp2p noise expecting another peer rejects us', async () => {
  const us = await createIdentity()
  const someoneElse = await createIdentity()
  const server = net.createServer()
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  const accepted = new Promise(resolve => server.once('connection', resolve))
  const peer = startPeer({ ROLE: 'dial', PORT: String(server.address().port), REMOTE_PEER: someoneElse.peerId.toString() })
  await peer.next()
  const socket = await accepted
  server.close()
  const { error } = await settle(noise().secureInbound(socketToByteStream(socket), { privateKey: us.privateKey }))
  const theirs = await peer.next()
  assert.is(theirs.error, 'UnexpectedPeerError')
  assert.ok(error instanceof Error && error.name !== 'Error', `our side: ${error}`)
})

test.run()
