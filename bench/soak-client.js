// One client process of `npm run soak` (bench/soak.js): on `open` it makes `nodes`
// wasp2p nodes, each of which dials the target once and opens `streams` streams of
// the hold protocol, waiting for each stream's one-byte acknowledgement, so that
// every connection and stream is established on both sides when it answers. On
// `close` it closes every stream (gracefully) and stops every node.
import { createNode } from '../dist/index.js'
import { tcp } from '../dist/transport/index.js'
import { serveJsonLines } from '../test/helpers/json-line-peer.js'

/** Nodes dialing at once: the target admits a bounded number of upgrades at a time. */
const DIAL_BATCH = 10

let nodes = []
let streams = []

async function openOne (target, protocol, count) {
  // Ping only (the soak node pings one client while the load is held); no identify, to keep 1,000 peers light.
  // Dial and upgrade timeouts raised: on a shared 2-core box 1,000 handshakes queue behind each other.
  const node = await createNode({ transports: [tcp()], services: { identify: false }, upgradeTimeoutMs: 60_000, connectionManager: { dialTimeoutMs: 60_000 } })
  nodes.push(node)
  const connection = await node.dial(target)
  for (let i = 0; i < count; i++) {
    const stream = await connection.newStream(protocol)
    await stream.write(new Uint8Array([i & 0xff]))
    const it = stream[Symbol.asyncIterator]()
    const ack = await it.next()
    if (ack.done === true) throw new Error('stream ended before its acknowledgement')
    streams.push(stream)
  }
}

serveJsonLines({
  hello: { pid: process.pid },
  async run (command) {
    if (command.cmd === 'open') {
      const started = performance.now()
      for (let i = 0; i < command.nodes; i += DIAL_BATCH) {
        const batch = Math.min(DIAL_BATCH, command.nodes - i)
        await Promise.all(Array.from({ length: batch }, async () => await openOne(command.target, command.protocol, command.streams)))
      }
      return { ok: true, connections: nodes.length, streams: streams.length, ms: performance.now() - started }
    }
    if (command.cmd === 'close') {
      const started = performance.now()
      const closing = streams
      streams = []
      await Promise.all(closing.map(async s => { await s.close() }))
      const stopping = nodes
      nodes = []
      await Promise.all(stopping.map(async n => { await n.stop() }))
      return { ok: true, ms: performance.now() - started }
    }
    throw new Error(`unknown command ${command.cmd}`)
  },
  async stop () {
    await Promise.all(nodes.map(async n => { await n.stop() }))
  }
})
