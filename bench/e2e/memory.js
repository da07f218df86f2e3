// Server memory per idle connection and per open stream, for bench/e2e.js: a fresh
// server process of one implementation, IDLE_CONNECTIONS connections from HOLDERS
// holder processes of the same implementation (distinct peers: each holder runs
// one node per connection), then STREAMS_PER_CONNECTION echo streams on each,
// every one established on both sides (one byte echoed) and left open.
//
// Measured in the server after two full GCs (--expose-gc): RSS, V8 heap used, and
// array buffers (socket, Noise and yamux buffers live outside the V8 heap), at the
// baseline, with the connections idle, and with the streams open.
//
// 1,000 connections need more open files than the usual soft limit of 1,024: each
// peer process is started by `sh -c 'ulimit -n <hard limit>; exec node …'` (as the
// `soak` npm script does), and the run fails early when the hard limit is too low.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'

/** Idle connections held on the server (the target is stated at 1,000). */
export const IDLE_CONNECTIONS = 1_000
/** Holder processes sharing the connections (one node per connection in each). */
export const HOLDERS = 4
/**
 * Echo streams opened on each held connection for the per-stream figure: 4,000 in
 * all, under wasp2p's MAX_STREAMS_PER_PROTOCOL (8,192) and js-libp2p's 256 inbound
 * streams per connection as configured by the peers.
 */
export const STREAMS_PER_CONNECTION = 4
/** Connections opened and closed on the server before its baseline is taken. */
export const WARM_UP_CONNECTIONS = 20
/**
 * How long the held connections sit idle before the server is measured. V8 grows
 * its young generation (up to 2 × 16 MiB of semi-spaces) while many objects survive,
 * as they do while 1,000 connections are set up, and gives it back at a full GC
 * once the allocation rate has been low for a while (its throughput window is 5 s);
 * measured sooner, RSS says more about that sizing than about what a connection keeps.
 */
export const IDLE_SETTLE_MS = 8_000
/** Open files a peer process needs: the connections, plus listeners, pipes and slack. */
export const FDS_NEEDED = IDLE_CONNECTIONS + 512

function hardFdLimit () {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find(l => l.startsWith('Max open files'))
  const hard = line?.split(/\s+/)[4]
  return hard === 'unlimited' ? Infinity : Number(hard)
}

/** `node <args>` with the open-file soft limit raised to the hard limit. */
function spawnNode (args, options) {
  const quoted = [process.execPath, ...args].map(a => `'${a.replaceAll("'", "'\\''")}'`).join(' ')
  return spawn('sh', ['-c', `ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec ${quoted}`], options)
}

function jsonLines (child) {
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  return async () => {
    const { value, done } = await lines.next()
    if (done === true) throw new Error('peer process ended early')
    return JSON.parse(value)
  }
}

function startServer (script) {
  const child = spawnNode(['--expose-gc', script, 'server'], { stdio: ['pipe', 'pipe', 'inherit'] })
  const next = jsonLines(child)
  return {
    next,
    memory: async () => { child.stdin.write('mem\n'); return await next() },
    stop: async () => { child.stdin.write('exit\n'); child.stdin.end(); await new Promise(resolve => child.on('close', resolve)) }
  }
}

function startHolder (script, addr, count) {
  const child = spawnNode([script, 'hold', addr, String(count)], { stdio: ['pipe', 'pipe', 'inherit'] })
  const next = jsonLines(child)
  return {
    connected: next,
    openStreams: async perConnection => { child.stdin.write(`streams ${perConnection}\n`); return await next() },
    release: async () => { child.stdin.write('exit\n'); child.stdin.end(); await new Promise(resolve => child.on('close', resolve)) }
  }
}

async function hold (script, addr, count) {
  const shares = Array.from({ length: HOLDERS }, (_, i) => Math.floor(count / HOLDERS) + (i < count % HOLDERS ? 1 : 0)).filter(n => n > 0)
  const holders = shares.map(n => startHolder(script, addr, n))
  const answers = await Promise.all(holders.map(async h => await h.connected()))
  const connected = answers.reduce((n, a) => n + a.connected, 0)
  if (connected !== count) throw new Error(`holders connected ${connected} of ${count}`)
  return {
    openStreams: async perConnection => {
      const opened = (await Promise.all(holders.map(async h => await h.openStreams(perConnection)))).reduce((n, a) => n + a.streams, 0)
      if (opened !== count * perConnection) throw new Error(`holders opened ${opened} of ${count * perConnection} streams`)
      return opened
    },
    release: async () => { await Promise.all(holders.map(async h => { await h.release() })) }
  }
}

const KiB = 1024
const perUnit = (after, before, units) => ({
  rssKiB: (after.rss - before.rss) / units / KiB,
  heapKiB: (after.heapUsed - before.heapUsed) / units / KiB,
  arrayBuffersKiB: (after.arrayBuffers - before.arrayBuffers) / units / KiB
})

/**
 * Memory of one implementation's server: per idle connection (over `connections`)
 * and per open stream (over `connections × streamsPerConnection`).
 */
export async function serverMemory (script, { connections = IDLE_CONNECTIONS, streamsPerConnection = STREAMS_PER_CONNECTION } = {}) {
  const limit = hardFdLimit()
  if (!(limit >= FDS_NEEDED)) throw new Error(`e2e: holding ${connections} connections needs about ${FDS_NEEDED} open files; the hard limit is ${limit} (raise it, e.g. ulimit -Hn 65536 as root)`)
  const server = startServer(script)
  try {
    const addr = (await server.next()).addrs.find(a => a.includes('/tcp/') && !a.includes('/ws'))
    const warm = await hold(script, addr, WARM_UP_CONNECTIONS)
    await warm.openStreams(1)
    await warm.release()
    await new Promise(resolve => setTimeout(resolve, 1_000))
    const baseline = await server.memory()
    const held = await hold(script, addr, connections)
    try {
      const settle = async () => { await new Promise(resolve => setTimeout(resolve, IDLE_SETTLE_MS)) }
      const justConnected = await server.memory()
      await settle()
      const idle = await server.memory()
      const streams = await held.openStreams(streamsPerConnection)
      await settle()
      const withStreams = await server.memory()
      return {
        connections,
        streams,
        baseline,
        justConnected,
        idle,
        withStreams,
        perConnection: perUnit(idle, baseline, connections),
        perConnectionJustConnected: perUnit(justConnected, baseline, connections),
        perStream: perUnit(withStreams, idle, streams)
      }
    } finally {
      await held.release()
    }
  } finally {
    await server.stop()
  }
}
