// A js-libp2p Noise peer in its own process: the real @chainsafe/libp2p-noise
// v17 over a real TCP socket (@libp2p/tcp's socket → MultiaddrConnection), for
// noise-interop.node.test.js. Configured by environment:
//   ROLE=listen|dial  PORT (dial)  REMOTE_PEER (dial, optional)  MUXERS (JSON list of protocol ids)
//   KEY_TYPE (Ed25519 default, secp256k1, ECDSA, RSA)
// Reports JSON lines on stdout: {ready, peerId, port}, then {secured, remotePeer, streamMuxer}
// or {error, message}. Once secured it echoes every byte back and closes when the remote does.

// js-libp2p 3 expects Node 22; these shims exist only in this peer process.
import '../helpers/js-libp2p-shims.js'
const net = await import('node:net')
const { noise } = await import('@chainsafe/libp2p-noise')
const { generateKeyPair } = await import('@libp2p/crypto/keys')
const { peerIdFromPrivateKey, peerIdFromString } = await import('@libp2p/peer-id')
const { defaultLogger } = await import('@libp2p/logger')
const { toMultiaddrConnection } = await import(new URL('./socket-to-conn.js', import.meta.resolve('@libp2p/tcp')).href)

const role = process.env.ROLE
const muxers = JSON.parse(process.env.MUXERS ?? '[]')
const report = message => process.stdout.write(JSON.stringify(message) + '\n')
// Bound the peer's life whatever happens in the test.
setTimeout(() => { report({ error: 'PeerTimeout', message: 'peer gave up after 20 s' }); process.exit(2) }, 20_000).unref()

const privateKey = await generateKeyPair(process.env.KEY_TYPE ?? 'Ed25519')
const peerId = peerIdFromPrivateKey(privateKey)
const components = {
  privateKey,
  logger: defaultLogger(),
  upgrader: { getStreamMuxers: () => new Map(muxers.map(protocol => [protocol, { protocol }])) }
}
const encrypter = noise()(components)

async function secure (socket, direction) {
  const maConn = toMultiaddrConnection({ socket, direction, log: components.logger.forComponent(`peer:${direction}`) })
  try {
    const result = direction === 'outbound'
      ? await encrypter.secureOutbound(maConn, { remotePeer: process.env.REMOTE_PEER ? peerIdFromString(process.env.REMOTE_PEER) : undefined })
      : await encrypter.secureInbound(maConn)
    report({ secured: true, remotePeer: result.remotePeer.toString(), streamMuxer: result.streamMuxer?.protocol ?? null })
    const stream = result.connection
    stream.addEventListener('message', event => {
      const data = event.data.subarray()
      if (!stream.send(data)) stream.pause()
    })
    stream.addEventListener('drain', () => stream.resume())
    stream.addEventListener('remoteCloseWrite', () => { stream.close().catch(() => {}) })
    stream.addEventListener('close', () => { socket.destroy(); process.exit(0) })
  } catch (err) {
    report({ error: err.name, message: err.message })
    socket.destroy()
    process.exit(1)
  }
}

if (role === 'listen') {
  const server = net.createServer(socket => { server.close(); secure(socket, 'inbound') })
  server.listen(0, '127.0.0.1', () => report({ ready: true, peerId: peerId.toString(), port: server.address().port }))
} else {
  report({ ready: true, peerId: peerId.toString() })
  const socket = net.connect(Number(process.env.PORT), '127.0.0.1')
  socket.once('connect', () => secure(socket, 'outbound'))
  socket.once('error', err => { report({ error: err.name, message: err.message }); process.exit(1) })
}
