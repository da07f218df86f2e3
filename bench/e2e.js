// End to end, two processes on loopback TCP (Noise + Yamux): wasp2p↔wasp2p and
// js-libp2p↔js-libp2p in the same run, the same client workload for both
// (bench/e2e/scenarios.js), then each server's memory per idle connection and per
// open stream (bench/e2e/memory.js). `npm run bench -- e2e [--quick] [--memory]`
// (--memory: only the memory rows).
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { IDLE_CONNECTIONS, serverMemory } from './e2e/memory.js'

const DIR = fileURLToPath(new URL('./e2e/', import.meta.url))
const PEERS = { 'js-libp2p': `${DIR}peer-js.mjs`, wasp2p: `${DIR}peer-wasp2p.js` }
/** Each scenario runs this many times per implementation, interleaved; the median is kept. */
export const REPEATS = 3

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
  const scenarios = [
    [`dial to ready (ms, median of ${quick ? 10 : 50})`, 'ready', { count: quick ? 10 : 50 }, r => r.medianMs, 'lower'],
    [`1 stream, ${quick ? 32 : 256} MiB one way (MB/s)`, 'throughput', { streams: 1, totalBytes: (quick ? 32 : 256) * MiB }, r => r.mbPerS, 'higher'],
    [`8 streams, ${quick ? 32 : 256} MiB in all (MB/s)`, 'throughput', { streams: 8, totalBytes: (quick ? 32 : 256) * MiB }, r => r.mbPerS, 'higher'],
    ['new stream + 1-byte echo, sequential (/s)', 'echoStreams', { count: quick ? 100 : 500 }, r => r.perSecond, 'higher'],
    ['new stream + 1-byte echo, 8 at once (/s)', 'echoStreams', { count: quick ? 200 : 1000, concurrency: 8 }, r => r.perSecond, 'higher']
  ]
  const servers = {}
  for (const [name, script] of impls) {
    const server = startServer(script)
    servers[name] = { server, addr: (await server.next()).addrs.find(a => a.includes('/tcp/') && !a.includes('/ws')) }
  }
  const table = []
  let memoryDetail
  try {
    for (const [label, scenario, params, pick, better] of memoryOnly ? [] : scenarios) {
      const values = Object.fromEntries(impls.map(([name]) => [name, []]))
      for (let i = 0; i < (quick ? 1 : REPEATS); i++) {
        for (const [name, script] of impls) {
          values[name].push(pick(await runClient(script, ['client', scenario, servers[name].addr, JSON.stringify(params)])))
        }
      }
      table.push({ label, better, values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, median(v)])) })
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
  console.log(`\n${'scenario'.padEnd(46)}${names.map(n => n.padStart(12)).join('')}  wasp2p/js`)
  for (const row of table) {
    const ratio = row.values.wasp2p !== undefined ? (row.values.wasp2p / row.values['js-libp2p']).toFixed(2) : '—'
    console.log(`${row.label.padEnd(46)}${names.map(n => row.values[n].toFixed(1).padStart(12)).join('')}  ${ratio.padStart(9)} (${row.better} is better)`)
  }
  return { name: 'e2e', date: new Date().toISOString(), runtime: `node ${process.versions.node}`, results: table, memory: memoryDetail }
}
