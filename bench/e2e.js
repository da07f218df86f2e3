// End to end, two processes on loopback TCP and WebSocket (Noise + Yamux): wasp2p↔wasp2p and
// js-libp2p↔js-libp2p in the same run, the same client workload for both
// (bench/e2e/scenarios.js), then each server's memory per idle connection and per
// open stream (bench/e2e/memory.js). `npm run bench -- e2e [--quick] [--memory]`
// (--memory: only the memory rows; --only=<word>: only the scenarios whose
// name or label contains it, e.g. --only=throughput for the bulk rows, or
// run({ only: 'throughput' }); the memory rows are then skipped too;
// --repeats=N: rounds per scenario, the median kept).
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
// - Per-side CPU, split (2026-12-02 21:40, quiet box, load < 0.6; one
//   stream, 512 MiB; /proc stat and /usr/bin/time, startup subtracted;
//   per 256 MiB): sender user 475 ms + sys 150 ms, receiver user 490 ms +
//   sys 100 ms, at 380 MB/s. The kernel alone (seal 65519 B in a loop, same
//   box) costs ~213 ms per 256 MiB, so each side spends about as much user
//   time again outside it (~1 ns/B, ~65 µs per 64 KiB frame) — far more than
//   the JS around the kernel (copies, framing: ~3 µs a frame). cpu-prof
//   samples are wall time, so in situ the kernel shows at ~60% of its loop
//   speed and the sender's `writeBuffer` at 24%: the next profile should
//   count cycles (perf, if the box has it), not samples. A quick run
//   (32 MiB) also pays V8's tier-up: the first ~512 seals run Liftoff code
//   (1.07 vs 1.26 GB/s); `--no-liftoff` moved one quick run 1.61 → 1.75×.
// - Cycle profile (2026-12-03, perf record -g of both peers with
//   --perf-basic-prof, cpu-clock at 2 kHz; one stream, 512 MiB, samples in
//   the transfer window; per 256 MiB). Sender 738 ms: kernel 386 (52%),
//   socket writes in the OS 126, memcpy/memset 51 (yamux's arena copy, copy
//   into and out of DATA, wipe), V8 builtins 40 (promises, microtasks),
//   other native 19, JS of ours and of Node's streams 27, TurboFan on helper
//   threads 72. Receiver 882 ms: kernel 396 (45%), socket reads in the OS
//   115, GC 120 (19 on the main thread, 102 concurrent marking and sweeping:
//   Node's per-read buffers), builtins 58, other native 44 (malloc/free of
//   read buffers, callbacks), memcpy 31, JS 28, TurboFan 55. So the "~1 ns/B
//   outside the kernel" was the kernel itself: in situ it ran at ~690 MB/s,
//   and seal in a loop on the same box, same hour, ran at 575–1040 MB/s (63
//   or 100–114 µs per 65519 B: the host flips between the two within minutes,
//   with or without --no-liftoff; TurboFan code from the first calls, no
//   Liftoff phase visible), not the 1462 MB/s of a faster hour.
// - What stands in the way of 2×: js-libp2p is receiver-bound (8 streams,
//   256 MiB, same run: its server 1101 ms per 256 MiB, client 589; ours 830
//   and 515). On two free cores 2× needs our receiver at ≤ 550 ms, and its
//   kernel (396) plus the read syscalls (115) already take 511. The kernel's
//   hot loop (V8's x64 code, --print-wasm-code): a double round with the MAC
//   step is ~430 instructions, ~60% of them the Horner-by-two Poly1305 step
//   (50 imul, its 18 multipliers and 5 accumulators live in stack slots
//   since V8 leaves ~11 usable GPRs) and ~20% of the ChaCha part spill
//   traffic (16 state vectors in 15 usable xmm registers): ~15.6
//   instructions per byte, ~3.9 cycles per byte — the frontend bound, with no
//   wider vectors or a 64×64→128 multiply in WASM to cut it.
// - Swap test (not kept, not committed): the transport-phase seal/open on
//   node:crypto (what js-libp2p's Noise runs in Node) instead of the kernel.
//   Same conditions, base vs OpenSSL, single runs: 256 MiB, 8 streams, our
//   CPU per 256 MiB client 515 → 477, server 830 → 665 (createCipheriv per
//   frame, update()'s fresh Buffer and its GC eat part of OpenSSL's 2.5×);
//   quick (32 MiB) ratios 1 stream 1.32 → 1.09, 8 streams 1.69 → 1.71,
//   WebSocket 1.84 → 2.16 (noise: quick runs are warm-up bound, see below).
// - Quick runs (32 MiB) are warm-up: a fresh server spends ~310 ms of CPU on
//   one 32 MiB client run, the kernel 65 of it, GC 53 (mostly the process's
//   first concurrent mark-compact), TurboFan 35, socket reads and page
//   faults on fresh buffers 42; in the client the JS around the kernel runs
//   as Sparkplug (baseline) code for almost the whole transfer (the nearest
//   JS frame is baseline in 448 of 557 main-thread samples). Yamux windows are not the stall: the sender waits on
//   the window 6–8 times per run, once per doubling, while its data is
//   already in the socket buffers (see WINDOW_GROWTH_RTT_FACTOR).
//   Nor is tier-up: in these peers the kernel's hot function is TurboFan
//   code from the first bulk frame (quick run: 226 of 228 kernel samples in
//   the client, 254 of 254 in the server). A harness that instantiates the
//   same kernel bytes twice in one process does run Liftoff-speed seals
//   throughout (208 against 94 µs per 65519 B; with --no-liftoff 94/93; with
//   the second copy's bytes made distinct by a custom section, 97/95): V8
//   shares the compiled module between the two and the tier-up never lands.
// - Not tried, and why: Node's `onread` with one reused read buffer would
//   drop the per-read allocations, but stream readers keep the chunks they
//   are given, so the plaintext would need a fresh array per frame anyway;
//   skipping the wipe of DATA after seal (it holds only ciphertext then)
//   saves 0.5 µs per 64 KiB frame, under 1%.
//
// Dial and short streams (perf -g with --perf-basic-prof, both peers, warm server,
// 200–3000 iterations; 2026-12-03; samples charged to the innermost wasp2p frame):
// - Dial, before: the server's main thread spent 3.5 ms a dial, 21% of it WebCrypto's
//   JS glue around X25519/Ed25519 (normalisation, CryptoKey objects, a thread-pool job
//   and promise per operation). Kept: node:crypto KeyObjects, synchronously, in Node
//   (src/crypto/curves/_x25519-keyobject.node.ts): 2.4 ms a dial, the curve math itself
//   (keygen 70 µs, 3 × 48 µs exchanges, verify 142 µs a side) now ~24% of it; then
//   repeated identity signatures remembered (_ed25519-keyobject.node.ts). What is left
//   is spread thin: socket writes and reads (kernel, ~10%), yamux setup and teardown,
//   multistream for /noise, the upgrader's deadlines, Noise framing — none above 4%.
//   No identify runs in this benchmark (services: false on both peers, as the js peer).
// - Sequential echo, before: two round trips per stream (the FIN waited for the
//   listener's multistream answer, for js-libp2p's sake), two socket writes per side.
//   Kept: the early-FIN Noise extension (src/connection-encrypter/noise/constants.ts),
//   one write per side. Left, per stream (~0.19 ms server, ~0.27 ms client of main
//   thread, warm): kernel write/read/epoll ~28% server, ~15% client (loopback TCP does
//   the receiver's work in the sender's write); Node's Writable around the write ~6%;
//   timers (negotiation deadline, yamux close timers) ~5%; frame decode/dispatch ~10%;
//   async-iterator layers (NegotiatedStream → LazySelected → ByteReader → yamux) and
//   promise machinery the rest, each function under 3%. A quick run (100 streams, cold
//   client) spends ~15–25 ms of its ~90 ms on the first 10 streams (lazy compilation,
//   interpreter); the full run (500) is closer to the warm rate.
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
  // --repeats=N (or run({ repeats })): rounds per scenario, interleaved; quick mode runs 1 unless told.
  const repeats = Number(options.repeats ?? process.argv.find(a => a.startsWith('--repeats='))?.slice('--repeats='.length) ?? (quick ? 1 : REPEATS))
  const only = options.only ?? process.argv.find(a => a.startsWith('--only='))?.slice('--only='.length)
  const impls = Object.entries(PEERS).filter(([name, script]) => {
    if (existsSync(script)) return true
    console.log(`(${name}: ${script} is missing, not measured)`)
    return false
  })
  const MiB = 1024 * 1024
  // --bulk-mib=N (or run({ bulkMiB })): the bulk rows' size; 32 MiB quick, 256 MiB otherwise.
  const bulk = Number(options.bulkMiB ?? process.argv.find(a => a.startsWith('--bulk-mib='))?.slice('--bulk-mib='.length) ?? (quick ? 32 : 256)) * MiB
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
    const selected = only === undefined ? scenarios : scenarios.filter(([label, scenario]) => scenario.includes(only) || label.includes(only))
    for (const [label, scenario, params, pick, better, transport, cpu] of memoryOnly ? [] : selected) {
      const values = Object.fromEntries(impls.map(([name]) => [name, []]))
      const clientCpu = Object.fromEntries(impls.map(([name]) => [name, []]))
      const serverCpu = Object.fromEntries(impls.map(([name]) => [name, []]))
      for (let i = 0; i < repeats; i++) {
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
    if (only === undefined) {
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
    }
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
