// The js-libp2p client of bench/e2e-browser.js, bundled for a Chromium worker as a
// page would bundle it (like bench/bundle/libp2p-basic.js): WebSockets, Noise, Yamux,
// no services. js-libp2p's browser connection gater refuses private addresses by
// default; the Node peer is on 127.0.0.1, so the gater lets every address through.
import { createLibp2p } from 'libp2p'
import { webSockets } from '@libp2p/websockets'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { multiaddr } from '@multiformats/multiaddr'

export async function createAdapter () {
  const node = await createLibp2p({
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyDialMultiaddr: () => false }
  })
  return {
    adapter: {
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
    },
    stop: async () => { await node.stop() }
  }
}
