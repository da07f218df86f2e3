// Kademlia on real nodes (issue 7 benchmark, second half): lookup latency (median, p90)
// and FIND_NODE requests per lookup in a 50-node loopback swarm, wasp2p (this process)
// against js-libp2p 3.3.11 + @libp2p/kad-dht (50 nodes in one separate process) in the
// same run; then a 100-node wasp2p swarm in one process: lookup median and process RSS.
//
// A lookup is getClosestPeers(key) for a fresh random key: always a network walk on both
// sides (findPeer is answered from the routing table or peer store when the target is
// known, so it is reported too but says less). Both swarms are warmed up with the same
// number of lookups first (connections dialed, tables settled); lookups run one at a time,
// from node i mod N. Requests = FIND_NODE requests sent (js: SEND_QUERY events; wasp2p:
// 'request' progress events).
import { fileURLToPath } from 'node:url'
import { saveReport, randomBytes } from './harness.js'
import { startSwarm, stopAll } from '../test/dht/helpers/swarm.js'
import { startJsonLineChild } from '../test/helpers/json-line-child.js'

const SWARM = 50
const BIG_SWARM = 100
const WARMUP_LOOKUPS = 60
const LOOKUPS = 60
const OP_TIMEOUT_MS = 30_000

const hex = bytes => Buffer.from(bytes).toString('hex')
const sortNum = a => [...a].sort((x, y) => x - y)
const quantile = (a, q) => { const s = sortNum(a); return s[Math.min(s.length - 1, Math.floor(q * s.length))] }
const median = a => quantile(a, 0.5)
const mib = bytes => bytes / 2 ** 20

/** `count` lookups one after another; kind 'closest' (keys[i]) or 'findPeer' (node (7i+3) mod N). */
async function wasp2pLookups (nodes, kind, count, keys) {
  const ms = [], requests = []
  for (let i = 0; i < count; i++) {
    const node = nodes[i % nodes.length]
    let sent = 0
    const options = { signal: AbortSignal.timeout(OP_TIMEOUT_MS), onProgress: e => { if (e.type === 'request') sent++ } }
    const started = performance.now()
    try {
      if (kind === 'closest') {
        for await (const _ of node.dht.getClosestPeers(keys[i % keys.length], options)) { /* drain */ }
      } else {
        let j = (i * 7 + 3) % nodes.length
        if (j === i % nodes.length) j = (j + 1) % nodes.length
        await node.dht.findPeer(nodes[j].peerId, options)
      }
    } catch { /* counted in the latency all the same */ }
    ms.push(performance.now() - started)
    requests.push(sent)
  }
  return { ms, requests }
}

const summary = r => ({ medianMs: median(r.ms), p90Ms: quantile(r.ms, 0.9), requestsMedian: median(r.requests), requestsMean: r.requests.reduce((a, b) => a + b, 0) / r.requests.length })

export async function run () {
  const keysOf = n => Array.from({ length: n }, () => randomBytes(32))
  const warmKeys = keysOf(WARMUP_LOOKUPS)
  const keys = keysOf(LOOKUPS)

  // 1. 100 wasp2p nodes first, so the RSS figure is of a fresh process.
  console.log(`wasp2p: starting ${BIG_SWARM} nodes…`)
  let started = performance.now()
  let nodes = await startSwarm(BIG_SWARM)
  const bigJoinMs = performance.now() - started
  await wasp2pLookups(nodes, 'closest', WARMUP_LOOKUPS, warmKeys)
  const big = summary(await wasp2pLookups(nodes, 'closest', LOOKUPS, keys))
  const bigRss = process.memoryUsage().rss
  await stopAll(nodes)
  console.log(`wasp2p ${BIG_SWARM}: joined in ${(bigJoinMs / 1000).toFixed(1)} s, lookup median ${big.medianMs.toFixed(1)} ms, p90 ${big.p90Ms.toFixed(1)} ms, RSS ${mib(bigRss).toFixed(0)} MiB`)

  // 2. 50 wasp2p nodes.
  console.log(`wasp2p: starting ${SWARM} nodes…`)
  started = performance.now()
  nodes = await startSwarm(SWARM)
  const joinMs = performance.now() - started
  await wasp2pLookups(nodes, 'closest', WARMUP_LOOKUPS, warmKeys)
  const ours = summary(await wasp2pLookups(nodes, 'closest', LOOKUPS, keys))
  const oursFind = summary(await wasp2pLookups(nodes, 'findPeer', LOOKUPS))
  await stopAll(nodes)
  console.log(`wasp2p ${SWARM}: joined in ${(joinMs / 1000).toFixed(1)} s`)

  // 3. 50 js-libp2p nodes in one separate process.
  console.log(`js-libp2p: starting ${SWARM} nodes in a child process…`)
  started = performance.now()
  const js = await startJsonLineChild(fileURLToPath(new URL('../test/dht/helpers/js-dht-swarm.mjs', import.meta.url)), [String(SWARM)],
    { startTimeoutMs: 600_000, commandTimeoutMs: 1_200_000 })
  const jsJoinMs = performance.now() - started
  let theirs, theirsFind, jsRss
  try {
    await js.command({ bench: 'closest', count: WARMUP_LOOKUPS, keys: warmKeys.map(hex) })
    const closest = await js.command({ bench: 'closest', count: LOOKUPS, keys: keys.map(hex) })
    theirs = summary(closest)
    theirsFind = summary(await js.command({ bench: 'findPeer', count: LOOKUPS }))
    jsRss = closest.rss
  } finally {
    await js.stop()
  }
  console.log(`js-libp2p ${SWARM}: joined in ${(jsJoinMs / 1000).toFixed(1)} s`)

  const row = (label, better, values) => ({ label, better, values })
  const results = [
    row(`getClosestPeers median (ms), ${SWARM} nodes`, 'lower', { 'js-libp2p': theirs.medianMs, wasp2p: ours.medianMs }),
    row(`getClosestPeers p90 (ms), ${SWARM} nodes`, 'lower', { 'js-libp2p': theirs.p90Ms, wasp2p: ours.p90Ms }),
    row(`FIND_NODE requests per lookup (median), ${SWARM} nodes`, 'lower', { 'js-libp2p': theirs.requestsMedian, wasp2p: ours.requestsMedian }),
    row(`FIND_NODE requests per lookup (mean), ${SWARM} nodes`, 'lower', { 'js-libp2p': theirs.requestsMean, wasp2p: ours.requestsMean }),
    row(`findPeer median (ms), ${SWARM} nodes`, 'lower', { 'js-libp2p': theirsFind.medianMs, wasp2p: oursFind.medianMs }),
    row(`findPeer p90 (ms), ${SWARM} nodes`, 'lower', { 'js-libp2p': theirsFind.p90Ms, wasp2p: oursFind.p90Ms }),
    row(`swarm join (s), ${SWARM} nodes`, 'lower', { 'js-libp2p': jsJoinMs / 1000, wasp2p: joinMs / 1000 }),
    row(`process RSS (MiB), ${SWARM} js nodes`, 'lower', { 'js-libp2p': mib(jsRss) }),
    row(`getClosestPeers median (ms), ${BIG_SWARM} wasp2p nodes in one process`, 'lower', { wasp2p: big.medianMs }),
    row(`getClosestPeers p90 (ms), ${BIG_SWARM} wasp2p nodes in one process`, 'lower', { wasp2p: big.p90Ms }),
    row(`process RSS (MiB), ${BIG_SWARM} wasp2p nodes in one process`, 'lower', { wasp2p: mib(bigRss) })
  ]
  const ratios = {
    medianVsJs: ours.medianMs / theirs.medianMs,
    p90VsJs: ours.p90Ms / theirs.p90Ms,
    requestsVsJs: ours.requestsMedian / theirs.requestsMedian
  }
  const targets = {
    'median ≤ 0.1× js': ratios.medianVsJs <= 0.1,
    'p90 ≤ 0.2× js': ratios.p90VsJs <= 0.2,
    'requests ≤ js': ours.requestsMedian <= theirs.requestsMedian,
    [`${BIG_SWARM} nodes: median < 100 ms`]: big.medianMs < 100,
    [`${BIG_SWARM} nodes: RSS < 1 GB`]: bigRss < 1e9
  }
  console.log('\n' + results.map(r => `${r.label.padEnd(66)} ${Object.entries(r.values).map(([k, v]) => `${k} ${v.toFixed(1)}`).join('   ')}`).join('\n'))
  console.log(`\nratios wasp2p/js: median ${ratios.medianVsJs.toFixed(3)}, p90 ${ratios.p90VsJs.toFixed(3)}, requests ${ratios.requestsVsJs.toFixed(2)}`)
  for (const [target, met] of Object.entries(targets)) console.log(`${met ? 'met    ' : 'NOT met'}  ${target}`)
  return {
    name: 'dht-swarm',
    date: new Date().toISOString(),
    runtime: `node ${process.versions.node}`,
    setup: { swarm: SWARM, bigSwarm: BIG_SWARM, warmupLookups: WARMUP_LOOKUPS, lookups: LOOKUPS, k: 20, alpha: 3, transport: 'loopback TCP + Noise + yamux' },
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
