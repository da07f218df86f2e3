// Circuit relay v2 throughput (issue 12 benchmark): an echo of ECHO_BYTES
// through a relay on loopback, every peer and relay its own process, in
// the same run for each pairing of peers and relay:
//   wasp2p peers through a wasp2p relay   vs   js-libp2p peers through a js-libp2p relay,
// and, to isolate the relay itself, js peers and wasp2p peers through the other's relay.
// Each round is one echo on a warm relayed connection (the first command
// dials it); rounds of the four pairings run interleaved. MB/s counts the
// bytes the relay forwards (ECHO_BYTES each way). The relays' data limit is
// raised so the circuits are not cut (their default is 128 KiB).
import { fileURLToPath } from 'node:url'
import { startJsonLineChild } from '../test/helpers/json-line-child.js'

const ECHO_BYTES = 8 * 1024 * 1024
const ROUNDS = 9
const WARMUP = 2
const RELAY_DATA = 4 * 1024 * 1024 * 1024
const SCRIPTS = {
  wasp2p: fileURLToPath(new URL('../test/relay/fixtures/wasp2p-relay-peer.mjs', import.meta.url)),
  js: fileURLToPath(new URL('../test/relay/fixtures/js-relay-peer.mjs', import.meta.url))
}

const median = a => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }

async function peer (kind, config) {
  const p = await startJsonLineChild(SCRIPTS[kind], [JSON.stringify(config)], { startTimeoutMs: 60_000, commandTimeoutMs: 120_000 })
  return { kind, peerId: p.info.peerId, addrs: p.info.addrs, command: p.command, stop: p.stop }
}

export async function run () {
  const procs = []
  const start = async (kind, config) => { const p = await peer(kind, config); procs.push(p); return p }
  try {
    const relays = {
      wasp2p: await start('wasp2p', { listen: ['/ip4/127.0.0.1/tcp/0'], relayServer: { dataBytes: RELAY_DATA, durationSeconds: 3600 } }),
      js: await start('js', { relayServer: { dataBytes: RELAY_DATA, durationMs: 3_600_000 } })
    }
    const relayTcp = r => r.addrs.find(a => a.includes('/tcp/') && !a.includes('/ws'))
    const dialers = { wasp2p: await start('wasp2p', { listen: ['/ip4/127.0.0.1/tcp/0'] }), js: await start('js', {}) }
    const pairings = []
    for (const [peers, relay] of [['wasp2p', 'wasp2p'], ['js', 'js'], ['js', 'wasp2p'], ['wasp2p', 'js']]) {
      const listenRelay = `${relayTcp(relays[relay])}/p2p-circuit`
      const listener = peers === 'wasp2p'
        ? await start('wasp2p', { listen: ['/ip4/127.0.0.1/tcp/0', listenRelay] })
        : await start('js', { listenRelay: [listenRelay] })
      const addrs = (await listener.command({ cmd: 'addrs' })).addrs
      const circuit = addrs.find(a => a.includes(`/p2p/${relays[relay].peerId}/p2p-circuit`) && !a.includes('/ws'))
      pairings.push({ name: `${peers} peers, ${relay} relay`, dialer: dialers[peers], circuit, ms: [] })
    }
    const echo = async p => {
      const started = performance.now()
      const answer = await p.dialer.command({ cmd: 'echo', addr: p.circuit, bytes: ECHO_BYTES, timeoutMs: 120_000 })
      const ms = performance.now() - started
      if (!answer.ok || !answer.match) throw new Error(`${p.name}: echo failed: ${answer.error ?? 'mismatch'}`)
      return ms
    }
    for (let i = 0; i < WARMUP; i++) for (const p of pairings) await echo(p)
    for (let round = 0; round < ROUNDS; round++) for (const p of pairings) p.ms.push(await echo(p))

    const mbps = ms => (2 * ECHO_BYTES) / (ms / 1000) / 1e6
    const rows = pairings.map(p => ({ name: p.name, medianMs: median(p.ms), minMs: Math.min(...p.ms), maxMs: Math.max(...p.ms), mbPerS: mbps(median(p.ms)) }))
    const byName = Object.fromEntries(rows.map(r => [r.name, r]))
    const ratios = {
      'wasp2p stack vs js stack': byName['wasp2p peers, wasp2p relay'].mbPerS / byName['js peers, js relay'].mbPerS,
      'wasp2p relay vs js relay (js peers)': byName['js peers, wasp2p relay'].mbPerS / byName['js peers, js relay'].mbPerS,
      'wasp2p relay vs js relay (wasp2p peers)': byName['wasp2p peers, wasp2p relay'].mbPerS / byName['wasp2p peers, js relay'].mbPerS
    }
    console.log(`\ncircuit relay echo of ${ECHO_BYTES / 2 ** 20} MiB (${ROUNDS} rounds, median; MB/s of bytes the relay forwards)`)
    for (const r of rows) console.log(`${r.name.padEnd(28)} ${r.medianMs.toFixed(1).padStart(8)} ms  (${r.minMs.toFixed(0)}–${r.maxMs.toFixed(0)})  ${r.mbPerS.toFixed(1).padStart(7)} MB/s`)
    for (const [k, v] of Object.entries(ratios)) console.log(`${k}: ${v.toFixed(2)}×`)
    return { name: 'relay', date: new Date().toISOString(), runtime: `node ${process.versions.node}`, echoBytes: ECHO_BYTES, rounds: ROUNDS, rows, ratios }
  } finally {
    await Promise.allSettled(procs.map(p => p.stop()))
  }
}
