// Gossipsub on real nodes (issue 16 benchmark): a 50-node loopback swarm (TCP + Noise + yamux),
// one publisher, 1 KiB messages; wasp2p (50 nodes in this process) against js-libp2p 3.3.11 +
// @libp2p/gossipsub 17.1.1 (50 nodes in one separate process), same topology, same run, default
// gossipsub parameters on both sides (D = 6, heartbeat 1 s, flood publishing).
//   latency: one message at a time, publish → the last of the 49 subscribers has it (median, p90);
//   throughput: MESSAGES with at most WINDOW in flight, messages per second until all 49 have all of them;
//   bytes on the wire per delivered message: bytes the process wrote to TCP sockets during the
//   throughput phase (Noise, yamux and gossip control included) / (MESSAGES × 49).
// Both swarms are built the same way: node i dials i+1, i+5, i+17 (mod 50), all subscribe, then
// 5 s of heartbeats for the meshes to settle, and a warm-up. Both swarms stay up for the whole run
// and are measured in turn, ROUNDS times (wasp2p, js, wasp2p, js…): the figures are medians over
// the rounds, so a noisy neighbour on this shared machine hits both alike.
// Why js-libp2p delivered nothing in the sustained phase of earlier runs: its connection monitor
// aborted every connection of the 50-node process after one event-loop stall over 5 s (see
// test/pubsub/helpers/js-gossipsub-swarm.mjs); the driver now keeps the pings but not the aborts.
import net from 'node:net'
import { fileURLToPath } from 'node:url'
import { saveReport } from './harness.js'
import { startJsonLineChild } from '../test/helpers/json-line-child.js'
import { createNode, gossipsub } from '../dist/index.js'

const SWARM = 50
const SIZE = 1024
const LATENCY_MESSAGES = 30
const WARMUP_MESSAGES = 20
const MESSAGES = 300
const ROUNDS = 3
const SETTLE_MS = 5000
const OFFSETS = [1, 5, 17]
const TOPIC = 'bench'
const TIMEOUT_MS = 120_000
/** Messages in flight at most (published, not yet at all 49): a sustained rate, not a burst into buffers. */
const WINDOW = 50

let wireBytes = 0
const socketWrite = net.Socket.prototype.write
net.Socket.prototype.write = function (chunk, ...rest) { wireBytes += chunk?.length ?? 0; return socketWrite.call(this, chunk, ...rest) }

const sortNum = a => [...a].sort((x, y) => x - y)
const quantile = (a, q) => { const s = sortNum(a); return s[Math.min(s.length - 1, Math.floor(q * s.length))] }
const median = a => quantile(a, 0.5)
const payload = (tag, size) => { const b = new Uint8Array(size); new DataView(b.buffer).setUint32(0, tag); return b }
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

async function wasp2pSwarm () {
  const nodes = []
  for (let i = 0; i < SWARM; i++) {
    nodes.push(await createNode({
      listen: ['/ip4/127.0.0.1/tcp/0'],
      connectionManager: { maxConnections: 1000, allow: ['/ip4/127.0.0.0/ipcidr/8'] },
      // Every node shares 127.0.0.1: IP colocation scoring off, as for the js side.
      services: { pubsub: gossipsub({ scoreParams: { ipColocationFactorWeight: 0 } }) }
    }))
  }
  for (let i = 0; i < SWARM; i++) for (const d of OFFSETS) await nodes[i].dial(nodes[(i + d) % SWARM].getMultiaddrs()[0]).catch(() => {})
  const delivered = new Map()
  let waiter
  for (const n of nodes) {
    n.services.pubsub.subscribe(TOPIC)
    n.services.pubsub.addEventListener('message', e => {
      const tag = new DataView(e.detail.data.buffer, e.detail.data.byteOffset, 4).getUint32(0)
      delivered.set(tag, (delivered.get(tag) ?? 0) + 1)
      waiter?.()
    })
  }
  const wait = async (predicate, timeoutMs) => {
    const deadline = Date.now() + timeoutMs
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('deliveries timed out')
      await new Promise(resolve => { waiter = resolve; setTimeout(resolve, 50) })
    }
  }
  const ps = nodes[0].services.pubsub
  return {
    async latency (count, tag0) {
      const wire0 = wireBytes
      const ms = []
      for (let k = 0; k < count; k++) {
        const tag = tag0 + k
        const started = performance.now()
        await ps.publish(TOPIC, payload(tag, SIZE))
        await wait(() => (delivered.get(tag) ?? 0) >= SWARM - 1, 30_000)
        ms.push(performance.now() - started)
      }
      return { ms, wireBytes: wireBytes - wire0 }
    },
    async throughput (count, tag0) {
      const wire0 = wireBytes
      const started = performance.now()
      const done = k => (delivered.get(tag0 + k) ?? 0) >= SWARM - 1
      let complete = true
      let oldest = 0
      try {
        for (let k = 0; k < count; k++) {
          await wait(() => { while (oldest < k && done(oldest)) oldest++; return k - oldest < WINDOW }, TIMEOUT_MS)
          await ps.publish(TOPIC, payload(tag0 + k, SIZE))
        }
        await wait(() => { while (oldest < count && done(oldest)) oldest++; return oldest === count }, TIMEOUT_MS)
      } catch { complete = false }
      let total = 0
      for (let k = 0; k < count; k++) total += delivered.get(tag0 + k) ?? 0
      return { ms: performance.now() - started, wireBytes: wireBytes - wire0, delivered: total, complete }
    },
    meshSizes: () => nodes.map(n => n.services.pubsub.getMeshPeers(TOPIC).length),
    async stop () { await Promise.all(nodes.map(async n => { await n.stop() })) }
  }
}

async function jsSwarm () {
  const js = await startJsonLineChild(fileURLToPath(new URL('../test/pubsub/helpers/js-gossipsub-swarm.mjs', import.meta.url)), [String(SWARM)],
    { startTimeoutMs: 300_000, commandTimeoutMs: 600_000 })
  for (let i = 0; i < SWARM; i++) {
    for (const d of OFFSETS) await js.command({ cmd: 'dial', i, addr: js.info.peers[(i + d) % SWARM].addrs[0] })
  }
  for (let i = 0; i < SWARM; i++) await js.command({ cmd: 'subscribe', i, topic: TOPIC })
  return {
    latency: async (count, tag0) => await js.command({ cmd: 'benchLatency', count, size: SIZE, tag0 }),
    throughput: async (count, tag0) => await js.command({ cmd: 'benchThroughput', count, size: SIZE, tag0, window: WINDOW, timeoutMs: TIMEOUT_MS }),
    async meshSizes () { const out = []; for (let i = 0; i < SWARM; i++) out.push((await js.command({ cmd: 'mesh', i, topic: TOPIC })).peers.length); return out },
    stop: async () => { await js.stop() }
  }
}

/** A phase that fails (a swarm that stops delivering) is recorded as such, not allowed to abort the run. */
async function phase (name, what, fn) {
  try {
    const r = await fn()
    if (r?.ok === false) throw new Error(r.error)
    return r
  } catch (err) {
    console.log(`${name}: ${what} failed: ${err.message}`)
    return undefined
  }
}

async function warmUp (name, swarm) {
  await phase(name, 'latency warm-up', () => swarm.latency(WARMUP_MESSAGES, 0))
  await phase(name, 'throughput warm-up', () => swarm.throughput(WARMUP_MESSAGES * 5, 10_000))
}

/** One round: the latency phase, then the sustained phase; tags are unique per round. */
async function measure (name, swarm, round) {
  const mesh = await swarm.meshSizes()
  const tag0 = 1_000_000 * (round + 1)
  const latency = await phase(name, 'latency', () => swarm.latency(LATENCY_MESSAGES, tag0))
  const tp = await phase(name, 'throughput', () => swarm.throughput(MESSAGES, tag0 + 100_000))
  const ok = tp !== undefined && tp.complete
  const result = {
    latencyMedianMs: latency === undefined ? NaN : median(latency.ms),
    latencyP90Ms: latency === undefined ? NaN : quantile(latency.ms, 0.9),
    msgPerSec: ok ? MESSAGES / (tp.ms / 1000) : NaN,
    bytesPerDelivery: ok ? tp.wireBytes / (MESSAGES * (SWARM - 1)) : NaN,
    bytesPerDeliveryOneAtATime: latency === undefined ? NaN : latency.wireBytes / (LATENCY_MESSAGES * (SWARM - 1)),
    complete: ok,
    deliveredShare: tp === undefined ? 0 : tp.delivered / (MESSAGES * (SWARM - 1)),
    meshMedian: median(mesh)
  }
  console.log(`${name} round ${round + 1}: latency median ${result.latencyMedianMs.toFixed(2)} ms (p90 ${result.latencyP90Ms.toFixed(2)}), ${result.msgPerSec.toFixed(0)} msg/s, ${result.bytesPerDelivery.toFixed(0)} B/delivery (one at a time ${result.bytesPerDeliveryOneAtATime.toFixed(0)}), throughput phase delivered ${(100 * result.deliveredShare).toFixed(1)} %, mesh median ${result.meshMedian}`)
  return result
}

/** Medians over the rounds, per figure; `complete` only if every round delivered everything. */
function combine (rounds) {
  const out = {}
  for (const key of Object.keys(rounds[0])) {
    if (key === 'complete') out[key] = rounds.every(r => r.complete)
    else {
      const values = rounds.map(r => r[key]).filter(v => !Number.isNaN(v))
      out[key] = values.length === rounds.length ? median(values) : NaN
    }
  }
  out.rounds = rounds
  return out
}

export async function run () {
  console.log(`wasp2p: ${SWARM} nodes…`)
  const oursSwarm = await wasp2pSwarm()
  let theirsSwarm
  const oursRounds = []
  const theirsRounds = []
  try {
    console.log(`js-libp2p: ${SWARM} nodes in a child process…`)
    theirsSwarm = await jsSwarm()
    await sleep(SETTLE_MS)
    await warmUp('wasp2p', oursSwarm)
    await warmUp('js-libp2p', theirsSwarm)
    for (let round = 0; round < ROUNDS; round++) {
      oursRounds.push(await measure('wasp2p', oursSwarm, round))
      theirsRounds.push(await measure('js-libp2p', theirsSwarm, round))
    }
  } finally {
    await oursSwarm.stop()
    await theirsSwarm?.stop()
  }
  const ours = combine(oursRounds)
  const theirs = combine(theirsRounds)

  const row = (label, better, key) => ({ label, better, values: { 'js-libp2p': theirs[key], wasp2p: ours[key] } })
  const results = [
    row(`delivery latency to the last of ${SWARM - 1} subscribers, median (ms)`, 'lower', 'latencyMedianMs'),
    row(`delivery latency to the last of ${SWARM - 1} subscribers, p90 (ms)`, 'lower', 'latencyP90Ms'),
    row(`messages per second from one publisher, all ${SWARM - 1} delivered`, 'higher', 'msgPerSec'),
    row('bytes on the wire per delivered message, throughput phase', 'lower', 'bytesPerDelivery'),
    row('bytes on the wire per delivered message, latency phase (one at a time)', 'lower', 'bytesPerDeliveryOneAtATime'),
    row('share of throughput-phase deliveries completed', 'higher', 'deliveredShare'),
    row('mesh degree, median over nodes', 'equal', 'meshMedian')
  ]
  const ratios = {
    latencyVsJs: ours.latencyMedianMs / theirs.latencyMedianMs,
    msgPerSecVsJs: ours.msgPerSec / theirs.msgPerSec,
    bytesVsJs: ours.bytesPerDelivery / theirs.bytesPerDelivery,
    bytesOneAtATimeVsJs: ours.bytesPerDeliveryOneAtATime / theirs.bytesPerDeliveryOneAtATime,
    // The same ratios taken round by round (each round measures both swarms back to back), then the median.
    perRound: Object.fromEntries([['latencyVsJs', 'latencyMedianMs'], ['msgPerSecVsJs', 'msgPerSec'], ['bytesVsJs', 'bytesPerDelivery']]
      .map(([name, key]) => [name, median(oursRounds.map((r, i) => r[key] / theirsRounds[i][key]))]))
  }
  const targets = {
    'latency ≤ 0.5× js': ratios.latencyVsJs <= 0.5,
    'msg/s ≥ 2× js': ratios.msgPerSecVsJs >= 2,
    'bytes per delivery ≤ 1.1× js (throughput phase)': ratios.bytesVsJs <= 1.1,
    'bytes per delivery ≤ 1.1× js (latency phase)': ratios.bytesOneAtATimeVsJs <= 1.1,
    'every message delivered to every subscriber (wasp2p)': ours.complete && ours.deliveredShare === 1
  }
  console.log('\n' + results.map(r => `${r.label.padEnd(64)} ${Object.entries(r.values).map(([k, v]) => `${k} ${v.toFixed(2)}`).join('   ')}`).join('\n'))
  console.log(`\nratios wasp2p/js: latency ${ratios.latencyVsJs.toFixed(3)}, msg/s ${ratios.msgPerSecVsJs.toFixed(2)}, bytes ${ratios.bytesVsJs.toFixed(3)} (one at a time ${ratios.bytesOneAtATimeVsJs.toFixed(3)})`)
  console.log(`per-round ratios, median: latency ${ratios.perRound.latencyVsJs.toFixed(3)}, msg/s ${ratios.perRound.msgPerSecVsJs.toFixed(2)}, bytes ${ratios.perRound.bytesVsJs.toFixed(3)}`)
  for (const [target, met] of Object.entries(targets)) console.log(`${met ? 'met    ' : 'NOT met'}  ${target}`)
  return {
    name: 'pubsub-swarm',
    date: new Date().toISOString(),
    runtime: `node ${process.versions.node}`,
    setup: { swarm: SWARM, messageBytes: SIZE, window: WINDOW, rounds: ROUNDS, latencyMessages: LATENCY_MESSAGES, throughputMessages: MESSAGES, topology: `i → i+${OFFSETS.join(', i+')} (mod ${SWARM})`, transport: 'loopback TCP + Noise + yamux', loadavg: (await import('node:os')).loadavg() },
    results,
    ratios,
    targets,
    rounds: { wasp2p: oursRounds, 'js-libp2p': theirsRounds }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await run()
  const file = await saveReport(report)
  if (file !== undefined) console.log(`wrote ${file}`)
}
