// Connection.newStream over a yamux muxer whose remote never answers: the wait for an
// opening slot (yamux holds new streams back past MAX_ACK_BACKLOG unacknowledged ones)
// is bounded by the caller's signal and by the negotiation timeout.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '@multiformats/multiaddr'
import { Connection, NegotiationTimeoutError } from '../../dist/connection/index.js'
import { yamux, MAX_ACK_BACKLOG } from '../../dist/muxer/yamux/index.js'
import { generateKeyPair } from '../../dist/keys/index.js'
import { peerIdFromPrivateKey } from '../../dist/peer-id/index.js'
import { duplexPair } from '../../dist/stream/duplex-pair.js'

async function deafConnection () {
  // The remote end of the pair is drained (so writes never block) but never answers.
  const [local, remote] = duplexPair()
  ;(async () => { try { for await (const _ of remote) { /* discard */ } } catch { /* aborted */ } })()
  const key = await generateKeyPair('Ed25519')
  const connection = new Connection({
    remotePeer: peerIdFromPrivateKey(key),
    remoteAddr: multiaddr('/ip4/127.0.0.1/tcp/1'),
    direction: 'outbound',
    encryption: '/noise',
    multiplexer: '/yamux/1.0.0',
    muxerNegotiation: 'handshake',
    registry: { protocols: () => [], handler: () => undefined },
    // The early-stream hold is off: these tests are about the ACK backlog alone.
    createMuxer: callbacks => yamux({ keepAliveInterval: 0, maxEarlyStreams: 0 }).create(local, { direction: 'outbound', ...callbacks }),
    abortTransport: err => { local.abort(err) },
    closeTransport: async () => { await local.close() }
  })
  for (let i = 0; i < MAX_ACK_BACKLOG; i++) await connection.newStream('/x/1.0.0')
  return connection
}

const settle = (p, ms) => Promise.race([p.then(() => 'resolved', err => err), new Promise(resolve => setTimeout(() => resolve('pending'), ms))])

test('an aborted signal ends a newStream stuck behind the ACK backlog', async () => {
  const connection = await deafConnection()
  const reason = new Error('caller gave up')
  const controller = new AbortController()
  setTimeout(() => controller.abort(reason), 50)
  const outcome = await settle(connection.newStream('/x/1.0.0', { signal: controller.signal, negotiationTimeoutMs: 60_000 }), 2000)
  assert.is(outcome, reason)
  assert.is(connection.streams.length, MAX_ACK_BACKLOG)
  connection.abort(new Error('done'))
})

test('the negotiation timeout ends a newStream stuck behind the ACK backlog', async () => {
  const connection = await deafConnection()
  const outcome = await settle(connection.newStream('/x/1.0.0', { negotiationTimeoutMs: 80 }), 2000)
  assert.instance(outcome, NegotiationTimeoutError)
  assert.is(connection.streams.length, MAX_ACK_BACKLOG)
  connection.abort(new Error('done'))
})

test.run()
