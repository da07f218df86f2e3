// Gossipsub on real nodes (issue 16 benchmark): a 50-node loopback swarm (TCP + Noise + yamux),
// one publisher, 1 KiB messages; wasp2p (50 nodes in this process) against js-libp2p 3.3.11 +
// @libp2p/gossipsub 17.1.1 (50 nodes in one separate process), same topology, same run, default
// gossipsub parameters on both sides (D = 6, heartbeat 1 s, flood publishing).
//   latency: one message at a time, publish → the last of the 49 subscribers has it (median, p90);
//   throughput: MESSAGES with at most WINDOW in flight, messages per second until all 49 have all of them;
//   bytes on the wire per delivered message: bytes the process wrote to TCP sockets during the
//   throughput phase (Noise, yamux and gossip control included) / (MESSAGES × 49).
// Both swarms are built the same way: node i dials i+1, i+5, i+17 (mod 50), all subscribe, then
// 5 s of heartbeats for the meshes to settle, and a warm-up before each measured phase.
import net from 'node:net'
import { fileURLToPath } from 'node:url'
import { saveReport } from './harness.js'
import { startJsonLineChild } from '../test/helpers/json-line-child.js'
import { createNode, gossipsub } from '../dist/index.js'

const SWARM = 50
const SIZE = 1024
const LATENCY_MESSAGES = 40
const WARMUP_MESSAGES = 20
const MESSAGES = 500
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

async function measure (name, swarm) {
  await sleep(SETTLE_MS)
  const mesh = await swarm.meshSizes()
  await phase(name, 'latency warm-up', () => swarm.latency(WARMUP_MESSAGES, 0))
  const latency = await phase(name, 'latency', () => swarm.latency(LATENCY_MESSAGES, 1000))
  await phase(name, 'throughput warm-up', () => swarm.throughput(WARMUP_MESSAGES * 5, 10_000))
  const tp = await phase(name, 'throughput', () => swarm.throughput(MESSAGES, 100_000))
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
  console.log(`${name}: latency median ${result.latencyMedianMs.toFixed(2)} ms (p90 ${result.latencyP90Ms.toFixed(2)}), ${result.msgPerSec.toFixed(0)} msg/s, ${result.bytesPerDelivery.toFixed(0)} B/delivery (one at a time ${result.bytesPerDeliveryOneAtATime.toFixed(0)}), throughput phase delivered ${(100 * result.deliveredShare).toFixed(1)} %, mesh median ${result.meshMedian}`)
  return result
}

export async function run () {
  console.log(`wasp2p: ${SWARM} nodes…`)
  let swarm = await wasp2pSwarm()
  let ours
  try { ours = await measure('wasp2p', swarm) } finally { await swarm.stop() }
  console.log(`js-libp2p: ${SWARM} nodes in a child process…`)
  swarm = await jsSwarm()
  let theirs
  try { theirs = await measure('js-libp2p', swarm) } finally { await swarm.stop() }

  const row = (label, better, key) => ({ label, better, values: { 'js-libp2p': theirs[key], wasp2p: ours[key] } })
  const results = [
    row(`delivery latency to the last of ${SWARM - 1} subscribers, median (ms)`, 'lower', 'latencyMedianMs'),
    row(`delivery latency to the last of ${SWARM - 1} subscribers, p90 (ms)`, 'lower', 'latencyP90Ms'),
    row(`messages per second from one publisher, all ${SWARM - 1} delivered`, 'higher', 'msgPerSec'),
    row('bytes on the wire per delivered message, throughput phase', 'lower', 'bytesPerDelivery'),
    row('bytes on the wire per delivered message, latency phase (one at a time)', 'lower', 'bytesPerDeliveryOneAtATime'),
    row('share of throughput-phase deliveries completed', 'higher', 'deliveredShare')
  ]
  const ratios = {
    latencyVsJs: ours.latencyMedianMs / theirs.latencyMedianMs,
    msgPerSecVsJs: ours.msgPerSec / theirs.msgPerSec,
    bytesVsJs: ours.bytesPerDelivery / theirs.bytesPerDelivery,
    bytesOneAtATimeVsJs: ours.bytesPerDeliveryOneAtATime / theirs.bytesPerDeliveryOneAtATime
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
  for (const [target, met] of Object.entries(targets)) console.log(`${met ? 'met    ' : 'NOT met'}  ${target}`)
  return {
    name: 'pubsub-swarm',
    date: new Date().toISOString(),
    runtime: `node ${process.versions.node}`,
    setup: { swarm: SWARM, messageBytes: SIZE, window: WINDOW, latencyMessages: LATENCY_MESSAGES, throughputMessages: MESSAGES, topology: `i → i+${OFFSETS.join(', i+')} (mod ${SWARM})`, transport: 'loopback TCP + Noise + yamux', loadavg: (await import('node:os')).loadavg() },
    results,
    ratios,
    targets
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await run()
  const file = await saveReport(report)
  if (file !== undefined) console.log(`wrote ${file}`)
}
