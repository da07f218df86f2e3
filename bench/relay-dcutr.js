// Time from "both behind NAT, knowing only the relay" to a direct connection
// (issue 12 benchmark), wasp2p ↔ wasp2p against js-libp2p ↔ js-libp2p, each
// stack with its own relay, in network namespaces (test/relay/helpers/netns.js;
// needs root and `ip netns`, otherwise it reports why and measures nothing).
//
// Each round builds a fresh topology and fresh processes: the relay in the
// public namespace, peer a behind nat1 holding a reservation, peer b behind
// nat2 knowing only a's circuit address. The time runs in b's process from
// just before it dials the circuit address to the moment it holds a direct
// (not limited, not relayed) connection to a: relayed dial, identify,
// DCUtR's CONNECT/SYNC and the direct dial. Rounds of the two stacks alternate.
//
// Both routers give their host's listener a port mapping (as UPnP would),
// which the host announces. js-libp2p's DCUtR (3.x) dials from ephemeral
// ports, offers only announced addresses and gives up when the other side
// offers no public one, so between two js peers behind filtering NATs it
// gets a direct connection only through such mappings: here B (a) dials b's
// mapping once b's identify arrives over the relayed connection (the spec's
// unilateral upgrade), in both stacks (wasp2p since 2026-12-03; before, it ran
// CONNECT/SYNC and b dialed a's mapping on SYNC, in about the same time).
// A control round shows js ↔ js with only a's mapping: no direct connection.
// The internet side is 7.77.0.0/16 (public-looking to js-libp2p, see netns.js).
import { fileURLToPath } from 'node:url'
import { startJsonLineChild } from '../test/helpers/json-line-child.js'
import { netnsAvailable, removeNamespaces, namespacePrefix } from '../test/helpers/netns.js'
import { createNatTopology, PUBLIC_WAN, A_IP, B_IP } from '../test/relay/helpers/netns.js'

const ROUNDS = 7
const MAPPED_PORT = 4001
const B_MAPPED_PORT = 4003
const RELAY_PORT = 4002
/** How long b waits for a direct connection before the round counts as failed. */
const DIRECT_TIMEOUT_MS = 15_000
const PREFIX = namespacePrefix('bd')
const SCRIPTS = {
  wasp2p: fileURLToPath(new URL('../test/relay/fixtures/wasp2p-relay-peer.mjs', import.meta.url)),
  js: fileURLToPath(new URL('../test/relay/fixtures/js-relay-peer.mjs', import.meta.url))
}
const { RELAY_IP, NAT1_WAN_IP, NAT2_WAN_IP } = PUBLIC_WAN

const median = a => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }

async function peerIn (namespace, kind, config) {
  const p = await startJsonLineChild(SCRIPTS[kind], [JSON.stringify(config)], { startTimeoutMs: 60_000, commandTimeoutMs: 60_000, wrap: ['ip', 'netns', 'exec', namespace] })
  return { peerId: p.info.peerId, addrs: p.info.addrs, command: p.command, stop: p.stop }
}

/** One round: fresh namespaces and processes of `kind`; resolves b's time to a direct connection (or the failure). */
async function round (kind, { mapBoth = true } = {}) {
  removeNamespaces(PREFIX)
  const procs = []
  const start = async (ns, config) => { const p = await peerIn(ns, kind, config); procs.push(p); return p }
  try {
    const forward = [{ nat: 1, port: MAPPED_PORT }, ...(mapBoth ? [{ nat: 2, port: B_MAPPED_PORT }] : [])]
    const ns = createNatTopology(PREFIX, { publicWan: true, forward })
    const relayListen = `/ip4/${RELAY_IP}/tcp/${RELAY_PORT}`
    const relay = kind === 'wasp2p'
      ? await start(ns.pub, { listen: [relayListen], relayServer: { dataBytes: 1 << 24, durationSeconds: 120 } })
      : await start(ns.pub, { listen: [relayListen], announce: [relayListen], relayServer: { dataBytes: 1 << 24, durationMs: 120_000 } })
    const relayAddr = `${relayListen}/p2p/${relay.peerId}`
    const aConfig = { listen: [`/ip4/${A_IP}/tcp/${MAPPED_PORT}`, `${relayAddr}/p2p-circuit`], announce: [`/ip4/${NAT1_WAN_IP}/tcp/${MAPPED_PORT}`] }
    const bConfig = { listen: [`/ip4/${B_IP}/tcp/${B_MAPPED_PORT}`], ...(mapBoth ? { announce: [`/ip4/${NAT2_WAN_IP}/tcp/${B_MAPPED_PORT}`] } : {}) }
    const dcutr = kind === 'wasp2p' ? {} : true
    const a = await start(ns.a, { ...aConfig, dcutr })
    const b = await start(ns.b, { ...bConfig, dcutr })
    let circuit
    for (let i = 0; i < 200 && circuit === undefined; i++) {
      circuit = (await a.command({ cmd: 'addrs' })).addrs.find(x => x.includes('/p2p-circuit'))
      if (circuit === undefined) await new Promise(resolve => setTimeout(resolve, 50))
    }
    if (circuit === undefined) return { ok: false, error: 'a got no reservation' }
    return await b.command({ cmd: 'time-direct', addr: circuit, timeoutMs: DIRECT_TIMEOUT_MS })
  } finally {
    await Promise.allSettled(procs.map(p => p.stop()))
    removeNamespaces(PREFIX)
  }
}

export async function run () {
  const available = netnsAvailable()
  if (available !== true) {
    console.log(`\n!!! relay-dcutr: not measured: ${available} (needs root and ip netns) !!!`)
    return { name: 'relay-dcutr', date: new Date().toISOString(), skipped: available }
  }
  process.once('exit', () => { removeNamespaces(PREFIX) })
  const times = { wasp2p: [], js: [] }
  const relayedTimes = { wasp2p: [], js: [] }
  const failures = { wasp2p: [], js: [] }
  for (let i = 0; i < ROUNDS; i++) {
    for (const kind of ['wasp2p', 'js']) {
      const answer = await round(kind)
      if (answer.ok) { times[kind].push(answer.ms); relayedTimes[kind].push(answer.relayedMs) } else failures[kind].push(answer.error)
    }
  }
  const control = await round('js', { mapBoth: false })
  const rows = Object.entries(times).map(([kind, ms]) => ({
    name: `${kind} ↔ ${kind} (${kind} relay)`,
    medianMs: ms.length > 0 ? median(ms) : undefined,
    minMs: ms.length > 0 ? Math.min(...ms) : undefined,
    maxMs: ms.length > 0 ? Math.max(...ms) : undefined,
    /** Of which the relayed dial (the rest: identify / DCUtR and the direct dial). */
    relayedDialMedianMs: ms.length > 0 ? median(relayedTimes[kind]) : undefined,
    direct: ms.length,
    failed: failures[kind].length
  }))
  const ratio = rows[0].medianMs !== undefined && rows[1].medianMs !== undefined ? rows[0].medianMs / rows[1].medianMs : undefined
  console.log(`\ntime to a direct connection through two NATs, knowing only the relay (${ROUNDS} rounds each, median)`)
  for (const r of rows) console.log(`${r.name.padEnd(30)} ${r.medianMs?.toFixed(1).padStart(8) ?? '     n/a'} ms  (${r.minMs?.toFixed(0) ?? '-'}–${r.maxMs?.toFixed(0) ?? '-'})  relayed dial ${r.relayedDialMedianMs?.toFixed(1) ?? '-'} ms, direct ${r.direct}/${ROUNDS}`)
  if (ratio !== undefined) console.log(`wasp2p vs js (time): ${ratio.toFixed(2)}× (target ≤ 0.5×)`)
  console.log(`control, js ↔ js with only a's port mapping: ${control.ok ? `direct in ${control.ms.toFixed(0)} ms` : `no direct connection (${control.error})`}`)
  return {
    name: 'relay-dcutr',
    date: new Date().toISOString(),
    runtime: `node ${process.versions.node}`,
    rounds: ROUNDS,
    rows,
    ratios: { 'wasp2p vs js (time to direct)': ratio },
    failures,
    controlJsOnlyAMapped: control.ok ? { direct: true, ms: control.ms } : { direct: false, error: control.error }
  }
}
