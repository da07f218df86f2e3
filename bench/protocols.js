// Protocol layer without the network: the Identify codec against js-libp2p's
// (protons-generated, from @libp2p/identify), the peer store's write path, and
// ping / perf over an in-memory stream pair (the cost of the protocol code alone;
// bench/e2e.js measures them over real connections).
import { runBench, saveReport, randomBytes } from './harness.js'
import { multiaddr } from '@multiformats/multiaddr'
import { encodeIdentify, decodeIdentify } from '../dist/protocols/identify/index.js'
import { PingSession, handlePing } from '../dist/protocols/ping/index.js'
import { perf, handlePerf } from '../dist/protocols/perf/index.js'
import { MemoryPeerStore } from '../dist/peer-store/index.js'
import { Identify as JsIdentify } from '../node_modules/@libp2p/identify/dist/src/pb/message.js'
import { streamPair } from '../test/helpers/stream-pair.js'

/** A typical message: an Ed25519 key, 4 addresses, 12 protocols, a ~200-byte signed record. */
function typicalMessage () {
  return {
    protocolVersion: 'ipfs/0.1.0',
    agentVersion: 'wasp2p/0.1.0',
    publicKey: Uint8Array.of(0x08, 0x01, 0x12, 0x20, ...randomBytes(32)),
    listenAddrs: ['/ip4/127.0.0.1/tcp/4001', '/ip4/192.168.1.20/tcp/4001', '/ip6/::1/tcp/4001', '/ip4/127.0.0.1/tcp/4002/ws']
      .map(a => multiaddr(a).bytes),
    observedAddr: multiaddr('/ip4/203.0.113.9/tcp/53211').bytes,
    protocols: ['/ipfs/id/1.0.0', '/ipfs/id/push/1.0.0', '/ipfs/ping/1.0.0', '/ipfs/kad/1.0.0', '/perf/1.0.0',
      '/libp2p/circuit/relay/0.2.0/stop', '/libp2p/autonat/1.0.0', '/meshsub/1.1.0', '/meshsub/1.0.0',
      '/floodsub/1.0.0', '/libp2p/dcutr', '/echo/1.0.0'],
    signedPeerRecord: randomBytes(200)
  }
}

export async function run (options = {}) {
  const message = typicalMessage()
  const encoded = encodeIdentify(message)
  const groups = [
    {
      name: `identify encode (${encoded.length} B)`,
      baseline: 'js-libp2p protons',
      cases: [
        { name: 'wasp2p', fn: () => encodeIdentify(message) },
        { name: 'js-libp2p protons', fn: () => JsIdentify.encode(message) }
      ]
    },
    {
      name: `identify decode (${encoded.length} B)`,
      baseline: 'js-libp2p protons',
      cases: [
        { name: 'wasp2p', fn: () => decodeIdentify(encoded) },
        { name: 'js-libp2p protons', fn: () => JsIdentify.decode(encoded) }
      ]
    }
  ]

  const store = new MemoryPeerStore()
  const addresses = message.listenAddrs.map(bytes => ({ multiaddr: multiaddr(bytes), ttl: 3_600_000 }))
  let n = 0
  groups.push({
    name: 'peer store merge (4 addresses, 12 protocols, 1000 peers cycling)',
    cases: [{ name: 'wasp2p memory', fn: () => store.merge(`peer-${n++ % 1000}`, { addresses, protocols: message.protocols }) }]
  })

  let session
  groups.push({
    name: 'ping round trip on a long-lived in-memory stream',
    cases: [{
      name: 'wasp2p',
      setup: async () => {
        await session?.close()
        const [client, server] = streamPair()
        handlePing(server, { maxPerWindow: Infinity }).catch(() => {})
        session = new PingSession(client)
      },
      fn: () => session.ping()
    }]
  })

  const download = 1024 * 1024
  groups.push({
    name: 'perf 1 MiB download on an in-memory stream',
    bytes: download,
    cases: [{
      name: 'wasp2p',
      fn: async () => {
        const [client, server] = streamPair()
        handlePerf(server).catch(() => {})
        await perf(client, { download })
      }
    }]
  })

  const report = await runBench({ name: 'protocols', groups, rounds: options.rounds ?? 7, sampleMs: 30, warmupMs: 80 })
  await session?.close()
  return report
}

if (import.meta.url === `file://${globalThis.process?.argv?.[1]}`) {
  const report = await run()
  const file = await saveReport(report)
  if (file) console.log(`\nwrote ${file}`)
}
