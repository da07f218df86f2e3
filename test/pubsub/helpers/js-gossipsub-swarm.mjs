// N js-libp2p 3 nodes with @libp2p/gossipsub 17 in one child process (a separate process from
// wasp2p), for the interop tests, the mixed swarm and the benchmark.
//   node test/pubsub/helpers/js-gossipsub-swarm.mjs <N> [<options JSON>]
// prints {"peers":[{"peerId","addrs"}…]} (TCP and WS addresses), then answers one JSON line per
// stdin command (see `commands`). Each node: TCP + WS, Noise, yamux, identify (gossipsub needs it),
// gossipsub with allowPublishToZeroTopicPeers (publishing before the mesh has formed) and the
// loopback trap handled: every peer here shares 127.0.0.1, so IP colocation scoring (P6) is off,
// as on any single-host test network. js-libp2p's connection monitor pings every connection each
// 10 s and, by default, aborts one whose ping takes over 5 s: with 50 nodes in one process on a
// loaded 2-core box the event loop stalls that long, and the monitor then closed all 150
// connections of the benchmark swarm at once (observed: "aborting connection due to ping
// failure" for every connection, after which nothing was delivered). An event-loop stall is not
// a dead peer, so the pings still run but do not abort (wasp2p's yamux keep-alive gives 30 s).
// `directPeers` in the options JSON: [{ id, addrs? }] as strings.
import '../../helpers/js-libp2p-shims.js'
import net from 'node:net'
import { serveJsonLines } from '../../helpers/json-line-peer.js'

// Bytes this process writes to TCP sockets (every node here), for bench/pubsub-swarm.js's bytes-on-the-wire figure.
let wireBytes = 0
const socketWrite = net.Socket.prototype.write
net.Socket.prototype.write = function (chunk, ...rest) { wireBytes += chunk?.length ?? 0; return socketWrite.call(this, chunk, ...rest) }
/** The topic of the benchmark: its messages are counted, not recorded. */
const BENCH_TOPIC = 'bench'

const { createLibp2p } = await import('libp2p')
const { tcp } = await import('@libp2p/tcp')
const { webSockets } = await import('@libp2p/websockets')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { identify } = await import('@libp2p/identify')
const { gossipsub } = await import('@libp2p/gossipsub')
const { multiaddr } = await import('@multiformats/multiaddr')
const { peerIdFromString } = await import('@libp2p/peer-id')

const size = Number(process.argv[2] ?? 1)
const extra = JSON.parse(process.argv[3] ?? '{}')
if (Array.isArray(extra.directPeers)) extra.directPeers = extra.directPeers.map(p => ({ id: peerIdFromString(p.id), addrs: (p.addrs ?? []).map(a => multiaddr(a)) }))
const OP_TIMEOUT_MS = 30_000

async function makeNode () {
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'] },
    transports: [tcp(), webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      pubsub: gossipsub({
        allowPublishToZeroTopicPeers: true,
        emitSelf: false,
        ...extra,
        scoreParams: { IPColocationFactorWeight: 0, ...(extra.scoreParams ?? {}) }
      })
    },
    connectionManager: { allow: ['/ip4/127.0.0.0/ipcidr/8'], maxConnections: 1000 },
    connectionMonitor: { abortConnectionOnPingFailure: false }
  })
  const received = []
  // gossipsub:message carries the message id js-libp2p computed (hex here), to compare with ours.
  node.services.pubsub.addEventListener('gossipsub:message', e => {
    const m = e.detail.msg
    if (m.topic === BENCH_TOPIC) { onBenchMessage(m.data); return }
    received.push({ topic: m.topic, text: Buffer.from(m.data).toString('utf8'), from: m.type === 'signed' ? m.from.toString() : undefined, id: Buffer.from(e.detail.msgId, 'base64').toString('hex'), source: e.detail.propagationSource.toString() })
  })
  return { node, received }
}

// Benchmark deliveries: message tag (first 4 bytes, big-endian) → deliveries so far.
const benchDelivered = new Map()
let benchWaiter
function onBenchMessage (data) {
  const tag = new DataView(data.buffer, data.byteOffset, 4).getUint32(0)
  benchDelivered.set(tag, (benchDelivered.get(tag) ?? 0) + 1)
  benchWaiter?.()
}
async function benchWait (predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('benchmark deliveries timed out')
    await new Promise(resolve => { benchWaiter = resolve; setTimeout(resolve, 50) })
  }
}
const payload = (tag, size) => { const b = new Uint8Array(size); new DataView(b.buffer).setUint32(0, tag); return b }

const nodes = []
for (let i = 0; i < size; i++) nodes.push(await makeNode())
const ps = i => nodes[i].node.services.pubsub

const commands = {
  async dial ({ i = 0, addr }) {
    await nodes[i].node.dial(multiaddr(addr), { signal: AbortSignal.timeout(OP_TIMEOUT_MS) })
    return {}
  },
  async hangUp ({ i = 0, peer }) { await nodes[i].node.hangUp(peerIdFromString(peer)); return {} },
  async subscribe ({ i = 0, topic }) { ps(i).subscribe(topic); return {} },
  async unsubscribe ({ i = 0, topic }) { ps(i).unsubscribe(topic); return {} },
  async publish ({ i = 0, topic, text }) {
    const result = await ps(i).publish(topic, Buffer.from(text, 'utf8'))
    return { recipients: result.recipients.map(String) }
  },
  /** Messages node i received so far (and clears them when `clear`). */
  async received ({ i = 0, clear = false }) {
    const out = nodes[i].received.slice()
    if (clear) nodes[i].received.length = 0
    return { messages: out }
  },
  async mesh ({ i = 0, topic }) { return { peers: ps(i).getMeshPeers(topic).map(String) } },
  async subscribers ({ i = 0, topic }) { return { peers: ps(i).getSubscribers(topic).map(String) } },
  async peers ({ i = 0 }) { return { peers: ps(i).getPeers().map(String) } },
  async score ({ i = 0, peer }) { return { score: ps(i).getScore(peer) } },
  /** Milliseconds left of node i's backoff for `peer` on `topic` (0: none). */
  async backoff ({ i = 0, topic, peer }) {
    const ends = ps(i).backoff.get(topic)?.get(peer)
    return { ms: ends === undefined ? 0 : Math.max(0, ends - Date.now()) }
  },
  async wire () { return { bytes: wireBytes } },
  /** Outbound gossipsub streams node i holds (js-libp2p drops one whose write buffer overflows). */
  async outboundStreams ({ i = 0 }) { return { count: ps(i).streamsOutbound.size, peers: ps(i).getPeers().length } },
  /** One message at a time from node `from`: ms until every other node has it. */
  async benchLatency ({ from = 0, count, size: bytes, tag0 = 0, timeoutMs = 30_000 }) {
    const wire0 = wireBytes
    const ms = []
    for (let k = 0; k < count; k++) {
      const tag = tag0 + k
      const started = performance.now()
      await ps(from).publish(BENCH_TOPIC, payload(tag, bytes))
      await benchWait(() => (benchDelivered.get(tag) ?? 0) >= nodes.length - 1, timeoutMs)
      ms.push(performance.now() - started)
    }
    return { ms, wireBytes: wireBytes - wire0 }
  },
  /**
   * `count` messages from node `from`, at most `window` in flight (published, not yet at every
   * other node): time until every other node has all of them, and the wire bytes meanwhile.
   */
  async benchThroughput ({ from = 0, count, size: bytes, tag0 = 0, window = 50, timeoutMs = 120_000 }) {
    const wire0 = wireBytes
    const started = performance.now()
    const done = k => (benchDelivered.get(tag0 + k) ?? 0) >= nodes.length - 1
    let complete = true
    let oldest = 0
    try {
      for (let k = 0; k < count; k++) {
        await benchWait(() => { while (oldest < k && done(oldest)) oldest++; return k - oldest < window }, timeoutMs)
        await ps(from).publish(BENCH_TOPIC, payload(tag0 + k, bytes))
      }
      await benchWait(() => { while (oldest < count && done(oldest)) oldest++; return oldest === count }, timeoutMs)
    } catch { complete = false }
    let delivered = 0
    for (let k = 0; k < count; k++) delivered += benchDelivered.get(tag0 + k) ?? 0
    return { ms: performance.now() - started, wireBytes: wireBytes - wire0, delivered, complete }
  },
  async connections ({ i = 0 }) { return { peers: nodes[i].node.getConnections().map(c => c.remotePeer.toString()) } }
}

serveJsonLines({
  hello: { peers: nodes.map(({ node }) => ({ peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(String) })) },
  async run (command) {
    const fn = commands[command.cmd]
    if (fn === undefined) throw new Error(`unknown command ${command.cmd}`)
    return { ok: true, ...await fn(command) }
  },
  async stop () { await Promise.all(nodes.map(({ node }) => node.stop())) }
})
