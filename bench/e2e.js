// End to end, two processes on loopback TCP and WebSocket (Noise + Yamux): wasp2p↔wasp2p and
// js-libp2p↔js-libp2p in the same run, the same client workload for both
// (bench/e2e/scenarios.js), then each server's memory per idle connection and per
// open stream (bench/e2e/memory.js). `npm run bench -- e2e [--quick] [--memory]`
// (--memory: only the memory rows).
//
// Bulk rows also report what the transfer cost in CPU time, client and server
// (user + system, ms per 256 MiB, the transfer only): on this shared 2-core
// box, run at nice 10, the wall-clock rate moves with everyone else's load,
// while the CPU a byte costs each side does not.
//
// Where the time goes (node --cpu-prof of both peers, 1 stream, 1 GiB over
// TCP, samples between the first and last cipher call; 2026-12-02, load 5–13):
// - Before this round: the sender sealed (kernel 31%), wrote (socket write 5%)
//   and was idle 55%, waiting on the receiver; the receiver spent 57% in open
//   (its decrypt pass 32%, its separate vector-MAC pass 24%: 1.8× the fused
//   seal's cost per byte) and was idle 24%. Receiver-bound, on the cipher.
//   Windows were not the stall: auto-tuning had the sink's window at 16 MiB.
// - Kept: open in one pass like seal (assembly/chacha20poly1305.ts); the
//   receiver's CPU per 256 MiB fell ~20% (450 → 360 ms, same run), and the
//   two sides now cost about the same: each is its cipher kernel (~1 ns/B,
//   ~270 ms per 256 MiB) plus the socket syscalls (sender) or Node's 64 KiB
//   read buffers and the mark-compacts their external memory triggers
//   (receiver: 3 per 256 MiB; GC 12–17% of the receiver's perf samples);
//   yamux, Noise framing, copies (0.6 µs per 64 KiB) and promises are each
//   under 2%.
// - WebSocket, before: sender `ws`'s byte-loop mask 26%, ws framing 15%, our
//   copy per write 5%, seal 24%; receiver ws's frame reassembly 24%, its
//   byte-loop unmask 15%, open 25%. Kept: no copy and send's callback for
//   backpressure instead of a 4 ms drain poll (socket-connection.ts), and a
//   word-at-a-time mask in ws (_ws-mask.node.ts): client CPU 1120 → 800 ms,
//   server 1780 → 700 ms per 256 MiB, same run.
// - Not tried, and why: Node's `onread` with one reused read buffer would
//   drop the per-read allocations, but stream readers keep the chunks they
//   are given, so the plaintext would need a fresh array per frame anyway;
//   skipping the wipe of DATA after seal (it holds only ciphertext then)
//   saves 0.5 µs per 64 KiB frame, under 1%.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { IDLE_CONNECTIONS, serverMemory } from './e2e/memory.js'

const DIR = fileURLToPath(new URL('./e2e/', import.meta.url))
const PEERS = { 'js-libp2p': `${DIR}peer-js.mjs`, wasp2p: `${DIR}peer-wasp2p.js` }
/** Each scenario runs this many times per implementation, interleaved; the median is kept (5: the shared box's load swings between rounds). */
export const REPEATS = 5

function median (values) {
  const s = [...values].sort((a, b) => a - b)
  return s.length % 2 === 1 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

function startServer (script) {
  const child = spawn(process.execPath, ['--expose-gc', script, 'server'], { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const next = async () => JSON.parse((await lines.next()).value)
  return {
    child,
    next,
    rss: async () => { child.stdin.write('rss\n'); return (await next()).rss },
    cpu: async () => { child.stdin.write('cpu\n'); return (await next()).cpuMs },
    stop: () => { child.stdin.write('exit\n'); child.stdin.end() }
  }
}

function runClient (script, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', d => { out += d })
    child.on('close', code => code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`${script} ${args[0]} exited ${code}`)))
  })
}

export async function run (options = {}) {
  const quick = options.quick ?? process.argv.includes('--quick')
  const memoryOnly = options.memoryOnly ?? process.argv.includes('--memory')
  const impls = Object.entries(PEERS).filter(([name, script]) => {
    if (existsSync(script)) return true
    console.log(`(${name}: ${script} is missing, not measured)`)
    return false
  })
  const MiB = 1024 * 1024
  const bulk = (quick ? 32 : 256) * MiB
  // [label, scenario, params, pick, better, transport, cpu rows]
  const scenarios = [
    [`dial to ready (ms, median of ${quick ? 10 : 50})`, 'ready', { count: quick ? 10 : 50 }, r => r.medianMs, 'lower', 'tcp'],
    [`1 stream, ${bulk / MiB} MiB one way (MB/s)`, 'throughput', { streams: 1, totalBytes: bulk }, r => r.mbPerS, 'higher', 'tcp', true],
    [`8 streams, ${bulk / MiB} MiB in all (MB/s)`, 'throughput', { streams: 8, totalBytes: bulk }, r => r.mbPerS, 'higher', 'tcp', true],
    [`WebSocket, 1 stream, ${bulk / MiB} MiB one way (MB/s)`, 'throughput', { streams: 1, totalBytes: bulk }, r => r.mbPerS, 'higher', 'ws', true],
    ['new stream + 1-byte echo, sequential (/s)', 'echoStreams', { count: quick ? 100 : 500 }, r => r.perSecond, 'higher', 'tcp'],
    ['new stream + 1-byte echo, 8 at once (/s)', 'echoStreams', { count: quick ? 200 : 1000, concurrency: 8 }, r => r.perSecond, 'higher', 'tcp']
  ]
  const servers = {}
  for (const [name, script] of impls) {
    const server = startServer(script)
    const addrs = (await server.next()).addrs
    servers[name] = {
      server,
      addr: {
        tcp: addrs.find(a => a.includes('/tcp/') && !a.includes('/ws')),
        ws: addrs.find(a => a.includes('/tcp/') && a.includes('/ws'))
      }
    }
  }
  const table = []
  let memoryDetail
  try {
    for (const [label, scenario, params, pick, better, transport, cpu] of memoryOnly ? [] : scenarios) {
      const values = Object.fromEntries(impls.map(([name]) => [name, []]))
      const clientCpu = Object.fromEntries(impls.map(([name]) => [name, []]))
      const serverCpu = Object.fromEntries(impls.map(([name]) => [name, []]))
      for (let i = 0; i < (quick ? 1 : REPEATS); i++) {
        for (const [name, script] of impls) {
          const { server, addr } = servers[name]
          const before = cpu ? await server.cpu() : 0
          const result = await runClient(script, ['client', scenario, addr[transport], JSON.stringify(params)])
          values[name].push(pick(result))
          if (cpu) {
            // The server's CPU over the client's whole run (its dial and hang-up too: a few ms), per 256 MiB.
            const scale = 256 * MiB / params.totalBytes
            serverCpu[name].push((await server.cpu() - before) * scale)
            clientCpu[name].push(result.clientCpuMs * scale)
          }
        }
      }
      const medians = v => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, median(x)]))
      table.push({ label, better, values: medians(values) })
      if (cpu) {
        table.push({ label: `… its CPU, client (ms per 256 MiB)`, better: 'lower', values: medians(clientCpu) })
        table.push({ label: `… its CPU, server (ms per 256 MiB)`, better: 'lower', values: medians(serverCpu) })
      }
    }
    const connections = quick ? 100 : IDLE_CONNECTIONS
    const memory = {}
    for (const [name, script] of impls) memory[name] = await serverMemory(script, { connections })
    const pick = f => Object.fromEntries(Object.entries(memory).map(([name, m]) => [name, f(m)]))
    const streams = Object.values(memory)[0]?.streams
    table.push({ label: `server RSS per idle connection, ${connections} (KiB)`, better: 'lower', values: pick(m => m.perConnection.rssKiB) })
    table.push({ label: `server heap per idle connection, ${connections} (KiB)`, better: 'lower', values: pick(m => m.perConnection.heapKiB) })
    table.push({ label: `server buffers per idle connection (KiB)`, better: 'lower', values: pick(m => m.perConnection.arrayBuffersKiB) })
    table.push({ label: `server heap per open stream, ${streams} (KiB)`, better: 'lower', values: pick(m => m.perStream.heapKiB) })
    table.push({ label: `server RSS per open stream, ${streams} (KiB)`, better: 'lower', values: pick(m => m.perStream.rssKiB) })
    memoryDetail = memory
  } finally {
    for (const { server } of Object.values(servers)) server.stop()
  }
  const names = impls.map(([n]) => n)
  console.log(`\n${'scenario'.padEnd(52)}${names.map(n => n.padStart(12)).join('')}  wasp2p/js`)
  for (const row of table) {
    const ratio = row.values.wasp2p !== undefined ? (row.values.wasp2p / row.values['js-libp2p']).toFixed(2) : '—'
    console.log(`${row.label.padEnd(52)}${names.map(n => row.values[n].toFixed(1).padStart(12)).join('')}  ${ratio.padStart(9)} (${row.better} is better)`)
  }
  return { name: 'e2e', date: new Date().toISOString(), runtime: `node ${process.versions.node}`, results: table, memory: memoryDetail }
}
