// A js-libp2p 3 peer for the end-to-end benchmark (a separate process).
//   node --expose-gc bench/e2e/peer-js.mjs server              → prints {"addrs":[…]}; stdin "rss" → {"rss":N}, "mem" → {rss,heapUsed,arrayBuffers,external}, "cpu" → {"cpuMs":N}
//   node bench/e2e/peer-js.mjs client <scenario> <addr> <json>  → prints the scenario's JSON result
//   node bench/e2e/peer-js.mjs hold <addr> <n>                  → n nodes connect, prints {"connected":n};
//                                                                  stdin "streams k" → k open echo streams per node, {"streams":N}; "exit" → exits
// js-libp2p 3 assumes Node 22; on Node 20 it needs these two shims (../../shared/notes).
import '../../test/helpers/js-libp2p-shims.js'
import { createInterface } from 'node:readline'

const { createLibp2p } = await import('libp2p')
const { tcp } = await import('@libp2p/tcp')
const { webSockets } = await import('@libp2p/websockets')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { echo } = await import('@libp2p/echo')
const { multiaddr } = await import('@multiformats/multiaddr')
const scenarios = await import('./scenarios.js')
const { memoryAfterGc } = await import('./memory-probe.js')

const LOOPBACK = '/ip4/127.0.0.0/ipcidr/8'

async function createNode (listen) {
  return await createLibp2p({
    addresses: { listen: listen ? ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'] : [] },
    transports: [tcp(), webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { echo: echo({ maxInboundStreams: 256 }) },
    // Timeouts raised as bench/soak.js does: 1,000 holder handshakes queue behind each other on a shared 2-core box.
    connectionManager: { maxConnections: 2000, allow: [LOOPBACK], dialTimeout: 60_000, addressDialTimeout: 60_000, inboundUpgradeTimeout: 60_000 }
  })
}

async function sink (stream) {
  let n = 0
  for await (const chunk of stream) n += chunk.byteLength
  const reply = new Uint8Array(8)
  new DataView(reply.buffer).setBigUint64(0, BigInt(n))
  stream.send(reply)
  await stream.close()
}

const adapter = node => ({
  dial: async addr => await node.dial(multiaddr(addr)),
  hangUp: async conn => { await conn.close() },
  open: async (conn, protocol) => {
    const stream = await conn.newStream(protocol)
    return {
      write: async bytes => { if (!stream.send(bytes)) await stream.onDrain() },
      closeWrite: async () => { await stream.close() },
      read: async function * () { for await (const c of stream) yield c.subarray() }
    }
  }
})

const [mode, ...args] = process.argv.slice(2)
if (mode === 'server') {
  const node = await createNode(true)
  await node.handle(scenarios.SINK_PROTOCOL, sink, { maxInboundStreams: 256 })
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
  const node = await createNode(false)
  const result = await scenarios[scenario](adapter(node), addr, JSON.parse(params ?? '{}'))
  console.log(JSON.stringify(result))
  await node.stop()
  process.exit(0)
} else if (mode === 'hold') {
  const [addr, n] = args
  const nodes = []
  for (let i = 0; i < Number(n); i++) {
    const node = await createNode(false)
    await node.dial(multiaddr(addr))
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
  console.error('usage: peer-js.mjs server | client <scenario> <addr> <json> | hold <addr> <n>')
  process.exit(2)
}
