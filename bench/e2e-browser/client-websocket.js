// The ceiling row of bench/e2e-browser.js: the same bulk workload on a bare WebSocket,
// no libp2p at all. The page writes the workload's chunks as binary messages with
// the send rule wasp2p uses in browsers (src/transport/websockets/socket-connection.ts:
// wait while `bufferedAmount` is above 1 MiB, polling every 4 ms); the Node side
// (bench/e2e-browser/websocket-sink.js) only counts. Whatever a libp2p stack does on
// top, one stream over this socket cannot go faster than this.

/** What the socket may hold before a write waits, and how often it is polled then: wasp2p's browser values. */
const HIGH_WATER_MARK = 1024 * 1024
const DRAIN_POLL_MS = 4

function opened (socket) {
  return new Promise((resolve, reject) => {
    socket.onopen = () => { resolve(socket) }
    socket.onerror = () => { reject(new Error('WebSocket failed to open')) }
  })
}

export async function createAdapter () {
  return {
    adapter: {
      dial: async url => { const socket = new WebSocket(url); socket.binaryType = 'arraybuffer'; return await opened(socket) },
      hangUp: async socket => { socket.close() },
      open: async socket => {
        // The sink answers the end marker (an empty message) with one message: the count.
        const reply = new Promise((resolve, reject) => {
          socket.onmessage = event => { resolve(new Uint8Array(event.data)) }
          socket.onclose = () => { reject(new Error('WebSocket closed before the count')) }
        })
        return {
          write: async bytes => {
            socket.send(bytes)
            while (socket.bufferedAmount > HIGH_WATER_MARK) await new Promise(resolve => setTimeout(resolve, DRAIN_POLL_MS))
          },
          closeWrite: async () => { socket.send(new Uint8Array(0)) },
          read: async function * () { yield await reply }
        }
      }
    },
    stop: async () => {}
  }
}
