// The wasp2p client of bench/e2e-browser.js, bundled for a Chromium worker: WebSocket
// dial, Noise, Yamux, no services (the Node peer runs none either), loopback allowed
// as in bench/e2e/peer-wasp2p.js.
import { createNode, init } from 'wasp2p'

export async function createAdapter () {
  await init()
  const node = await createNode({ listen: [], services: false, connectionManager: { allow: ['/ip4/127.0.0.0/ipcidr/8'] } })
  return {
    adapter: {
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
    },
    stop: async () => { await node.stop() }
  }
}
