// Connection-manager limits under a burst of 300 inbound dials over TCP
// loopback: raw sockets against the per-host rate and pending-upgrade limits,
// then 300 real peers (Noise + yamux) against maxInboundConnections. Every
// socket and node is closed; every wait is bounded.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import net from 'node:net'
import { createNode, echoHandler, ECHO_PROTOCOL } from '../../dist/node/index.js'
import { tcp } from '../../dist/transport/index.js'
import { DialTimeoutError, MAX_INBOUND_PENDING_CONNECTIONS, MAX_INBOUND_PENDING_PER_HOST } from '../../dist/connection-manager/index.js'
import { INBOUND_HEADER_TIMEOUT_MS } from '../../dist/connection/index.js'
import { readAll, withTimeout, utf8, text } from '../helpers/bytes.js'

const BURST = 300
/** Longer than the test: an admitted socket stays pending until we close it. */
const HOLD_MS = 30_000

function portOf (node) { return Number(node.getMultiaddrs()[0].getComponents()[1].value) }

/** Opens a raw socket that sends nothing; `closed` resolves when the node closes it. */
function idleSocket (port, localAddress) {
  const socket = net.connect({ host: '127.0.0.1', port, ...(localAddress !== undefined ? { localAddress } : {}) })
  socket.on('error', () => {})
  const closed = new Promise(resolve => socket.once('close', resolve))
  return { socket, closed }
}

async function echoOnce (from, to) {
  const stream = await from.dialProtocol(to.getMultiaddrs()[0], ECHO_PROTOCOL)
  await stream.write(utf8('still serving'))
  await stream.closeWrite()
  return text(await withTimeout(readAll(stream), 5000, 'echo'))
}

test(`${BURST} raw sockets from one host: only MAX_INBOUND_PENDING_CONNECTIONS are admitted`, async () => {
  // Upgrades never time out during the test: whatever is still open is what the node admitted.
  const node = await createNode({
    transports: [tcp()], listen: ['/ip4/127.0.0.1/tcp/0'], services: false, upgradeTimeoutMs: HOLD_MS,
    inboundHeaderTimeoutMs: HOLD_MS, connectionManager: { inboundUpgradeTimeoutMs: HOLD_MS }
  })
  node.handle(ECHO_PROTOCOL, echoHandler)
  const port = portOf(node)
  const sockets = Array.from({ length: BURST }, () => idleSocket(port))
  let closed = 0
  for (const s of sockets) s.closed.then(() => { closed++ })
  // Wait until the refusals stop coming (none in progress, closes stable for 500 ms), bounded.
  // A refused socket that stays silent is closed after REFUSAL_TIMEOUT_MS, not at once.
  let last = -1
  for (let i = 0; i < 40 && (closed !== last || node.connectionManager.refusing > 0); i++) { last = closed; await new Promise(resolve => setTimeout(resolve, 500)) }
  const admitted = BURST - closed
  assert.ok(admitted >= 1, 'some sockets were admitted to the upgrade')
  assert.ok(admitted <= MAX_INBOUND_PENDING_CONNECTIONS, `${admitted} sockets admitted at once`)
  assert.is(node.connectionManager.pendingInbound, admitted)
  // Freeing the pending slots lets an honest peer from the same host in (the rate left it tokens).
  for (const s of sockets) s.socket.destroy()
  await Promise.all(sockets.map(s => s.closed))
  for (let i = 0; i < 100 && node.connectionManager.pendingInbound > 0; i++) await new Promise(resolve => setTimeout(resolve, 20))
  assert.is(node.connectionManager.pendingInbound, 0)
  const client = await createNode({ transports: [tcp()], services: false })
  assert.is(await echoOnce(client, node), 'still serving')
  await client.stop()
  await node.stop()
})

test(`${BURST} peers dial at once: inbound connections never pass maxInboundConnections`, async () => {
  const MAX_INBOUND = 40
  const hub = await createNode({
    transports: [tcp()], listen: ['/ip4/127.0.0.1/tcp/0'],
    connectionManager: {
      maxInboundConnections: MAX_INBOUND,
      // This test is about the connection limit, not the per-host rate: all peers share 127.0.0.1.
      inboundConnectionBurstPerHost: 10_000,
      inboundConnectionsPerHostPerSecond: 10_000
    }
  })
  hub.handle(ECHO_PROTOCOL, echoHandler)
  let open = 0
  let peak = 0
  hub.addEventListener('connection:open', () => { open++; peak = Math.max(peak, open) })
  hub.addEventListener('connection:close', () => { open-- })
  const clients = await Promise.all(Array.from({ length: BURST }, () => createNode({ transports: [tcp()], services: false, connectionManager: { dialTimeoutMs: 10_000 } })))
  const addr = hub.getMultiaddrs()[0]
  const outcomes = await withTimeout(Promise.all(clients.map(c => c.dial(addr).then(() => 'ok', err => err.name))), 30_000, 'the burst')
  const succeeded = outcomes.filter(o => o === 'ok').length
  assert.ok(peak <= MAX_INBOUND, `peak ${peak} inbound connections`)
  assert.ok(hub.getConnections().length <= MAX_INBOUND)
  assert.ok(succeeded >= 1, 'some peers got in')
  assert.ok(succeeded < BURST, 'the limit refused some')
  assert.is(hub.connectionManager.pendingInbound, 0)
  await Promise.all(clients.map(c => c.stop()))
  for (let i = 0; i < 200 && hub.getConnections().length > 0; i++) await new Promise(resolve => setTimeout(resolve, 20))
  assert.is(hub.getConnections().length, 0, 'the hub saw every client leave')
  const late = await createNode({ transports: [tcp()], services: false })
  assert.is(await echoOnce(late, hub), 'still serving')
  await late.stop()
  await hub.stop()
})

test('silent sockets from one host take at most MAX_INBOUND_PENDING_PER_HOST slots; another host still gets in', async () => {
  // Loopback is exempt from the per-host limits by default; here it stands in for public hosts.
  const node = await createNode({
    transports: [tcp()], listen: ['/ip4/127.0.0.1/tcp/0'], services: false, upgradeTimeoutMs: HOLD_MS,
    inboundHeaderTimeoutMs: HOLD_MS, connectionManager: { inboundUpgradeTimeoutMs: HOLD_MS, exemptLoopback: false }
  })
  node.handle(ECHO_PROTOCOL, echoHandler)
  // 127.0.0.2 is loopback too, but another host to the node.
  const sockets = Array.from({ length: MAX_INBOUND_PENDING_CONNECTIONS }, () => idleSocket(portOf(node), '127.0.0.2'))
  let closed = 0
  for (const s of sockets) s.closed.then(() => { closed++ })
  for (let i = 0; i < 100 && closed < sockets.length - MAX_INBOUND_PENDING_PER_HOST; i++) await new Promise(resolve => setTimeout(resolve, 20))
  assert.is(node.connectionManager.pendingInbound, MAX_INBOUND_PENDING_PER_HOST)
  const client = await createNode({ transports: [tcp()], services: false, connectionManager: { dialTimeoutMs: 3000 } })
  assert.is(await echoOnce(client, node), 'still serving')
  await client.stop()
  for (const s of sockets) s.socket.destroy()
  await Promise.all(sockets.map(s => s.closed))
  await node.stop()
})

test('a socket that never sends the multistream header is closed after INBOUND_HEADER_TIMEOUT_MS', async () => {
  const node = await createNode({ transports: [tcp()], listen: ['/ip4/127.0.0.1/tcp/0'], services: false })
  const s = idleSocket(portOf(node))
  const started = Date.now()
  const outcome = await Promise.race([s.closed.then(() => 'closed'), new Promise(resolve => setTimeout(() => resolve('open'), INBOUND_HEADER_TIMEOUT_MS + 3000))])
  assert.is(outcome, 'closed')
  assert.ok(Date.now() - started >= INBOUND_HEADER_TIMEOUT_MS - 100, 'not closed before the deadline')
  for (let i = 0; i < 50 && node.connectionManager.pendingInbound > 0; i++) await new Promise(resolve => setTimeout(resolve, 20))
  assert.is(node.connectionManager.pendingInbound, 0)
  s.socket.destroy()
  await node.stop()
})

test('a peer that accepts and never speaks fails the dial with DialTimeoutError, and nothing is left open', async () => {
  const sockets = new Set()
  const server = net.createServer(socket => { sockets.add(socket); socket.on('error', () => {}); socket.on('close', () => sockets.delete(socket)) })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  const node = await createNode({ transports: [tcp()], services: false, connectionManager: { dialTimeoutMs: 300 } })
  const started = Date.now()
  try {
    await withTimeout(node.dial(`/ip4/127.0.0.1/tcp/${server.address().port}`), 5000, 'dial')
    assert.unreachable('the dial must fail')
  } catch (err) {
    assert.instance(err, DialTimeoutError, `${err.name}: ${err.message}`)
  }
  assert.ok(Date.now() - started < 3000, 'the dial timeout, not the 10 s upgrade timeout, ended it')
  for (let i = 0; i < 100 && sockets.size > 0; i++) await new Promise(resolve => setTimeout(resolve, 20))
  assert.is(sockets.size, 0, 'the socket was closed')
  await node.stop()
  await new Promise(resolve => server.close(resolve))
})

test.run()
