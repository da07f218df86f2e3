// A js-libp2p 3 Kademlia server for interop tests (a separate process).
//   node test/dht/helpers/js-dht-peer.mjs → prints {"peerId":…,"addrs":[…]}, then one JSON line per
//   stdin command: {"get":"<key hex>","peer":"<multiaddr with /p2p/>"} puts that peer in js's routing
//   table and runs dht.get(key) → {"values":["<hex>",…]} or {"error":"…"}; "exit" (or EOF) stops.
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
const { multiaddr } = await import('@multiformats/multiaddr')
const { peerIdFromString } = await import('@libp2p/peer-id')
const hex = bytes => Buffer.from(bytes).toString('hex')

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'exit') break
  const command = JSON.parse(line)
  try {
    if (command.get !== undefined) {
      const addr = multiaddr(command.peer)
      const peerId = peerIdFromString(addr.getComponents().find(c => c.name === 'p2p').value)
      await node.peerStore.merge(peerId, { multiaddrs: [addr.decapsulate('/p2p')] })
      await node.services.dht.routingTable.add(peerId)
      const values = []
      for await (const event of node.services.dht.get(Buffer.from(command.get, 'hex'), { signal: AbortSignal.timeout(20_000) })) {
        if (event.name === 'VALUE') values.push(hex(event.value))
      }
      console.log(JSON.stringify({ values }))
    }
  } catch (err) {
    console.log(JSON.stringify({ error: String(err?.stack ?? err) }))
  }
}
await node.stop()
process.exit(0)
