// Per-process CPU split of a relayed echo (issue 12 profiling aid): the
// dialer, the relay and the listener each in their own process, as in
// bench/relay.js; for `rounds` echoes of ECHO_BYTES it reads each process's
// user and system time from /proc/<pid>/stat and its run time from
// /proc/<pid>/schedstat (Linux only), so the process that bounds the relayed
// throughput shows. `peers` and `relay` pick the implementations ('wasp2p' | 'js').
//
// What it showed (2026-12-03, 2-core box shared with other work, 8 MiB
// echoes, 6 warm-up + 8 rounds; user+sys ms per echo, dialer/relay/listener):
//   wasp2p peers, wasp2p relay  139 / 104 /  80   wall 239 ms
//   wasp2p peers, js relay      163 / 170 /  94   wall 273 ms   (ours 1.14×)
//   js peers, wasp2p relay      203 / 111 / 143   wall 381 ms
//   js peers, js relay          228 / 205 / 133   wall 546 ms   (ours 1.43×)
// - With wasp2p peers the run is CPU-bound: the three processes use ~1.4 of
//   the 2 cores, so wall time follows total CPU, and the relay is a third of
//   it. For 1.5× against the js relay (170) with these ends (139 + 80 = 219)
//   ours would need (219 + 170) / 1.5 − 219 ≈ 40 ms per echo: less than its
//   two AEAD passes alone (16 MiB opened + 16 MiB sealed per echo; perf puts
//   the WASM ChaCha20-Poly1305 at ~half the relay's main-thread cycles,
//   ~0.65 GB/s in situ, ~50 ms per echo). A relay doing nothing but those
//   would give (219 + 170) / (219 + 50) ≈ 1.45×.
// - With js peers the run is not CPU-bound (~1.0–1.3 cores used), so it is
//   latency- or window-bound; js-yamux grows a stream window only when its
//   Window Updates come within 4 RTTs (Date.now() resolution), which may keep
//   the end-to-end window small (not measured). This ratio swings with
//   scheduling: 0.98–1.43× between runs.
// - perf (--perf-basic-prof, 4999 Hz, all threads) of the wasp2p relay: main
//   thread ~49% WASM AEAD, then the kernel's TCP path (~11% of the process),
//   Node stream writes, yamux/Noise glue, memmove; worker threads ~30% of the
//   process: V8 concurrent marking (a mark-compact per ~1.3 echoes even when
//   warm — Node allocates a fresh ArrayBuffer per socket read and the relay
//   makes so few JS objects that scavenges rarely free them first; the
//   listener, same reads, does none) and TurboFan tiering up hot functions
//   during the first dozen echoes.
// - The dialer also carries the harness: patternBytes and equalBytes
//   (test/helpers/bytes.js) are ~5% of all cycles, run serially before and
//   after each transfer (js peers pay the same in test/helpers/js-echo.js).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startJsonLineChild } from '../test/helpers/json-line-child.js'

const ECHO_BYTES = 8 * 1024 * 1024
const RELAY_DATA = 4 * 1024 * 1024 * 1024
const TICK_MS = 10
const SCRIPTS = {
  wasp2p: fileURLToPath(new URL('../test/relay/fixtures/wasp2p-relay-peer.mjs', import.meta.url)),
  js: fileURLToPath(new URL('../test/relay/fixtures/js-relay-peer.mjs', import.meta.url))
}

function cpu (pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const run = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6
  return { user: Number(fields[11]) * TICK_MS, sys: Number(fields[12]) * TICK_MS, run }
}

export async function run ({ peers = 'wasp2p', relay = 'wasp2p', rounds = 6, warmup = 2, wrap = [], onMeasure } = {}) {
  const procs = []
  // `wrap`: a command prefix for every process, or { dialer, relay, listener } one each.
  const start = async (kind, config, role) => {
    const prefix = Array.isArray(wrap) ? wrap : (wrap[role] ?? [])
    const p = await startJsonLineChild(SCRIPTS[kind], [JSON.stringify(config)], { startTimeoutMs: 60_000, commandTimeoutMs: 120_000, wrap: prefix })
    procs.push(p)
    return p
  }
  try {
    const r = relay === 'wasp2p'
      ? await start('wasp2p', { listen: ['/ip4/127.0.0.1/tcp/0'], relayServer: { dataBytes: RELAY_DATA, durationSeconds: 3600 } }, 'relay')
      : await start('js', { relayServer: { dataBytes: RELAY_DATA, durationMs: 3_600_000 } }, 'relay')
    const relayAddr = `${r.info.addrs.find(a => a.includes('/tcp/') && !a.includes('/ws'))}/p2p-circuit`
    const dialer = await start(peers, peers === 'wasp2p' ? { listen: ['/ip4/127.0.0.1/tcp/0'] } : {}, 'dialer')
    const listener = peers === 'wasp2p'
      ? await start('wasp2p', { listen: ['/ip4/127.0.0.1/tcp/0', relayAddr] }, 'listener')
      : await start('js', { listenRelay: [relayAddr] }, 'listener')
    const addrs = (await listener.command({ cmd: 'addrs' })).addrs
    const circuit = addrs.find(a => a.includes(`/p2p/${r.info.peerId}/p2p-circuit`) && !a.includes('/ws'))
    const echo = async () => {
      const answer = await dialer.command({ cmd: 'echo', addr: circuit, bytes: ECHO_BYTES, timeoutMs: 120_000 })
      if (!answer.ok || !answer.match) throw new Error(`echo failed: ${answer.error ?? 'mismatch'}`)
    }
    for (let i = 0; i < warmup; i++) await echo()
    const named = { dialer, relay: r, listener }
    const before = Object.fromEntries(Object.entries(named).map(([k, p]) => [k, cpu(p.pid)]))
    // onMeasure(pids) may start a profiler; what it returns is awaited (called) once the rounds end.
    const stopMeasure = await onMeasure?.(Object.fromEntries(Object.entries(named).map(([k, p]) => [k, p.pid])))
    const started = performance.now()
    for (let i = 0; i < rounds; i++) await echo()
    const wall = performance.now() - started
    await stopMeasure?.()
    console.log(`${peers} peers, ${relay} relay: ${rounds} echoes of ${ECHO_BYTES / 2 ** 20} MiB in ${wall.toFixed(0)} ms (${((2 * ECHO_BYTES * rounds) / wall / 1e3).toFixed(1)} MB/s)`)
    const out = { name: 'relay-cpu', date: new Date().toISOString(), runtime: `node ${process.versions.node}`, peers, relay, rounds, echoBytes: ECHO_BYTES, wallMs: wall }
    for (const [k, p] of Object.entries(named)) {
      const a = before[k]; const b = cpu(p.pid)
      out[k] = { user: b.user - a.user, sys: b.sys - a.sys, run: b.run - a.run }
      console.log(`  ${k.padEnd(8)} user ${String(out[k].user).padStart(5)} ms  sys ${String(out[k].sys).padStart(5)} ms  run ${out[k].run.toFixed(0).padStart(5)} ms  (${(100 * out[k].run / wall).toFixed(0)}% of wall)`)
    }
    return out
  } finally {
    await Promise.allSettled(procs.map(p => p.stop()))
  }
}
