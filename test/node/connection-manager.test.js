// The node's connection manager over the memory transport: dial
// de-duplication, per-protocol stream limits, gater denials at every stage,
// pruning by tag value, deny list, events and their order; and the pieces
// (address order, rate limiter, dial queue) on their own.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createNode, echoHandler, ECHO_PROTOCOL } from '../../dist/node/index.js'
import { memory } from '../../dist/transport/index.js'
import { perfService } from '../../dist/protocols/index.js'
import { multiaddr } from '../../dist/multiaddr/index.js'
import {
  AddressList, ConnectionDeniedError, ConnectionLimitError, ConnectionManager, DialQueue, DialTimeoutError, HostRateLimiter,
  InboundRateLimitError, orderAddresses, MAX_INBOUND_STREAMS_PER_PROTOCOL
} from '../../dist/connection-manager/index.js'
import { PeerRefusedError } from '../../dist/multistream/index.js'
import { StreamLimitError } from '../../dist/connection/index.js'
import { withTimeout } from '../helpers/bytes.js'
import { waitFor } from '../helpers/wait.js'

const T = 10_000
const HOLD = '/test/hold/1.0.0'

function mem (options = {}) {
  return createNode({ transports: [memory()], listen: ['/memory/0'], ...options })
}


/** A handler that keeps the stream open until the remote closes it. */
const holdHandler = async stream => { for await (const _ of stream) { /* drain */ } await stream.close() }

test('10 concurrent dials to one peer make one connection (by address and by PeerId)', async () => {
  const a = await mem()
  const b = await mem()
  let opened = 0
  a.addEventListener('connection:open', () => { opened++ })
  const addr = b.getMultiaddrs()[0]
  const connections = await withTimeout(Promise.all(Array.from({ length: 10 }, (_, i) => a.dial(i % 2 === 0 ? addr : addr.toString()))), T, 'dials')
  assert.ok(connections.every(c => c === connections[0]))
  assert.is(opened, 1)
  assert.is(a.getConnections().length, 1)
  await a.hangUp(b.peerId)
  assert.is(a.getConnections().length, 0)
  // By PeerId, with the address only in the peer store.
  await a.peerStore.merge(b.peerId, { addresses: [{ multiaddr: addr }] })
  const again = await withTimeout(Promise.all(Array.from({ length: 10 }, () => a.dial(b.peerId))), T, 'dials by id')
  assert.ok(again.every(c => c === again[0]))
  assert.is(a.getConnections().length, 1)
  assert.is(opened, 2)
  await a.stop(); await b.stop()
})

test('a bare address (no /p2p/) of a connected peer reuses the open connection', async () => {
  const a = await mem()
  const b = await mem()
  const first = await a.dial(b.getMultiaddrs()[0])
  const bare = b.getMultiaddrs()[0].toString().replace(/\/p2p\/.*$/, '')
  const second = await a.dial(bare)
  assert.is(second, first)
  await waitFor(() => b.getConnections().length === 1, 'the extra connection closed on b too')
  assert.is(a.getConnections().length, 1)
  await a.stop(); await b.stop()
})

test('maxOutboundConnections refuses a dial to one more peer with ConnectionLimitError', async () => {
  const a = await mem({ connectionManager: { maxOutboundConnections: 1 } })
  const b = await mem()
  const c = await mem()
  await a.dial(b.getMultiaddrs()[0])
  await assertRejects(a.dial(c.getMultiaddrs()[0]), ConnectionLimitError)
  assert.is(c.getConnections().length, 0)
  await a.hangUp(b.peerId)
  await a.dial(c.getMultiaddrs()[0])
  for (const n of [a, b, c]) await n.stop()
})

test('inbound streams past maxInboundStreams are reset; the default applies otherwise', async () => {
  const a = await mem()
  const b = await mem()
  b.handle(HOLD, holdHandler, { maxInboundStreams: 2 })
  const connection = await a.dial(b.getMultiaddrs()[0])
  const s1 = await connection.newStream([HOLD, '/never'])
  const s2 = await connection.newStream([HOLD, '/never'])
  await waitFor(() => b.getConnections()[0]?.streams.filter(s => s.protocol === HOLD).length === 2, 'two held streams')
  const s3 = await connection.newStream([HOLD, '/never'])
  let failed
  try {
    for await (const _ of s3) { /* the reset ends this */ }
    failed = false
  } catch { failed = true }
  assert.ok(failed, 'the third stream was reset')
  assert.is(b.getConnections()[0].streams.filter(s => s.protocol === HOLD).length, 2)
  // Closing one frees a slot.
  await s1.closeWrite()
  for await (const _ of s1) { /* the handler closes its side */ }
  await waitFor(() => b.getConnections()[0].streams.filter(s => s.protocol === HOLD).length === 1, 'a freed slot')
  const s4 = await connection.newStream([HOLD, '/never'])
  await waitFor(() => b.getConnections()[0].streams.filter(s => s.protocol === HOLD).length === 2, 'the slot reused')
  s2.abort(new Error('done')); s4.abort(new Error('done'))
  assert.is(MAX_INBOUND_STREAMS_PER_PROTOCOL, 32)
  await a.stop(); await b.stop()
})

test('outbound streams past maxOutboundStreams fail with StreamLimitError', async () => {
  const a = await mem()
  const b = await mem()
  b.handle(HOLD, holdHandler)
  a.handle(HOLD, holdHandler, { maxOutboundStreams: 1 })
  const connection = await a.dial(b.getMultiaddrs()[0])
  const s1 = await connection.newStream(HOLD)
  await assertRejects(connection.newStream(HOLD), StreamLimitError)
  s1.abort(new Error('done'))
  await waitFor(() => connection.streams.length === 0, 'the stream gone')
  const s2 = await connection.newStream(HOLD)
  s2.abort(new Error('done'))
  await a.stop(); await b.stop()
})

async function assertRejects (promise, ErrorClass, check = () => true) {
  try {
    await withTimeout(promise, T, 'rejection')
  } catch (err) {
    assert.instance(err, ErrorClass, `${err.name}: ${err.message}`)
    assert.ok(check(err), `${err.name} ${err.stage ?? ''}: ${err.message}`)
    return err
  }
  assert.unreachable(`expected ${ErrorClass.name}`)
}

for (const stage of ['denyDialPeer', 'denyDialMultiaddr', 'denyOutboundConnection', 'denyOutboundEncryptedConnection', 'denyOutboundUpgradedConnection']) {
  test(`gater ${stage} refuses the dial with ConnectionDeniedError; nothing stays open`, async () => {
    let asked = 0
    const a = await mem({ gater: { [stage]: () => { asked++; return true } } })
    const b = await mem()
    await assertRejects(a.dial(b.getMultiaddrs()[0]), ConnectionDeniedError)
    assert.is(asked, 1)
    await waitFor(() => a.getConnections().length === 0 && b.getConnections().length === 0, 'no connections')
    await a.stop(); await b.stop()
  })
}

for (const stage of ['denyInboundConnection', 'denyInboundEncryptedConnection', 'denyInboundUpgradedConnection']) {
  test(`gater ${stage} closes the inbound connection; both sides end with none`, async () => {
    let asked = 0
    const b = await mem({ gater: { [stage]: async () => { asked++; return true } } })
    const a = await mem()
    const events = []
    b.addEventListener('connection:open', () => events.push('open'))
    try { await withTimeout(a.dial(b.getMultiaddrs()[0]), T, 'dial') } catch { /* refused during or after the upgrade */ }
    await waitFor(() => a.getConnections().length === 0, 'the dialer sees the close')
    assert.is(asked, 1)
    assert.is(b.getConnections().length, 0)
    assert.equal(events, [])
    // The node still serves peers the gater lets through.
    await a.stop(); await b.stop()
  })
}

test('a gater that allows lets the same dial through; denial is per peer', async () => {
  const c = await mem()
  const b = await mem()
  const a = await mem({ gater: { denyDialPeer: peer => peer.equals(c.peerId), denyInboundEncryptedConnection: peer => peer.equals(c.peerId) } })
  await a.dial(b.getMultiaddrs()[0])
  await assertRejects(a.dial(c.getMultiaddrs()[0]), ConnectionDeniedError, e => e.stage === 'dial-peer')
  try { await c.dial(a.getMultiaddrs()[0]) } catch { /* refused */ }
  await waitFor(() => c.getConnections().length === 0, 'c refused')
  assert.is(a.getConnections().length, 1)
  await a.stop(); await b.stop(); await c.stop()
})

test('deny list: a denied address is neither dialed nor accepted', async () => {
  const b = await mem()
  const addr = b.getMultiaddrs()[0]
  const a = await mem({ connectionManager: { deny: [addr.toString().replace(/\/p2p\/.*$/, '')] } })
  await assertRejects(a.dial(addr), ConnectionDeniedError, e => e.stage === 'dial-multiaddr')
  assert.is(b.getConnections().length, 0)
  await a.stop(); await b.stop()
})

test('over maxConnections the lowest-tagged, oldest connection is pruned', async () => {
  // Inbound peers past the total are refused at the socket; our own dials are
  // admitted and then pruned, so the hub dials here.
  const hub = await mem({ connectionManager: { maxConnections: 2 } })
  const keep = await mem()
  const old = await mem()
  const young = await mem()
  const fresh = await mem()
  const sleep = () => new Promise(resolve => setTimeout(resolve, 5)) // distinct ages
  await hub.peerStore.merge(keep.peerId, { tags: { friend: { value: 100 } } })
  await hub.dial(keep.getMultiaddrs()[0])
  await sleep()
  await hub.dial(old.getMultiaddrs()[0])
  await sleep()
  const closed = []
  hub.addEventListener('connection:close', e => closed.push(e.detail.remotePeer.toString()))
  const connection = await hub.dial(young.getMultiaddrs()[0])
  await waitFor(() => closed.length === 1 && hub.getConnections().length === 2, 'pruned to the limit')
  assert.equal(closed, [old.peerId.toString()], 'the oldest untagged connection went')
  assert.is(connection.status, 'open', 'the connection just dialed stays')
  const remaining = hub.getConnections().map(c => c.remotePeer.toString()).sort()
  assert.equal(remaining, [keep.peerId.toString(), young.peerId.toString()].sort())
  // The tagged peer is older than everyone, yet outlives the untagged ones.
  closed.length = 0
  await sleep()
  await hub.dial(fresh.getMultiaddrs()[0])
  await waitFor(() => closed.length === 1, 'pruned again')
  assert.equal(closed, [young.peerId.toString()])
  assert.equal(hub.getConnections().map(c => c.remotePeer.toString()).sort(), [keep.peerId.toString(), fresh.peerId.toString()].sort())
  for (const n of [hub, keep, old, young, fresh]) await n.stop()
})

test('maxInboundConnections refuses extra inbound peers with ConnectionLimitError at the socket', async () => {
  const hub = await mem({ connectionManager: { maxInboundConnections: 1 } })
  const first = await mem()
  const second = await mem()
  await first.dial(hub.getMultiaddrs()[0])
  await waitFor(() => hub.getConnections().length === 1, 'first in')
  const refused = []
  const origin = hub.connectionManager
  try { await withTimeout(second.dial(hub.getMultiaddrs()[0]), T, 'dial'); refused.push('dial succeeded') } catch (err) { refused.push(err.name) }
  assert.not.equal(refused, ['dial succeeded'])
  assert.is(hub.getConnections().length, 1)
  assert.is(origin.pendingInbound, 0)
  assert.throws(() => origin.admitInbound({ remoteAddr: multiaddr('/memory/x') }), err => err instanceof ConnectionLimitError)
  for (const n of [hub, first, second]) await n.stop()
})

test('events: connection:open, peer:connect, peer:identify; then connection:close, peer:disconnect', async () => {
  const a = await mem()
  const b = await mem()
  const events = []
  for (const name of ['connection:open', 'peer:connect', 'peer:identify', 'connection:close', 'peer:disconnect']) {
    a.addEventListener(name, e => { events.push([name, e.detail]) })
  }
  const connection = await a.dial(b.getMultiaddrs()[0])
  await waitFor(() => events.some(([n]) => n === 'peer:identify'), 'peer:identify')
  assert.equal(events.map(([n]) => n), ['connection:open', 'peer:connect', 'peer:identify'])
  assert.is(events[0][1], connection)
  assert.ok(events[1][1].equals(b.peerId))
  assert.ok(events[2][1].peerId.equals(b.peerId))
  assert.ok(events[2][1].peerRecord !== undefined, 'b\'s signed peer record verified')
  assert.ok(events[2][1].protocols.includes('/ipfs/ping/1.0.0'))
  const stored = await a.peerStore.get(b.peerId)
  assert.ok(stored.addresses.some(x => x.certified))
  const rtt = await a.ping(b.peerId)
  assert.ok(rtt >= 0)
  await a.hangUp(b.peerId)
  assert.equal(events.slice(3).map(([n]) => n), ['connection:close', 'peer:disconnect'])
  assert.ok(events[4][1].equals(b.peerId))
  await a.stop(); await b.stop()
})

test('perf between two wasp2p nodes through node.perf', async () => {
  const a = await mem()
  const b = await mem({ services: { perf: perfService() } })
  const result = await withTimeout(a.perf(b.getMultiaddrs()[0], { upload: 300_000, download: 200_000 }), T, 'perf')
  assert.is(result.uploadBytes, 300_000)
  assert.is(result.downloadBytes, 200_000)
  assert.ok(result.timings.total >= 0)
  await a.stop(); await b.stop()
})

test('a stopped node starts again: listens, serves its protocols and dials', async () => {
  const a = await mem()
  const b = await mem()
  b.handle(ECHO_PROTOCOL, echoHandler)
  await a.dial(b.getMultiaddrs()[0])
  await b.stop()
  assert.is(b.getMultiaddrs().length, 0)
  await waitFor(() => a.getConnections().length === 0, 'a sees b leave')
  await b.start()
  assert.ok(b.getProtocols().includes('/ipfs/id/1.0.0'), 'services registered again')
  const rtt = await a.ping(b.getMultiaddrs()[0])
  assert.ok(rtt >= 0)
  await b.dial(a.getMultiaddrs()[0])
  await a.stop(); await b.stop()
})

test('orderAddresses: certified, then loopback < private < public, then TCP before WS; stable', () => {
  const c = (s, certified = false) => ({ multiaddr: multiaddr(s), certified })
  const input = [
    c('/ip4/8.8.8.8/tcp/1/ws'), c('/ip4/8.8.8.8/tcp/1'), c('/ip4/192.168.1.2/tcp/1/ws'), c('/ip4/127.0.0.1/tcp/1/ws'),
    c('/ip4/10.0.0.1/tcp/1'), c('/ip4/127.0.0.1/tcp/1'), c('/ip4/9.9.9.9/tcp/2', true), c('/ip6/::1/tcp/1')
  ]
  assert.equal(orderAddresses(input).map(x => x.multiaddr.toString()), [
    '/ip4/9.9.9.9/tcp/2', '/ip4/127.0.0.1/tcp/1', '/ip6/::1/tcp/1', '/ip4/127.0.0.1/tcp/1/ws',
    '/ip4/10.0.0.1/tcp/1', '/ip4/192.168.1.2/tcp/1/ws', '/ip4/8.8.8.8/tcp/1', '/ip4/8.8.8.8/tcp/1/ws'
  ])
})

test('AddressList: bare IPs, CIDR ranges (ip4, ip6) and multiaddr prefixes', () => {
  const list = new AddressList(['10.0.0.7', '/ip4/127.0.0.0/ipcidr/8', '/ip6/fd00::/ipcidr/8', '::1', '/dns4/example.com', '/memory/x'])
  const yes = ['/ip4/10.0.0.7/tcp/1', '/ip4/127.1.2.3/tcp/4/ws', '/ip6/fd12:3456::1/tcp/1', '/ip6/::1/tcp/1', '/dns4/example.com/tcp/443/wss', '/memory/x']
  const no = ['/ip4/10.0.0.8/tcp/1', '/ip4/128.0.0.1/tcp/1', '/ip6/fe80::1/tcp/1', '/ip6/::2/tcp/1', '/dns4/example.org/tcp/1', '/memory/xy']
  for (const a of yes) assert.ok(list.matches(multiaddr(a)), a)
  for (const a of no) assert.not.ok(list.matches(multiaddr(a)), a)
  assert.throws(() => new AddressList(['/ip4/1.2.3.4/ipcidr/33']), err => err instanceof RangeError)
})

/** How admitInbound answers `count` sockets from `addr` (tickets kept open, so pending piles up too). */
function admitMany (manager, addr, count) {
  const outcomes = []
  for (let i = 0; i < count; i++) {
    try { manager.admitInbound({ remoteAddr: multiaddr(addr) }); outcomes.push('ok') } catch (err) { outcomes.push(err.name) }
  }
  return outcomes
}

test('per-host limits: loopback exempt by default, private ranges only by opt-in, public hosts limited', () => {
  const limits = { inboundConnectionBurstPerHost: 2, inboundConnectionsPerHostPerSecond: 0, maxInboundPendingPerHost: 100, maxInboundPendingConnections: 1000 }
  const loopback = ['/ip4/127.0.0.1/tcp/1', '/ip4/127.9.9.9/tcp/1', '/ip6/::1/tcp/1', '/ip6/::ffff:127.0.0.1/tcp/1']
  const fresh = (extra = {}) => new ConnectionManager({ options: { ...limits, ...extra } })
  for (const addr of loopback) assert.ok(admitMany(fresh(), addr, 50).every(o => o === 'ok'), `${addr} is exempt`)
  assert.equal(admitMany(fresh(), '/ip4/8.8.8.8/tcp/1', 3), ['ok', 'ok', 'InboundRateLimitError'])
  assert.equal(admitMany(fresh(), '/ip4/192.168.1.5/tcp/1', 3), ['ok', 'ok', 'InboundRateLimitError'], 'private is limited by default')
  for (const addr of ['/ip4/192.168.1.5/tcp/1', '/ip4/10.1.2.3/tcp/1', '/ip6/fd00::5/tcp/1', '/ip6/fe80::1/tcp/1']) {
    assert.ok(admitMany(fresh({ exemptPrivateNetworks: true }), addr, 50).every(o => o === 'ok'), `${addr} exempt by opt-in`)
  }
  assert.equal(admitMany(fresh({ exemptPrivateNetworks: true }), '/ip4/8.8.8.8/tcp/1', 3), ['ok', 'ok', 'InboundRateLimitError'], 'public still limited')
  assert.equal(admitMany(fresh({ exemptLoopback: false }), '/ip4/127.0.0.1/tcp/1', 3), ['ok', 'ok', 'InboundRateLimitError'], 'exemptLoopback: false')
  // The per-host pending limit is skipped the same way; the node-wide pending limit is not, and
  // loopback as a whole leaves pendingSlotsReservedForRemote of it to other hosts.
  const pending = { inboundConnectionBurstPerHost: 1000, maxInboundPendingPerHost: 2, maxInboundPendingConnections: 5 }
  assert.equal(admitMany(fresh(pending), '/ip4/8.8.8.8/tcp/1', 3), ['ok', 'ok', 'ConnectionLimitError'])
  assert.equal(admitMany(fresh({ ...pending, pendingSlotsReservedForRemote: 0 }), '/ip4/127.0.0.1/tcp/1', 6), ['ok', 'ok', 'ok', 'ok', 'ok', 'ConnectionLimitError'])
  assert.equal(admitMany(fresh(pending), '/ip4/127.0.0.1/tcp/1', 4), ['ok', 'ok', 'ConnectionLimitError', 'ConnectionLimitError'], 'loopback leaves 3 of 5 to others')
})

test('a refused dialer learns why: PeerRefusedError with the reason, and an inbound:refused event', async () => {
  const hub = await mem({ connectionManager: { maxInboundConnections: 1 } })
  const first = await mem()
  const second = await mem()
  const events = []
  hub.connectionManager.addEventListener('inbound:refused', e => { events.push([e.detail.reason, e.detail.error.name]) })
  await first.dial(hub.getMultiaddrs()[0])
  await waitFor(() => hub.getConnections().length === 1, 'first in')
  const err = await withTimeout(second.dial(hub.getMultiaddrs()[0]).then(() => undefined, e => e), T, 'dial')
  assert.instance(err, PeerRefusedError, String(err))
  assert.is(err.reason, 'connection-limit')
  assert.equal(events, [['connection-limit', 'ConnectionLimitError']])
  await waitFor(() => hub.connectionManager.refusing === 0, 'refusal finished')
  for (const n of [hub, first, second]) await n.stop()
})

test('HostRateLimiter: burst, refill at the rate, per host, bounded table', () => {
  const limiter = new HostRateLimiter(2, 3, 4)
  const t0 = 1_000_000
  assert.equal([1, 2, 3, 4].map(() => limiter.take('h', t0)), [true, true, true, false])
  assert.ok(limiter.take('other', t0), 'hosts are independent')
  assert.not.ok(limiter.take('h', t0 + 400), '0.8 tokens is not one')
  assert.ok(limiter.take('h', t0 + 500))
  assert.not.ok(limiter.take('h', t0 + 500))
  for (let i = 0; i < 10; i++) limiter.take(`x${i}`, t0)
  assert.is(limiter.trackedHosts, 4)
})

test('DialQueue: concurrency bound, shared jobs per key, timeout', async () => {
  const queue = new DialQueue({ concurrency: 2, maxQueued: 10, timeoutMs: 200 })
  let running = 0
  let peak = 0
  let runs = 0
  const job = async () => { runs++; running++; peak = Math.max(peak, running); await new Promise(resolve => setTimeout(resolve, 20)); running--; return runs }
  const results = await Promise.all([
    ...Array.from({ length: 5 }, () => queue.run('same', job)),
    ...Array.from({ length: 4 }, (_, i) => queue.run(`k${i}`, job))
  ])
  assert.is(runs, 5, 'five distinct keys ran once each')
  assert.ok(peak <= 2, `peak ${peak}`)
  assert.ok(results.slice(0, 5).every(r => r === results[0]), 'joiners share the result')
  await assertRejects(queue.run('slow', signal => new Promise((_resolve, reject) => { signal.addEventListener('abort', () => reject(signal.reason)) })), DialTimeoutError)
})

test.run()
