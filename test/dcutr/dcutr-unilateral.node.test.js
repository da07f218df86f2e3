// DCUtR's unilateral upgrade (DCUtR.md, "The Protocol": the inbound peer B
// "checks the addresses advertised by A via identify. If that set includes
// public addresses ... B attempts a unilateral connection upgrade by
// initiating a direct connection to A"), through real NATs in network
// namespaces: the dialer A behind nat2 has a port mapping of its listener on
// its router (as UPnP gives) and announces it; B (a wasp2p peer behind nat1,
// holding the reservation) dials that address directly as soon as A's
// identify arrives over the relayed connection — no CONNECT / SYNC, no hole
// punch — and reports `dcutr:upgraded` with `unilateral: true`. A is wasp2p,
// then js-libp2p (which, as A, only answers DCUtR: here it never has to).
// Without the mapping, the same peers hole-punch (dcutr-nat.node.test.js).
// Needs root and `ip netns`; skips loudly otherwise, fails when CI=true.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { requireNetns, removeNamespaces, namespacePrefix } from '../helpers/netns.js'
import { createNatTopology, PUBLIC_WAN, A_IP, B_IP } from '../relay/helpers/netns.js'
import { startPeerIn } from '../relay/fixtures/peer-in-namespace.js'
import { pollFor } from '../helpers/wait.js'

const PREFIX = namespacePrefix('u')
const MiB = 1024 * 1024
/** The port the dialer listens on, which nat2 maps (fixed: it is inside the test's own namespace). */
const MAPPED_PORT = 4003
/** Polls: at most this many, 250 ms apart. */
const MAX_POLLS = 120
const { RELAY_IP, NAT2_WAN_IP } = PUBLIC_WAN

const test = suite('DCUtR unilateral upgrade through real NATs (network namespaces)')

if (!requireNetns('the DCUtR unilateral-upgrade namespace tests')) {
  test.run()
} else {
  process.once('exit', () => { removeNamespaces(PREFIX) })

  const poll = (what, fn) => pollFor(fn, what, { count: MAX_POLLS })

  /** relay (wasp2p) in pub, the listener `b` (wasp2p) behind nat1, the dialer `a` (aKind) behind nat2 with a mapped, announced listener. */
  async function withNat (aKind, body) {
    removeNamespaces(PREFIX)
    const procs = []
    try {
      const ns = createNatTopology(PREFIX, { publicWan: true, forward: { nat: 2, port: MAPPED_PORT } })
      const start = async (name, kind, config) => { const p = await startPeerIn(name, kind, config); procs.push(p); return p }
      const relay = await start(ns.pub, 'wasp2p', { listen: [`/ip4/${RELAY_IP}/tcp/0`], relayServer: { dataBytes: 8 * MiB, durationSeconds: 120 } })
      const relayAddr = relay.addrs.find(x => x.includes(`/ip4/${RELAY_IP}/tcp/`))
      const dcutr = { dialTimeoutMs: 3000, relayCloseGraceMs: 1500 }
      // The reservation holder: behind nat1 (ns.a), no mapping; it drives DCUtR for the circuits it receives.
      const b = await start(ns.a, 'wasp2p', { listen: [`/ip4/${A_IP}/tcp/0`, `${relayAddr}/p2p-circuit`], dcutr })
      const mapped = `/ip4/${NAT2_WAN_IP}/tcp/${MAPPED_PORT}`
      const listen = [`/ip4/${B_IP}/tcp/${MAPPED_PORT}`]
      const a = aKind === 'wasp2p'
        ? await start(ns.b, 'wasp2p', { listen, announce: [mapped], dcutr })
        : await start(ns.b, 'js', { listen, announce: [mapped], dcutr: true })
      const bCircuit = await poll('the circuit address', async () => (await b.command({ cmd: 'addrs' })).addrs.find(x => x.includes('/p2p-circuit')))
      await body({ a, b, bCircuit, mapped })
    } finally {
      await Promise.allSettled(procs.map(p => p.stop()))
      removeNamespaces(PREFIX)
    }
  }

  for (const aKind of ['wasp2p', 'js']) {
    test(`${aKind} dials through the relay and announces a public address: wasp2p dials it directly, no hole punch`, async () => {
      await withNat(aKind, async ({ a, b, bCircuit, mapped }) => {
        const relayed = await a.command({ cmd: 'dial', addr: bCircuit })
        assert.ok(relayed.ok, relayed.error)
        assert.ok(relayed.limited && relayed.remoteAddr.includes('/p2p-circuit'), 'first through the relay')
        const upgraded = await poll('dcutr:upgraded or dcutr:failed on the listener', async () => (await b.command({ cmd: 'events' })).events.find(e => e.name === 'dcutr:upgraded' || e.name === 'dcutr:failed'))
        assert.is(upgraded.name, 'dcutr:upgraded', JSON.stringify(upgraded))
        assert.is(upgraded.unilateral, true, JSON.stringify(upgraded))
        assert.is(upgraded.attempts, 0)
        assert.is(upgraded.direction, 'outbound', 'the listener of the relayed connection is the client of the direct one')
        assert.is(upgraded.remoteAddr.split('/p2p/')[0], mapped, 'it dialed the address the dialer announced')
        // The dialer sees an inbound direct connection; traffic moves to it once the relayed one closes.
        const direct = await poll('a direct connection on the dialer', async () => (await a.command({ cmd: 'connections' })).connections.find(c => c.peer === b.peerId && !c.limited && !c.remoteAddr.includes('/p2p-circuit')))
        assert.is(direct.direction, 'inbound')
        await poll('the relayed connection closed', async () => (await a.command({ cmd: 'connections' })).connections.filter(c => c.peer === b.peerId).every(c => !c.limited))
        const echoed = await a.command({ cmd: 'echo', addr: bCircuit, bytes: MiB })
        assert.ok(echoed.ok && echoed.match, echoed.error)
        assert.not.ok(echoed.limited, 'the echo ran on the direct connection')
        assert.ok(!echoed.remoteAddr.includes(RELAY_IP), echoed.remoteAddr)
      })
    })
  }

  test.run()
}
