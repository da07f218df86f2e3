// Admission under a full set of pending upgrades (the connection manager on
// its own, no sockets): loopback as a whole keeps PENDING_SLOTS_RESERVED_FOR_REMOTE
// slots free for other hosts, and a new socket sheds the pending upgrade that
// has gone longest without progress once it has stalled for
// pendingUpgradeStallMs; one that made progress is kept, and none is shed
// while all are fresh (the newcomer is refused instead, as before).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { multiaddr } from '../../dist/multiaddr/index.js'
import {
  ConnectionManager, ConnectionLimitError, PendingUpgradeShedError,
  MAX_INBOUND_PENDING_CONNECTIONS, PENDING_SLOTS_RESERVED_FOR_REMOTE, PENDING_UPGRADE_STALL_MS
} from '../../dist/connection-manager/index.js'

const STALL_MS = 40
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

function admit (manager, addr) {
  const shed = []
  const ticket = manager.admitInbound({ remoteAddr: multiaddr(addr) }, err => { shed.push(err) })
  return { ticket, shed }
}

test('defaults: 1 s stall, 3 slots of 10 that loopback cannot take', () => {
  assert.is(PENDING_UPGRADE_STALL_MS, 1_000)
  assert.is(PENDING_SLOTS_RESERVED_FOR_REMOTE, 3)
  assert.is(MAX_INBOUND_PENDING_CONNECTIONS, 10)
  const manager = new ConnectionManager()
  const held = []
  for (let i = 0; i < 7; i++) held.push(admit(manager, '/ip4/127.0.0.1/tcp/1'))
  assert.throws(() => admit(manager, '/ip4/127.0.0.5/tcp/1'), err => err instanceof ConnectionLimitError && /loopback/.test(err.message), 'every loopback host shares one share')
  assert.throws(() => admit(manager, '/ip6/::1/tcp/1'), err => err instanceof ConnectionLimitError)
  // A remote host still gets in: its own per-host limit (3) and the reserved slots.
  for (let i = 0; i < 3; i++) admit(manager, '/ip4/203.0.113.7/tcp/1')
  assert.is(manager.pendingInbound, 10)
  for (const h of held) assert.equal(h.shed, [], 'nothing shed while the pending upgrades are fresh')
})

test('a full loopback share sheds its most stalled upgrade for a new loopback socket; progress protects', async () => {
  const manager = new ConnectionManager({ options: { pendingUpgradeStallMs: STALL_MS } })
  const held = []
  for (let i = 0; i < 7; i++) held.push(admit(manager, '/ip4/127.0.0.1/tcp/1'))
  await sleep(STALL_MS + 20)
  held[0].ticket.progress() // the oldest made progress: it is no longer the most stalled
  const events = []
  manager.addEventListener('inbound:shed', e => { events.push(e.detail) })
  const newcomer = admit(manager, '/ip4/127.0.0.1/tcp/2')
  assert.equal(newcomer.shed, [])
  assert.is(held[0].shed.length, 0, 'the upgrade that progressed was kept')
  assert.is(held[1].shed.length, 1, 'the most stalled one was shed')
  assert.instance(held[1].shed[0], PendingUpgradeShedError)
  assert.instance(held[1].shed[0], ConnectionLimitError, 'a shed is a connection-limit decision')
  assert.is(events.length, 1)
  assert.ok(events[0].stalledMs >= STALL_MS)
  assert.is(manager.shedUpgrades, 1)
  assert.is(manager.pendingInbound, 7, 'the slot moved to the newcomer')
  held[1].ticket.release() // the node's own release after the abort: idempotent
  assert.is(manager.pendingInbound, 7)
})

test('a full node sheds the most stalled upgrade of any host, never an allow-listed one, and refuses when all are fresh', async () => {
  const manager = new ConnectionManager({ options: { pendingUpgradeStallMs: STALL_MS, maxInboundPendingConnections: 4, allow: ['/ip4/198.51.100.1'] } })
  const allowed = admit(manager, '/ip4/198.51.100.1/tcp/1')
  const a = admit(manager, '/ip4/203.0.113.1/tcp/1')
  const b = admit(manager, '/ip4/203.0.113.2/tcp/1')
  const c = admit(manager, '/ip4/203.0.113.3/tcp/1')
  assert.throws(() => admit(manager, '/ip4/203.0.113.9/tcp/1'), err => err instanceof ConnectionLimitError, 'all fresh: refused')
  await sleep(STALL_MS + 20)
  a.ticket.progress()
  c.ticket.progress()
  admit(manager, '/ip4/203.0.113.9/tcp/1')
  assert.is(allowed.shed.length, 0, 'allow-listed upgrades are never shed')
  assert.equal([a.shed.length, b.shed.length, c.shed.length], [0, 1, 0])
  // Without a shed callback an upgrade is never a candidate.
  const plain = new ConnectionManager({ options: { pendingUpgradeStallMs: STALL_MS, maxInboundPendingConnections: 1 } })
  plain.admitInbound({ remoteAddr: multiaddr('/ip4/203.0.113.1/tcp/1') })
  await sleep(STALL_MS + 20)
  assert.throws(() => plain.admitInbound({ remoteAddr: multiaddr('/ip4/203.0.113.2/tcp/1') }), err => err instanceof ConnectionLimitError)
})

test('pendingUpgradeStallMs: 0 turns shedding off', async () => {
  const manager = new ConnectionManager({ options: { pendingUpgradeStallMs: 0, maxInboundPendingConnections: 1 } })
  const first = admit(manager, '/ip4/203.0.113.1/tcp/1')
  await sleep(20)
  assert.throws(() => admit(manager, '/ip4/203.0.113.2/tcp/1'), err => err instanceof ConnectionLimitError)
  assert.is(first.shed.length, 0)
})

test.run()
