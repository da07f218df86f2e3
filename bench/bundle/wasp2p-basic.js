// The basic browser node, as a new user writes it: WebSocket dial, Noise, Yamux, identify, ping.
// test/build/browser-bundle.node.test.js loads exactly this bundle in Chromium and pings a Node node.
import { createNode, init, activeBackend } from 'wasp2p'

// Browsers refuse to compile WASM over 4 KiB synchronously on the main thread: compile first.
await init()
const node = await createNode({ listen: [] })
globalThis.wasp2p = {
  peerId: node.peerId.toString(),
  backend: activeBackend,
  ping: async (addr) => await node.ping(addr)
}
