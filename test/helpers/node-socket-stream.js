// A node:net socket as a ByteStream (src/stream/types.ts), for Node-only tests
// until wasp2p's own TCP transport is available.
export function socketToByteStream (socket) {
  socket.setNoDelay(true)
  // Errors reach the caller through reads and writes; this keeps a destroy(err) from becoming an uncaught 'error'.
  socket.on('error', () => {})
  return {
    [Symbol.asyncIterator]: () => socket[Symbol.asyncIterator](),
    write: chunk => new Promise((resolve, reject) => {
      socket.write(chunk, err => err ? reject(err) : resolve())
    }),
    closeWrite: async () => { socket.end() },
    close: async () => {
      if (socket.destroyed) return
      await new Promise(resolve => { socket.once('close', resolve); socket.end() })
    },
    abort: err => { socket.destroy(err) }
  }
}
