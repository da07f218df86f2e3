// Hostile peers against one node on its defaults (short versions; bench/soak.js
// runs the long ones): slowloris handshakes, a remote that never reads, data
// beyond the window, a SYN flood and a Ping flood. In each, the attacker is cut
// off within the named limit while an honest peer's echo, running at the same
// time, keeps completing. Everything over TCP loopback, which is exempt from
// the per-host limits: one local attacker and the honest peer are the same host.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import os from 'node:os'
import {
  createNode, echoHandler, ECHO_PROTOCOL, yamux, tcp, PeerRefusedError,
  INBOUND_UPGRADE_TIMEOUT_MS, MAX_INBOUND_PENDING_CONNECTIONS, PENDING_UPGRADE_STALL_MS, PENDING_SLOTS_RESERVED_FOR_REMOTE
} from '../../dist/index.js'
import { WriteTimeoutError } from '../../dist/muxer/yamux/index.js'
import { INBOUND_HEADER_TIMEOUT_MS } from '../../dist/connection/index.js'
import {
  slowlorisSwarm, openSlowloris, makeRawYamuxAttacker, openRawSession, sendBeyondWindow, synFlood, pingFlood,
  honestEchoLoop, echoRound, delay, summarize
} from '../helpers/hostile.js'
import { waitFor } from '../helpers/wait.js'
import { withTimeout } from '../helpers/bytes.js'

/** Slack on top of every named limit: a loaded 2-core machine delays timers by hundreds of ms. */
const SLACK_MS = 3_000
/** A protocol error (data beyond the window, a frame flood) ends the session at once; this is how long "at once" may take here. */
const CUT_OFF_MS = 3_000
/** One honest echo round (dial when fresh, open a stream, 1 KiB there and back). */
const HONEST_ROUND_MS = 5_000
/** The write deadline the never-reading test runs with (the default STREAM_WRITE_TIMEOUT_MS is 30 s; the soak uses it). */
const WRITE_TIMEOUT_MS = 1_000
const SOURCE = '/test/source/1.0.0'

async function makeTarget (connectionManager = {}, listen = ['/ip4/127.0.0.1/tcp/0']) {
  const writeFailures = []
  const refusals = []
  const node = await createNode({
    transports: [tcp()], listen, services: false,
    streamMuxers: [yamux({ streamWriteTimeout: WRITE_TIMEOUT_MS })],
    connectionManager
  })
  node.handle(ECHO_PROTOCOL, echoHandler)
  // Writes until the remote stops taking bytes; records how the write ended.
  node.handle(SOURCE, async stream => {
    const chunk = new Uint8Array(64 * 1024)
    let lastProgress = performance.now()
    try {
      for (let i = 0; i < 10_000; i++) { await stream.write(chunk); lastProgress = performance.now() }
    } catch (err) {
      writeFailures.push({ error: err, stalledMs: performance.now() - lastProgress })
    }
  })
  node.connectionManager.addEventListener('inbound:refused', e => { refusals.push(e.detail) })
  const addr = node.getMultiaddrs().find(a => a.toString().startsWith('/ip4/127.0.0.1/'))
  const [, , host, , port] = addr.toString().split('/')
  return { node, addr, host, port: Number(port), writeFailures, refusals }
}

function honestClient () {
  return createNode({ transports: [tcp()], services: false, start: true })
}

/** The target holds nothing for anyone but `keep` (a peer id string) once the attacks are over. */
async function assertFreed (target, keep) {
  await waitFor(() => {
    const r = target.node.resources()
    const others = Object.keys(r.peers).filter(p => p !== keep)
    return r.pendingInbound === 0 && others.length === 0
  }, 'the attacker\'s scopes and pending upgrades were freed', 10_000).catch(() => {})
  const r = target.node.resources()
  assert.is(r.pendingInbound, 0, 'no pending upgrades left')
  assert.equal(Object.keys(r.peers).filter(p => p !== keep), [], 'no scope left but the honest peer\'s')
  for (const [id, c] of Object.entries(r.connections)) assert.is(c.peer, keep, `connection ${id} belongs to the honest peer`)
}

/** The first non-internal IPv4 address of this machine: a peer dialing it is not loopback to the node. */
function interfaceAddress () {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
  }
  return undefined
}

/**
 * Starts the usual mix of slowloris swarms against the target's loopback port: first
 * 2 half-header and 2 silent sockets (so they hold slots too), then twice the
 * node-wide pending slots in Noise-message-1-then-silence sockets. Returns
 * [noise1, partial, bare].
 */
async function slowloris (target, { reopen }) {
  const options = { reopen, reopenDelayMs: 200 }
  const partial = slowlorisSwarm('partial', target.host, target.port, { count: 2, ...options })
  const bare = slowlorisSwarm('bare', target.host, target.port, { count: 2, ...options })
  await waitFor(() => target.node.connectionManager.pendingInbound >= 4, 'the half-header and silent sockets are pending', 5_000)
  const noise1 = slowlorisSwarm('noise1', target.host, target.port, {
    count: 2 * MAX_INBOUND_PENDING_CONNECTIONS, ...(reopen ? { maxSockets: 2 * MAX_INBOUND_PENDING_CONNECTIONS * 80 } : {}), ...options
  })
  return [noise1, partial, bare]
}

/** Stops the swarms and checks each socket the target closed lived at most its named timeout. */
async function stopAndCheck (swarms, label) {
  for (const s of swarms) await s.stop()
  const [noise1, partial, bare] = swarms.map(s => summarize(s.lifetimes))
  console.log(`  ${label}: attacker sockets opened ${swarms.map(s => s.opened).join('/')} (noise1/partial/bare); lifetimes (ms) noise1 ${JSON.stringify(noise1)} partial ${JSON.stringify(partial)} bare ${JSON.stringify(bare)}`)
  assert.ok(noise1.count > 0 && noise1.max <= INBOUND_UPGRADE_TIMEOUT_MS + SLACK_MS, `noise1 sockets closed within ${INBOUND_UPGRADE_TIMEOUT_MS} ms (+slack): ${noise1.max}`)
  assert.ok(partial.count > 0 && partial.max <= INBOUND_HEADER_TIMEOUT_MS + SLACK_MS, `partial-header sockets closed within ${INBOUND_HEADER_TIMEOUT_MS} ms (+slack): ${partial.max}`)
  assert.ok(bare.count > 0 && bare.max <= INBOUND_HEADER_TIMEOUT_MS + SLACK_MS, `silent sockets closed within ${INBOUND_HEADER_TIMEOUT_MS} ms (+slack): ${bare.max}`)
}

test(`slowloris from loopback holding every pending slot it can: fresh honest dials from loopback still get in (stalled upgrades shed after ${PENDING_UPGRADE_STALL_MS} ms)`, async () => {
  const target = await makeTarget()
  const client = await honestClient()
  let swarms = []
  try {
    swarms = await slowloris(target, { reopen: false })
    await waitFor(() => target.node.connectionManager.pendingInbound >= MAX_INBOUND_PENDING_CONNECTIONS - PENDING_SLOTS_RESERVED_FOR_REMOTE, 'the attackers hold loopback\'s share of the pending slots', 5_000)
    await delay(PENDING_UPGRADE_STALL_MS + 200) // every held handshake is stale before the honest peer arrives
    const honest = honestEchoLoop(client, target.addr, { fresh: true, intervalMs: 200, roundTimeoutMs: HONEST_ROUND_MS })
    await delay(INBOUND_UPGRADE_TIMEOUT_MS)
    const { latencies, failures } = await honest.stop()
    console.log(`  holding slowloris: honest fresh dial+echo ${JSON.stringify(summarize(latencies))} ms; shed ${target.node.connectionManager.shedUpgrades}`)
    assert.equal(failures, [], 'every honest round succeeded')
    assert.ok(latencies.length >= 10, `honest rounds completed: ${latencies.length}`)
    assert.ok(target.node.connectionManager.shedUpgrades > 0, 'stalled upgrades were shed for the honest peer')
    await stopAndCheck(swarms, 'holding slowloris')
    await client.stop()
    await assertFreed(target, undefined)
  } finally {
    for (const s of swarms) await s.stop()
    await client.stop()
    await target.node.stop()
  }
})

test(`slowloris from loopback reopening every socket it loses: honest dials from another host get in (${PENDING_SLOTS_RESERVED_FOR_REMOTE} slots loopback cannot take)`, async () => {
  const ip = interfaceAddress()
  if (ip === undefined) {
    console.error('!!!!! no non-loopback IPv4 interface: the remote-honest slowloris test did NOT run')
    if (process.env.CI === 'true') assert.unreachable('no non-loopback interface under CI')
    return
  }
  const target = await makeTarget({}, ['/ip4/127.0.0.1/tcp/0', `/ip4/${ip}/tcp/0`])
  const client = await honestClient()
  let swarms = []
  try {
    swarms = await slowloris(target, { reopen: true })
    await waitFor(() => target.node.connectionManager.pendingInbound >= MAX_INBOUND_PENDING_CONNECTIONS - PENDING_SLOTS_RESERVED_FOR_REMOTE, 'the attackers hold loopback\'s share of the pending slots', 5_000)
    const remoteAddr = target.node.getMultiaddrs().find(a => a.toString().includes(`/ip4/${ip}/`))
    // One dial every 400 ms stays inside the per-host rate a public host gets (5/s, burst 20).
    const honest = honestEchoLoop(client, remoteAddr, { fresh: true, intervalMs: 400, roundTimeoutMs: HONEST_ROUND_MS })
    await delay(INBOUND_UPGRADE_TIMEOUT_MS)
    const { latencies, failures } = await honest.stop()
    console.log(`  persistent slowloris: honest fresh dial+echo from ${ip} ${JSON.stringify(summarize(latencies))} ms; refused attacker sockets ${target.refusals.length}, shed ${target.node.connectionManager.shedUpgrades}`)
    assert.equal(failures, [], 'every honest round succeeded')
    assert.ok(latencies.length >= 10, `honest rounds completed: ${latencies.length}`)
    assert.ok(target.refusals.length > 0, 'the attacker did run into loopback\'s share')
    await stopAndCheck(swarms, 'persistent slowloris')
    await client.stop()
    await assertFreed(target, undefined)
  } finally {
    for (const s of swarms) await s.stop()
    await client.stop()
    await target.node.stop()
  }
})

test('slowloris control: with shedding off (pendingUpgradeStallMs: 0) a holding attacker locks an honest loopback dialer out', async () => {
  const target = await makeTarget({ pendingUpgradeStallMs: 0 })
  const client = await honestClient()
  const held = []
  try {
    for (let i = 0; i < MAX_INBOUND_PENDING_CONNECTIONS; i++) held.push(await openSlowloris('noise1', target.host, target.port))
    await waitFor(() => target.node.connectionManager.pendingInbound >= MAX_INBOUND_PENDING_CONNECTIONS - PENDING_SLOTS_RESERVED_FOR_REMOTE, 'the attacker holds every slot it may', 5_000)
    await delay(PENDING_UPGRADE_STALL_MS + 200)
    let failure
    try { await withTimeout(client.dial(target.addr), HONEST_ROUND_MS, 'the honest dial') } catch (err) { failure = err }
    assert.instance(failure, PeerRefusedError, `${failure?.name}: ${failure?.message}`)
    assert.is(failure.reason, 'connection-limit')
  } finally {
    for (const s of held) s.socket.destroy()
    await client.stop()
    await target.node.stop()
  }
})

/** Runs `attack` while an honest peer (own connection) echoes; returns the honest figures. */
async function underAttack (target, client, attack) {
  const honest = honestEchoLoop(client, target.addr, { intervalMs: 50, roundTimeoutMs: HONEST_ROUND_MS })
  await waitFor(() => honest.latencies.length > 0, 'the honest echo runs', HONEST_ROUND_MS)
  const before = honest.latencies.length
  let result
  try {
    result = await attack()
  } finally {
    await delay(300) // a few more honest rounds after the cut-off
    await honest.stop()
  }
  assert.equal(honest.failures, [], 'every honest round succeeded')
  assert.ok(honest.latencies.length > before, 'honest rounds completed during the attack')
  return { result, honest: summarize(honest.latencies.slice(before)) }
}

test(`window abuse: a remote that never reads is cut off by the write deadline (${WRITE_TIMEOUT_MS} ms) and its stream freed`, async () => {
  const target = await makeTarget()
  const client = await honestClient()
  const attacker = await honestClient()
  try {
    const { honest } = await underAttack(target, client, async () => {
      const connection = await attacker.dial(target.addr)
      const stream = await connection.newStream(SOURCE)
      await stream.write(new Uint8Array([1])) // lazy select: the proposal goes out with a byte; then nothing is ever read
      await waitFor(() => target.writeFailures.length > 0, 'the target\'s write ended', WRITE_TIMEOUT_MS + 10_000)
    })
    const [{ error, stalledMs }] = target.writeFailures
    console.log(`  never-reads: write ended after ${Math.round(stalledMs)} ms without progress (${error.name}); honest echo ${JSON.stringify(honest)} ms`)
    assert.instance(error, WriteTimeoutError, `${error.name}: ${error.message}`)
    assert.ok(stalledMs >= WRITE_TIMEOUT_MS - 50 && stalledMs <= WRITE_TIMEOUT_MS + SLACK_MS, `cut off after ${stalledMs} ms`)
    const attackerId = attacker.peerId.toString()
    await waitFor(() => {
      const p = target.node.resources().peers[attackerId]
      return p !== undefined && p.streams.inbound + p.streams.outbound === 0
    }, 'the reset stream was released', 5_000)
    await attacker.stop()
    await assertFreed(target, client.peerId.toString())
  } finally {
    await attacker.stop()
    await client.stop()
    await target.node.stop()
  }
})

for (const [name, attack, what] of [
  ['data beyond the receive window', sendBeyondWindow, 'a protocol error'],
  ['a SYN flood (5,000 streams against MAX_STREAMS 1,024)', s => synFlood(s, 5_000), 'the muxer refuses past MAX_STREAMS; the refusals are a frame flood'],
  ['a Ping flood (5,000 pings against MAX_IDLE_FRAMES_PER_SECOND 1,000)', s => pingFlood(s, 5_000), 'a frame flood']
]) {
  test(`${name}: the session is closed within ${CUT_OFF_MS} ms (${what}) while an honest echo keeps working`, async () => {
    const target = await makeTarget()
    const client = await honestClient()
    const attacker = await makeRawYamuxAttacker(createNode, [tcp()])
    try {
      const { result, honest } = await underAttack(target, client, async () => {
        const session = await openRawSession(attacker, target.addr)
        const start = performance.now()
        await attack(session.stream).catch(() => {}) // the target may close before the last batch
        const ended = await withTimeout(session.ended, CUT_OFF_MS + 5_000, 'the target closing the session')
        return ended - start
      })
      console.log(`  ${name}: session closed ${Math.round(result)} ms after the attack began; honest echo ${JSON.stringify(honest)} ms`)
      assert.ok(result <= CUT_OFF_MS, `closed after ${result} ms`)
      await assertFreed(target, client.peerId.toString())
      // And the node still takes new connections.
      const fresh = await honestClient()
      try {
        const connection = await withTimeout(fresh.dial(target.addr), HONEST_ROUND_MS, 'a new dial')
        await withTimeout(echoRound(connection), HONEST_ROUND_MS, 'a new echo')
      } finally { await fresh.stop() }
    } finally {
      await attacker.node.stop()
      await client.stop()
      await target.node.stop()
    }
  })
}

test.run()
