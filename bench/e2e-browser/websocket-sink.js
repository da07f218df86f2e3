// The Node side of the ceiling row of bench/e2e-browser.js: a `ws` server on loopback
// that counts the bytes of the binary messages it gets and, at the empty message
// that ends a run, answers with the count (8 bytes, big-endian), as the libp2p sink
// protocol of bench/e2e does.
import { WebSocketServer } from 'ws'

export async function startWebSocketSink () {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 1024 * 1024 })
  await new Promise((resolve, reject) => { server.once('listening', resolve); server.once('error', reject) })
  server.on('connection', socket => {
    let received = 0n
    socket.on('message', data => {
      const length = Array.isArray(data) ? data.reduce((n, d) => n + d.length, 0) : data.byteLength
      if (length > 0) { received += BigInt(length); return }
      const count = new Uint8Array(8)
      new DataView(count.buffer).setBigUint64(0, received)
      received = 0n
      socket.send(count)
    })
  })
  return {
    url: `ws://127.0.0.1:${server.address().port}`,
    close: async () => {
      for (const client of server.clients) client.terminate()
      await new Promise(resolve => server.close(resolve))
    }
  }
}
