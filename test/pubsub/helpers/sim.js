// An in-process network of gossipsub routers (dist/pubsub/router.js): no sockets, a fake clock,
// RPCs through the real codec (encode → decode), delivered in order per link on `flush()`.
// Used by the mesh property tests and the scoring scenarios.
import { generateKeyPair } from '../../../dist/keys/index.js'
import { peerIdFromPrivateKey } from '../../../dist/peer-id/index.js'
import { GossipsubRouter, resolveOptions, encodeRpc, decodeRpc } from '../../../dist/pubsub/index.js'

/** A seeded PRNG (mulberry32), so a failing property run can be replayed. */
export function rng (seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const keyCache = []
async function keys (n) {
  while (keyCache.length < n) keyCache.push(await generateKeyPair('Ed25519'))
  return keyCache.slice(0, n)
}

export async function createSimNetwork ({ size, options = {}, seed = 1 }) {
  let now = 1_000_000
  const random = rng(seed)
  const queue = []
  const nodes = []
  const links = new Set()
  const linkKey = (a, b) => a < b ? `${a}-${b}` : `${b}-${a}`
  for (const [i, privateKey] of (await keys(size)).entries()) {
    const peerId = peerIdFromPrivateKey(privateKey)
    const node = { i, peerId, id: peerId.toString(), received: [], exchanged: [] }
    node.router = new GossipsubRouter({
      peerId,
      privateKey,
      now: () => now,
      random,
      send: (to, rpc) => {
        const target = nodes.find(n => n.id === to)
        if (target === undefined || !links.has(linkKey(i, target.i))) return false
        queue.push({ from: node, to: target, bytes: encodeRpc(rpc) })
        return true
      },
      onMessage: detail => { node.received.push(detail) },
      onSubscriptionChange: () => {},
      onPeerExchange: peers => { node.exchanged.push(...peers) }
    }, resolveOptions({ ...options }))
    nodes.push(node)
  }
  return {
    nodes,
    get now () { return now },
    advance (ms) { now += ms },
    connected: (a, b) => links.has(linkKey(a, b)),
    /** Connects node a to node b (a dialed: the connection is outbound for a). */
    connect (a, b) {
      if (a === b || links.has(linkKey(a, b))) return
      links.add(linkKey(a, b))
      nodes[a].router.addPeer(nodes[b].peerId, '/meshsub/1.1.0', true)
      nodes[b].router.addPeer(nodes[a].peerId, '/meshsub/1.1.0', false)
    },
    disconnect (a, b) {
      if (!links.delete(linkKey(a, b))) return
      nodes[a].router.removePeer(nodes[b].id)
      nodes[b].router.removePeer(nodes[a].id)
    },
    /** Delivers queued RPCs (and those they cause) until none is left, at most `maxRpcs`. */
    async flush (maxRpcs = 100_000) {
      for (let n = 0; queue.length > 0 && n < maxRpcs; n++) {
        const { from, to, bytes } = queue.shift()
        if (!links.has(linkKey(from.i, to.i))) continue
        await to.router.handleRpc(from.id, decodeRpc(bytes))
      }
    }
  }
}
