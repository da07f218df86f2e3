// The hostile phase of `npm run soak` (bench/soak.js): the long versions of
// test/faults/hostile.node.test.js against a node on createNode() defaults
// (TCP loopback), each while an honest peer echoes 1 KiB every ECHO_INTERVAL_MS;
// the honest echo's latency is recorded per scenario, next to a baseline
// without attack. Scenarios:
// - slowloris, holding: 3 half-header and 3 silent sockets, then 3 × the
//   pending slots in Noise-message-1-then-silence sockets, held; the honest peer dials
//   afresh from loopback for every echo (it needs a pending slot each time);
// - slowloris, persistent: the same sockets, each reopened as soon as the
//   node drops it, for SLOWLORIS_MS; the honest peer dials afresh from the
//   machine's non-loopback address (loopback cannot take its reserved slots),
//   and a second honest peer echoes over a loopback connection opened before;
// - never-reads: NEVER_READERS connections each with a stream the node writes
//   to and the remote never reads, against the default STREAM_WRITE_TIMEOUT_MS;
// - beyond-window, SYN flood, Ping flood: RAW_SESSIONS sessions each, run
//   concurrently.
// Attackers run in this process (so their CPU is charged to the node's event
// loop too: the honest latency is an upper bound).
import os from 'node:os'
import {
  createNode, echoHandler, ECHO_PROTOCOL, tcp, INBOUND_UPGRADE_TIMEOUT_MS, MAX_INBOUND_PENDING_CONNECTIONS,
  PENDING_UPGRADE_STALL_MS
} from '../dist/index.js'
import { INBOUND_HEADER_TIMEOUT_MS } from '../dist/connection/index.js'
import { STREAM_WRITE_TIMEOUT_MS } from '../dist/muxer/yamux/index.js'
import {
  slowlorisSwarm, makeRawYamuxAttacker, openRawSession, sendBeyondWindow, synFlood, pingFlood, honestEchoLoop, delay, summarize
} from '../test/helpers/hostile.js'

/** How long each slowloris scenario runs. */
export const SLOWLORIS_MS = 60_000
/** The honest peer's echo period. */
export const ECHO_INTERVAL_MS = 250
/** One honest round (fresh dial where it dials, 1 KiB there and back) must finish within this. */
export const HONEST_ROUND_MS = 10_000
/** Never-reading connections at once. */
export const NEVER_READERS = 50
/** Raw yamux sessions per protocol-abuse scenario, run at once. */
export const RAW_SESSIONS = 20
/** A session that breaks the protocol must be closed within this (it is closed on the offending frame). */
export const CUT_OFF_MS = 5_000
/** Slack on timeouts on a loaded shared machine. */
const SLACK_MS = 5_000
const SOURCE = '/soak/source/1.0.0'

function interfaceAddress () {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address
  }
  return undefined
}

async function makeTarget (ip) {
  const writeEnds = []
  const node = await createNode({
    transports: [tcp()], services: false,
    listen: ['/ip4/127.0.0.1/tcp/0', ...(ip !== undefined ? [`/ip4/${ip}/tcp/0`] : [])]
  })
  node.handle(ECHO_PROTOCOL, echoHandler)
  node.handle(SOURCE, async stream => {
    const chunk = new Uint8Array(64 * 1024)
    let last = performance.now()
    try {
      for (let i = 0; i < 100_000; i++) { await stream.write(chunk); last = performance.now() }
    } catch (err) {
      writeEnds.push({ error: err.name, stalledMs: performance.now() - last })
    }
  }, { maxInboundStreams: 4 })
  let refused = 0
  node.connectionManager.addEventListener('inbound:refused', () => { refused++ })
  const addr = node.getMultiaddrs().find(a => a.toString().startsWith('/ip4/127.0.0.1/'))
  const [, , host, , port] = addr.toString().split('/')
  return {
    node, addr, host, port: Number(port), writeEnds,
    remoteAddr: ip !== undefined ? node.getMultiaddrs().find(a => a.toString().includes(`/ip4/${ip}/`)) : undefined,
    get refused () { return refused }
  }
}

const client = () => createNode({ transports: [tcp()], services: false })

function residual (target) {
  const r = target.node.resources()
  return { pendingInbound: r.pendingInbound, peers: Object.keys(r.peers).length, connections: Object.keys(r.connections).length, memory: r.node.memory }
}

async function slowlorisScenario (target, { reopen, honestFrom }) {
  const options = { reopen, reopenDelayMs: 200, ...(reopen ? { maxSockets: 100_000 } : {}) }
  const a = await client()
  const b = await client()
  // The resident honest peer connects before the attack: its connection is what must keep working.
  if (reopen) await b.dial(target.addr)
  // Half-header and silent sockets first, so that they hold slots too; then the Noise-1 ones.
  const partial = slowlorisSwarm('partial', target.host, target.port, { count: 3, ...options })
  const bare = slowlorisSwarm('bare', target.host, target.port, { count: 3, ...options })
  await delay(300)
  const swarms = [slowlorisSwarm('noise1', target.host, target.port, { count: 3 * MAX_INBOUND_PENDING_CONNECTIONS, ...options }), partial, bare]
  try {
    await delay(PENDING_UPGRADE_STALL_MS + 500)
    const honest = honestEchoLoop(a, honestFrom, { fresh: true, intervalMs: honestFrom === target.addr ? ECHO_INTERVAL_MS : 400, roundTimeoutMs: HONEST_ROUND_MS, maxRounds: 100_000 })
    const resident = reopen ? honestEchoLoop(b, target.addr, { intervalMs: ECHO_INTERVAL_MS, roundTimeoutMs: HONEST_ROUND_MS, maxRounds: 100_000 }) : undefined
    await delay(SLOWLORIS_MS)
    const fresh = await honest.stop()
    const kept = await resident?.stop()
    for (const s of swarms) await s.stop()
    const [noise1, partial, bare] = swarms.map(s => summarize(s.lifetimes))
    return {
      attackerSocketsOpened: { noise1: swarms[0].opened, partial: swarms[1].opened, bare: swarms[2].opened },
      attackerSocketLifetimeMs: { noise1, partial, bare },
      refused: target.refused,
      shed: target.node.connectionManager.shedUpgrades,
      honestFreshDial: { from: honestFrom.toString().split('/')[2], latencyMs: summarize(fresh.latencies), failures: fresh.failures.length, firstFailures: fresh.failures.slice(0, 3) },
      ...(kept !== undefined ? { honestOpenConnection: { latencyMs: summarize(kept.latencies), failures: kept.failures.length, firstFailures: kept.failures.slice(0, 3) } } : {}),
      ok: fresh.failures.length === 0 && (kept === undefined || kept.failures.length === 0) && fresh.latencies.length > 0 &&
        noise1.max <= INBOUND_UPGRADE_TIMEOUT_MS + SLACK_MS && partial.max <= INBOUND_HEADER_TIMEOUT_MS + SLACK_MS && bare.max <= INBOUND_HEADER_TIMEOUT_MS + SLACK_MS
    }
  } finally {
    for (const s of swarms) await s.stop()
    await a.stop()
    await b.stop()
  }
}

/** Runs `attack` while an honest peer echoes over its own connection. */
async function withHonestEcho (target, attack) {
  const c = await client()
  const honest = honestEchoLoop(c, target.addr, { intervalMs: ECHO_INTERVAL_MS, roundTimeoutMs: HONEST_ROUND_MS, maxRounds: 100_000 })
  try {
    const result = await attack()
    await delay(1_000)
    const { latencies, failures } = await honest.stop()
    return { ...result, honest: { latencyMs: summarize(latencies), failures: failures.length, firstFailures: failures.slice(0, 3) }, okHonest: failures.length === 0 && latencies.length > 0 }
  } finally {
    await honest.stop()
    await c.stop()
  }
}

async function neverReadsScenario (target) {
  const attackers = await Promise.all(Array.from({ length: NEVER_READERS }, client))
  try {
    return await withHonestEcho(target, async () => {
      const started = performance.now()
      // One after another: 50 handshakes at once would (rightly) meet the pending-slot limit.
      for (const a of attackers) {
        const stream = await (await a.dial(target.addr)).newStream(SOURCE)
        await stream.write(new Uint8Array([1]))
      }
      const deadline = Date.now() + STREAM_WRITE_TIMEOUT_MS + 60_000
      while (target.writeEnds.length < NEVER_READERS && Date.now() < deadline) await delay(200)
      const stalled = summarize(target.writeEnds.map(e => e.stalledMs))
      return {
        streams: NEVER_READERS, writeTimeoutMs: STREAM_WRITE_TIMEOUT_MS,
        ended: target.writeEnds.length, errors: [...new Set(target.writeEnds.map(e => e.error))],
        stalledBeforeCutOffMs: stalled, totalMs: Math.round(performance.now() - started),
        ok: target.writeEnds.length === NEVER_READERS && target.writeEnds.every(e => e.error === 'WriteTimeoutError') && stalled.max <= STREAM_WRITE_TIMEOUT_MS + SLACK_MS
      }
    })
  } finally {
    await Promise.all(attackers.map(a => a.stop()))
  }
}

async function rawScenario (target, attack) {
  const attackers = await Promise.all(Array.from({ length: RAW_SESSIONS }, () => makeRawYamuxAttacker(createNode, [tcp()])))
  try {
    return await withHonestEcho(target, async () => {
      const sessions = []
      for (const a of attackers) sessions.push(await openRawSession(a, target.addr)) // one handshake at a time, as above
      const start = performance.now()
      await Promise.all(sessions.map(s => attack(s.stream).catch(() => {})))
      const ends = await Promise.all(sessions.map(s => Promise.race([s.ended, delay(CUT_OFF_MS + SLACK_MS).then(() => Infinity)])))
      const closedAfter = summarize(ends.map(t => t - start))
      return { sessions: RAW_SESSIONS, closedAfterMs: closedAfter, ok: closedAfter.max <= CUT_OFF_MS }
    })
  } finally {
    await Promise.all(attackers.map(a => a.node.stop()))
  }
}

/** Every scenario on a fresh default node; resolves with the record bench/soak.js stores as `hostile`. */
export async function hostilePhase (log = console.log) {
  const ip = interfaceAddress()
  const scenarios = {}
  const run = async (name, work) => {
    const target = await makeTarget(ip)
    try {
      const started = performance.now()
      const result = await work(target)
      await delay(2_000)
      result.residualAfter = residual(target)
      result.ok = result.ok && (result.okHonest ?? true) && result.residualAfter.pendingInbound === 0
      result.durationMs = Math.round(performance.now() - started)
      scenarios[name] = result
      log(`soak: hostile ${name}: ${JSON.stringify(result)}`)
    } finally {
      await target.node.stop()
    }
  }
  await run('baseline', async target => withHonestEcho(target, async () => { await delay(10_000); return { ok: true } }))
  await run('slowlorisHolding', target => slowlorisScenario(target, { reopen: false, honestFrom: target.addr }))
  if (ip !== undefined) await run('slowlorisPersistent', target => slowlorisScenario(target, { reopen: true, honestFrom: target.remoteAddr }))
  await run('neverReads', neverReadsScenario)
  await run('beyondWindow', target => rawScenario(target, sendBeyondWindow))
  await run('synFlood', target => rawScenario(target, s => synFlood(s, 20_000)))
  await run('pingFlood', target => rawScenario(target, s => pingFlood(s, 20_000)))
  return {
    date: new Date().toISOString(),
    setup: {
      node: 'createNode() defaults, TCP loopback', slowlorisMs: SLOWLORIS_MS, echoIntervalMs: ECHO_INTERVAL_MS, neverReaders: NEVER_READERS,
      rawSessions: RAW_SESSIONS, honestFromRemote: ip ?? 'no non-loopback interface: persistent scenario not run'
    },
    scenarios,
    ok: Object.values(scenarios).every(s => s.ok)
  }
}
