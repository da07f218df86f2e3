// A js-libp2p 3 Kademlia server for interop tests (a separate process).
//   node test/dht/helpers/js-dht-peer.mjs → prints {"peerId":…,"addrs":[…]}, exits on stdin "exit" or EOF.
// js-libp2p 3 assumes Node 22; on Node 20 it needs these shims (/work/shared/notes/js-libp2p-test-peer.md).
import { WebSocket } from 'ws'
import { createInterface } from 'node:readline'
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function () { let resolve, reject; const promise = new Promise((a, b) => { resolve = a; reject = b }); return { promise, resolve, reject } }
}
globalThis.WebSocket ??= WebSocket

const { createLibp2p } = await import('libp2p')
const { tcp } = await import('@libp2p/tcp')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { identify } = await import('@libp2p/identify')
const { ping } = await import('@libp2p/ping')
const { kadDHT, passthroughMapper } = await import('@libp2p/kad-dht')

const node = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: {
    identify: identify(),
    ping: ping(),
    // Loopback peers stay in the table only with the passthrough mapper; server mode answers requests.
    dht: kadDHT({ clientMode: false, peerInfoMapper: passthroughMapper })
  },
  connectionManager: { allow: ['/ip4/127.0.0.0/ipcidr/8'] }
})
console.log(JSON.stringify({ peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(String) }))
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'exit') break
}
await node.stop()
process.exit(0)
