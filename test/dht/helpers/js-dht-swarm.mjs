// N js-libp2p 3 kad-dht servers in one process (a separate process from wasp2p), for the
// mixed-swarm test and bench/dht-swarm.js.
//   node test/dht/helpers/js-dht-swarm.mjs <N> → prints {"peers":[{"peerId","addrs"}…]} once the
//   swarm has joined (each node dials node 0, then runs a self-lookup), then answers one JSON line
//   per stdin command (see `commands` below); "exit" (or EOF) stops every node.
// Each node: TCP + Noise + yamux, identify, ping, kad-dht in server mode with the loopback traps
// handled (/work/shared/notes/js-libp2p-test-peer.md) and a `/test/` namespace whose validator
// refuses empty values and values starting 0xff, and whose selector prefers the longest value
// (the same rules as test/dht/helpers/swarm.js).
import '../../helpers/js-libp2p-shims.js'
import { createInterface } from 'node:readline'

const { createLibp2p } = await import('libp2p')
const { tcp } = await import('@libp2p/tcp')
const { noise } = await import('@chainsafe/libp2p-noise')
const { yamux } = await import('@chainsafe/libp2p-yamux')
const { identify } = await import('@libp2p/identify')
const { ping } = await import('@libp2p/ping')
const { kadDHT, passthroughMapper } = await import('@libp2p/kad-dht')
const { multiaddr } = await import('@multiformats/multiaddr')
const { peerIdFromString } = await import('@libp2p/peer-id')
const { CID } = await import('multiformats/cid')

const size = Number(process.argv[2] ?? 10)
const hex = bytes => Buffer.from(bytes).toString('hex')
const unhex = s => Uint8Array.from(Buffer.from(s, 'hex'))
const OP_TIMEOUT_MS = 30_000

async function makeNode () {
  return await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: {
      identify: identify(),
      ping: ping({ maxOutboundStreams: 16, maxInboundStreams: 64 }),
      dht: kadDHT({
        clientMode: false,
        peerInfoMapper: passthroughMapper,
        validators: { test: async (_key, value) => { if (value.length === 0 || value[0] === 0xff) throw new Error('bogus /test/ record') } },
        selectors: { test: (_key, values) => values.reduce((best, v, i) => v.length > values[best].length ? i : best, 0) }
      })
    },
    connectionManager: { allow: ['/ip4/127.0.0.0/ipcidr/8'], maxConnections: 1000 }
  })
}

const nodes = []
for (let i = 0; i < size; i++) nodes.push(await makeNode())
const waitFor = async (fn, ms) => { const end = Date.now() + ms; while (!fn() && Date.now() < end) await new Promise(r => setTimeout(r, 50)) }
// Join: everyone dials node 0 (identify puts both in each other's table), then looks itself up.
// On a loaded machine a handshake can time out: up to JOIN_ATTEMPTS tries each; a node that never
// connects still joins through its own self-lookup below if any other node knows it.
const JOIN_ATTEMPTS = 3
for (let i = 1; i < size; i++) {
  for (let attempt = 0; attempt < JOIN_ATTEMPTS; attempt++) {
    try { await nodes[i].dial(nodes[0].getMultiaddrs()[0], { signal: AbortSignal.timeout(OP_TIMEOUT_MS) }); break } catch {}
  }
}
await waitFor(() => nodes[0].services.dht.routingTable.size >= Math.min(size - 1, 20), 10_000)
const drain = async iterable => { const events = []; for await (const e of iterable) events.push(e); return events }
for (let i = 0; i < size; i += 10) {
  await Promise.all(nodes.slice(i, i + 10).map(async n => {
    await drain(n.services.dht.getClosestPeers(n.peerId.toMultihash().bytes, { signal: AbortSignal.timeout(OP_TIMEOUT_MS) })).catch(() => {})
  }))
}

/** Adds a peer (multiaddr with /p2p/) to node i's peer store and routing table. */
async function addPeer (node, addr) {
  const ma = multiaddr(addr)
  const peerId = peerIdFromString(ma.getComponents().find(c => c.name === 'p2p').value)
  await node.peerStore.merge(peerId, { multiaddrs: [ma.decapsulate('/p2p')] })
  await node.services.dht.routingTable.add(peerId)
}

const commands = {
  /** {add: ["<multiaddr/p2p>"…], to?: [i…]}: those peers join the routing tables of nodes `to` (default all). */
  async add (c) {
    for (const i of c.to ?? nodes.map((_, i) => i)) for (const addr of c.add) await addPeer(nodes[i], addr).catch(() => {})
    return { ok: true }
  },
  /** {node, put: keyHex, value: hex} */
  async put (c) { await drain(nodes[c.node].services.dht.put(unhex(c.put), unhex(c.value), { signal: AbortSignal.timeout(OP_TIMEOUT_MS) })); return { ok: true } },
  /** {node, get: keyHex} → {values: [hex…]} (every VALUE event, best last as js reports them) */
  async get (c) {
    const events = await drain(nodes[c.node].services.dht.get(unhex(c.get), { signal: AbortSignal.timeout(OP_TIMEOUT_MS) }))
    return { values: events.filter(e => e.name === 'VALUE').map(e => hex(e.value)) }
  },
  /** {node, provide: cidString} */
  async provide (c) { await drain(nodes[c.node].services.dht.provide(CID.parse(c.provide), { signal: AbortSignal.timeout(OP_TIMEOUT_MS) })); return { ok: true } },
  /** {node, findProviders: cidString} → {providers: [{peerId, addrs}]} */
  async findProviders (c) {
    const providers = []
    for await (const e of nodes[c.node].services.dht.findProviders(CID.parse(c.findProviders), { signal: AbortSignal.timeout(OP_TIMEOUT_MS) })) {
      if (e.name === 'PROVIDER') for (const p of e.providers) providers.push({ peerId: p.id.toString(), addrs: p.multiaddrs.map(String) })
    }
    return { providers }
  },
  /** {node, findPeer: peerIdString} → {peerId, addrs} */
  async findPeer (c) {
    const events = await drain(nodes[c.node].services.dht.findPeer(peerIdFromString(c.findPeer), { signal: AbortSignal.timeout(OP_TIMEOUT_MS) }))
    const final = events.find(e => e.name === 'FINAL_PEER')
    return final === undefined ? { error: 'not found' } : { peerId: final.peer.id.toString(), addrs: final.peer.multiaddrs.map(String) }
  },
  /**
   * {bench: "closest"|"findPeer", count, keys?: [hex…]}: `count` lookups one after another from
   * node i % N; "closest" = getClosestPeers(key), "findPeer" = findPeer(node (i*7+3) % N).
   * → {ms: [..], requests: [..], rss}
   */
  async bench (c) {
    const ms = [], requests = []
    for (let i = 0; i < c.count; i++) {
      const node = nodes[i % size]
      const started = performance.now()
      let sent = 0
      const signal = AbortSignal.timeout(OP_TIMEOUT_MS)
      const it = c.bench === 'closest'
        ? node.services.dht.getClosestPeers(unhex(c.keys[i % c.keys.length]), { signal })
        : node.services.dht.findPeer(nodes[(i * 7 + 3) % size === i % size ? (i + 1) % size : (i * 7 + 3) % size].peerId, { signal })
      try { for await (const e of it) if (e.name === 'SEND_QUERY') sent++ } catch {}
      ms.push(performance.now() - started)
      requests.push(sent)
    }
    return { ms, requests, rss: process.memoryUsage().rss }
  }
}

console.log(JSON.stringify({ peers: nodes.map(n => ({ peerId: n.peerId.toString(), addrs: n.getMultiaddrs().map(String) })), rss: process.memoryUsage().rss }))
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'exit') break
  const command = JSON.parse(line)
  try {
    const name = Object.keys(commands).find(k => k in command)
    console.log(JSON.stringify(name === undefined ? { error: 'unknown command' } : await commands[name](command)))
  } catch (err) {
    console.log(JSON.stringify({ error: String(err?.stack ?? err) }))
  }
}
await Promise.all(nodes.map(n => n.stop()))
process.exit(0)
