// A wasp2p peer for the end-to-end benchmark (a separate process); the same
// command line as peer-js.mjs:
//   node --expose-gc bench/e2e/peer-wasp2p.js server             → prints {"addrs":[…]}; stdin "rss" → {"rss":N}, "mem" → {rss,heapUsed,arrayBuffers,external}, "cpu" → {"cpuMs":N}
//   node bench/e2e/peer-wasp2p.js client <scenario> <addr> <json> → prints the scenario's JSON result
//   node bench/e2e/peer-wasp2p.js hold <addr> <n>                 → n nodes connect, prints {"connected":n};
//                                                                    stdin "streams k" → k open echo streams per node, {"streams":N}; "exit" → exits
import { createInterface } from 'node:readline'
import { createNode } from '../../dist/index.js'
import { memoryAfterGc } from './memory-probe.js'
import * as scenarios from './scenarios.js'

async function sink (stream) {
  let n = 0
  for await (const chunk of stream) n += chunk.byteLength
  const reply = new Uint8Array(8)
  new DataView(reply.buffer).setBigUint64(0, BigInt(n))
  await stream.write(reply)
  await stream.close()
}

async function echo (stream) {
  for await (const chunk of stream) await stream.write(chunk)
  await stream.close()
}

// The same configuration as peer-js.mjs: no identify/ping (the js peer runs
// none), loopback allow-listed (the scenarios dial repeatedly from 127.0.0.1,
// which the per-host rate limit would otherwise refuse), room for 2000
// connections, and 256 inbound streams per protocol.
const LOOPBACK = '/ip4/127.0.0.0/ipcidr/8'
// Timeouts raised as bench/soak.js does: 1,000 holder handshakes queue behind each
// other on a shared 2-core box (the same for the js peer).
const NODE_OPTIONS = {
  services: false,
  upgradeTimeoutMs: 60_000,
  connectionManager: { maxConnections: 2000, maxInboundConnections: 2000, maxOutboundConnections: 2000, allow: [LOOPBACK], dialTimeoutMs: 60_000, inboundUpgradeTimeoutMs: 60_000 }
}
const STREAM_LIMITS = { maxInboundStreams: 256 }

const adapter = node => ({
  dial: async addr => await node.dial(addr),
  hangUp: async conn => { await conn.close() },
  open: async (conn, protocol) => {
    const stream = await conn.newStream(protocol)
    return {
      write: async bytes => { await stream.write(bytes) },
      closeWrite: async () => { await stream.closeWrite() },
      read: () => stream
    }
  }
})

const [mode, ...args] = process.argv.slice(2)
if (mode === 'server') {
  const node = await createNode({ ...NODE_OPTIONS, listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'] })
  node.handle(scenarios.SINK_PROTOCOL, sink, STREAM_LIMITS)
  node.handle(scenarios.ECHO_PROTOCOL, echo, STREAM_LIMITS)
  console.log(JSON.stringify({ addrs: node.getMultiaddrs().map(String) }))
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'rss') { globalThis.gc?.(); globalThis.gc?.(); console.log(JSON.stringify({ rss: process.memoryUsage().rss })) }
    if (line === 'mem') console.log(JSON.stringify(await memoryAfterGc()))
    if (line === 'cpu') { const u = process.cpuUsage(); console.log(JSON.stringify({ cpuMs: (u.user + u.system) / 1000 })) }
    if (line === 'exit') break
  }
  await node.stop()
  process.exit(0)
} else if (mode === 'client') {
  const [scenario, addr, params] = args
  const node = await createNode(NODE_OPTIONS)
  const result = await scenarios[scenario](adapter(node), addr, JSON.parse(params ?? '{}'))
  console.log(JSON.stringify(result))
  await node.stop()
  process.exit(0)
} else if (mode === 'hold') {
  const [addr, n] = args
  const nodes = []
  for (let i = 0; i < Number(n); i++) {
    const node = await createNode(NODE_OPTIONS)
    await node.dial(addr)
    nodes.push(node)
  }
  console.log(JSON.stringify({ connected: nodes.length }))
  const held = []
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.startsWith('streams ')) {
      const perNode = Number(line.slice('streams '.length))
      await Promise.all(nodes.map(async node => {
        for (let i = 0; i < perNode; i++) held.push(await scenarios.openEchoedStream(adapter(node), node.getConnections()[0]))
      }))
      console.log(JSON.stringify({ streams: held.length }))
    }
    if (line === 'exit') break
  }
  await Promise.all(nodes.map(n => n.stop()))
  process.exit(0)
} else {
  console.error('usage: peer-wasp2p.js server | client <scenario> <addr> <json> | hold <addr> <n>')
  process.exit(2)
}
