// The real proof of circuit relay v2: two peers, each behind its own NAT
// router (network namespaces, veth pairs, iptables MASQUERADE; see
// helpers/netns.js), reach each other only through a relay in the public
// namespace. Direct dials between them fail; the circuit carries a 1 MiB
// echo, Noise + yamux end to end. Run with a wasp2p relay and a js-libp2p
// relay, and with a js-libp2p peer behind one of the NATs.
// Needs root and `ip netns`: without them this file says so loudly and skips,
// unless CI=true, where it fails.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { requireNetns, removeNamespaces, namespacePrefix } from '../helpers/netns.js'
import { createNatTopology, tcpProbe, RELAY_IP, A_IP, B_IP, NAT1_WAN_IP } from './helpers/netns.js'
import { startPeerIn } from './fixtures/peer-in-namespace.js'

const PREFIX = namespacePrefix('r')
const MiB = 1024 * 1024

const test = suite('circuit relay v2 through real NATs (network namespaces)')

// Without namespaces: a loud message, no test (the runner counts a file that ran none as
// failed, never as passed), and under CI=true an exit with failure (../helpers/netns.js).
if (!requireNetns('the NAT namespace tests of circuit relay v2')) {
  test.run()
} else {
  let ns
  const running = []

  test.before(() => {
    const left = removeNamespaces(PREFIX)
    if (left.length > 0) console.warn(`removed leftover namespaces: ${left.join(', ')}`)
    // However this process ends (a failed hook, an uncaught error), the namespaces go.
    process.once('exit', () => { removeNamespaces(PREFIX) })
    try {
      ns = createNatTopology(PREFIX)
    } catch (err) {
      removeNamespaces(PREFIX)
      throw err
    }
  })

  test.after(async () => {
    await Promise.allSettled(running.splice(0).map(p => p.stop()))
    removeNamespaces(PREFIX)
  })

  async function start (namespace, kind, config) {
    const peer = await startPeerIn(namespace, kind, config)
    running.push(peer)
    return peer
  }

  async function stopAll () {
    await Promise.allSettled(running.splice(0).map(p => p.stop()))
  }

  const circuitOf = (addrs, relayId) => addrs.find(a => a.includes(`/p2p/${relayId}/p2p-circuit`) && a.includes(`/ip4/${RELAY_IP}/tcp/`) && !a.includes('/ws'))

  for (const [relayKind, aKind] of [['wasp2p', 'wasp2p'], ['js', 'wasp2p'], ['wasp2p', 'js']]) {
    test(`${relayKind} relay in public, ${aKind} A behind NAT1, wasp2p B behind NAT2: only the relay joins them`, async () => {
      try {
        const relay = relayKind === 'wasp2p'
          ? await start(ns.pub, 'wasp2p', { listen: [`/ip4/${RELAY_IP}/tcp/0`], relayServer: { dataBytes: 8 * MiB, durationSeconds: 120 } })
          : await start(ns.pub, 'js', { host: RELAY_IP, relayServer: { dataBytes: 8 * MiB, durationMs: 120_000 } })
        const relayTcp = relay.addrs.find(a => !a.includes('/ws'))
        const a = aKind === 'wasp2p'
          ? await start(ns.a, 'wasp2p', { listen: [`/ip4/${A_IP}/tcp/0`, `${relayTcp}/p2p-circuit`] })
          : await start(ns.a, 'js', { host: A_IP, listenRelay: [`${relayTcp}/p2p-circuit`] })
        const b = await start(ns.b, 'wasp2p', { listen: [`/ip4/${B_IP}/tcp/0`] })

        const aAddrs = (await a.command({ cmd: 'addrs' })).addrs
        const aDirect = aAddrs.find(x => x.startsWith(`/ip4/${A_IP}/tcp/`) && !x.includes('/ws') && !x.includes('p2p-circuit'))
        const aCircuit = circuitOf(aAddrs, relay.peerId)
        assert.ok(aDirect, 'A listens on its private address')
        assert.ok(aCircuit, `A announces a circuit address through the relay: ${aAddrs.join(' ')}`)

        // The NATs keep them apart: from B's namespace, A's listening port cannot
        // be reached, while the relay's can (a plain TCP connect, so no dial of
        // the node's is left pending for A).
        const aPort = aDirect.split('/')[4]
        const relayPort = relayTcp.split('/')[4]
        assert.is.not(tcpProbe(ns.b, A_IP, aPort), 'connected', 'B cannot reach A directly')
        assert.is(tcpProbe(ns.b, RELAY_IP, relayPort), 'connected', 'B reaches the relay')

        if (relayKind === 'wasp2p') {
          // The relay sees A as its NAT's public (WAN) address, not A's private one.
          const seen = (await relay.command({ cmd: 'connections' })).connections.find(c => c.peer === a.peerId)
          assert.ok(seen, 'A is connected to the relay')
          assert.ok(seen.remoteAddr.startsWith(`/ip4/${NAT1_WAN_IP}/tcp/`), `relay sees A at ${seen.remoteAddr}`)
        }

        const echoed = await b.command({ cmd: 'echo', addr: aCircuit, bytes: MiB, timeoutMs: 30_000 })
        assert.ok(echoed.ok, echoed.error)
        assert.ok(echoed.match, '1 MiB echoed byte-exact through the relay')
        assert.is(echoed.remotePeer, a.peerId, 'Noise authenticated A end to end')
        assert.ok(echoed.limited, 'the relayed connection is limited')
        assert.ok(echoed.remoteAddr.includes('/p2p-circuit'), echoed.remoteAddr)

        const bConnections = (await b.command({ cmd: 'connections' })).connections
        assert.ok(bConnections.filter(c => c.peer === a.peerId).every(c => c.remoteAddr.includes('/p2p-circuit')), 'every connection B has to A goes through the relay')
      } finally {
        await stopAll()
      }
    })
  }

  test.run()
}
