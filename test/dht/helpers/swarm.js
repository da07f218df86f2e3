// A swarm of wasp2p DHT nodes on loopback TCP in this process, for the swarm tests and
// bench/dht-swarm.js. Nodes join one by one through the first node, then every node
// refreshes once so the early joiners learn the late ones.
import { createNode, kadDht } from '../../../dist/index.js'

/** Test namespace with a validator and a "longest value wins" selector. */
export const testRules = {
  validators: { test: (_key, value) => { if (value.length === 0 || value[0] === 0xff) throw new Error('bogus /test/ record') } },
  selectors: { test: (_key, values) => values.reduce((best, v, i) => v.length > values[best].length ? i : best, 0) }
}

/** Runs `fn` over `items`, `limit` at a time; resolves with the results in order. */
export async function mapLimit (items, limit, fn) {
  const out = new Array(items.length)
  let next = 0
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i], i) }
  }))
  return out
}

/** Node options with `dht` (DhtOptions), if any, turned into the DHT service: `createNode(withDht({ …, dht: {…} }))`. */
export function withDht ({ dht, ...options }) {
  return dht === undefined ? options : { ...options, services: { ...options.services, dht: kadDht(dht) } }
}

/** Node options every swarm node gets: loopback TCP, exempt from the per-host inbound rate limit (one host here). */
export const loopbackNode = { listen: ['/ip4/127.0.0.1/tcp/0'], connectionManager: { allow: ['/ip4/127.0.0.0/ipcidr/8'] } }

export async function startSwarm (size, dhtOptions = {}) {
  const base = { mode: 'server', refreshIntervalMs: 0, recordRepublishIntervalMs: 0, providerRepublishIntervalMs: 0, ...testRules, ...dhtOptions }
  const first = await createNode(withDht({ ...loopbackNode, dht: base }))
  const bootstrap = [first.getMultiaddrs()[0].toString()]
  const nodes = [first]
  // A few at a time: each join is a self-lookup through the network so far.
  for (let i = 1; i < size; i += 5) {
    const batch = await Promise.all(Array.from({ length: Math.min(5, size - i) }, () =>
      createNode(withDht({ ...loopbackNode, dht: { ...base, bootstrap } }))))
    nodes.push(...batch)
  }
  await mapLimit(nodes, 10, async node => { await node.dht.refresh({ signal: AbortSignal.timeout(20_000) }).catch(() => {}) })
  return nodes
}

export async function stopAll (nodes) {
  await Promise.all(nodes.map(async n => { await n.stop() }))
}
