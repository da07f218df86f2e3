#!/usr/bin/env node
// The js-libp2p side of `npm run soak`: a js-libp2p 3 node (TCP, Noise, yamux, ping)
// holding the same load as the wasp2p node, in its own process, so its memory and
// file descriptors can be measured the same way. JSON lines (test/helpers/json-line-peer.js):
//   {"cmd":"usage"}   → { connections, streams } (streams of the hold protocol)
//   {"cmd":"measure"} → { fds, heapUsedMiB, arrayBuffersMiB, rssMiB } after three GCs
// Limits raised as for the wasp2p node: connections (default 300), loopback allowed
// (its per-host inbound rate), 10 inbound streams per connection for the hold protocol.
import { readdirSync } from 'node:fs'
import v8 from 'node:v8'
import vm from 'node:vm'
import '../test/helpers/js-libp2p-shims.js'
import { serveJsonLines } from '../test/helpers/json-line-peer.js'
const { createLibp2p } = await import('libp2p')
const { tcp } = await import('@libp2p/tcp')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { ping } = await import('@libp2p/ping')

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc')
const HOLD = process.argv[2] ?? '/soak/hold/1.0.0'
const MiB = 1024 * 1024

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  connectionManager: { allow: ['/ip4/127.0.0.0/ipcidr/8'], maxConnections: 2000, maxIncomingPendingConnections: 64 },
  services: { ping: ping() }
})
await node.handle(HOLD, async stream => {
  let first = true
  for await (const _ of stream) {
    if (first) { first = false; stream.send(new Uint8Array([1])) }
  }
  await stream.close()
}, { maxInboundStreams: 16 })

serveJsonLines({
  hello: { peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(a => a.toString()) },
  async run (command) {
    if (command.cmd === 'usage') {
      const connections = node.getConnections()
      let streams = 0
      for (const c of connections) for (const s of c.streams) if (s.protocol === HOLD) streams++
      return { ok: true, connections: connections.length, streams }
    }
    if (command.cmd === 'measure') {
      for (let i = 0; i < 3; i++) { gc(); await new Promise(resolve => setTimeout(resolve, 100)) }
      const m = process.memoryUsage()
      return { ok: true, fds: readdirSync('/proc/self/fd').length, heapUsedMiB: m.heapUsed / MiB, arrayBuffersMiB: m.arrayBuffers / MiB, rssMiB: m.rss / MiB }
    }
    throw new Error(`unknown command ${command.cmd}`)
  },
  async stop () { await node.stop() }
})
