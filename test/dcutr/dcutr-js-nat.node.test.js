// DCUtR between wasp2p and js-libp2p (@libp2p/dcutr) through real NATs
// (network namespaces, ../relay/helpers/netns.js), both ways, through a
// wasp2p relay and a js-libp2p relay:
//
//   "a" (behind nat1) holds a reservation on the relay and receives the relayed
//   connection, so it is DCUtR's "B" and drives the exchange; "b" (behind nat2,
//   a plain port-preserving MASQUERADE router) dials a's circuit address and
//   is DCUtR's "A". nat1 gives a's listener a port mapping (as UPnP / NAT-PMP
//   would) that a announces.
//
// Why the mapping: js-libp2p's DCUtR offers its announced addresses and dials
// from ephemeral ports (@libp2p/tcp binds no local port), so a punch between
// two address-and-port-filtering NATs cannot meet in the middle for it; what
// it can do is dial, on SYNC, a mapped listener the other side offered in
// CONNECT (and the other side dials its). The test shows that the exchange
// runs between the implementations in both roles and ends in a direct
// connection whose remote address is a router's WAN address, not the relay's;
// the wasp2p ↔ wasp2p punch without any mapping is dcutr-nat.node.test.js.
//
// The internet side uses PUBLIC_WAN (7.77.0.0/16) because js-libp2p's DCUtR
// drops private-range addresses. Needs root and `ip netns`; skips loudly
// otherwise, fails when CI=true.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { requireNetns, removeNamespaces, namespacePrefix } from '../helpers/netns.js'
import { createNatTopology, PUBLIC_WAN, A_IP, B_IP } from '../relay/helpers/netns.js'
import { startPeerIn } from '../relay/fixtures/peer-in-namespace.js'
import { pollFor } from '../helpers/wait.js'

const PREFIX = namespacePrefix('j')
const MiB = 1024 * 1024
/** The port a listens on, which nat1 maps (fixed: it is inside the test's own namespace). */
const MAPPED_PORT = 4001
/** The js relay's port (fixed, in the test's own namespace): it announces it, see below. */
const RELAY_PORT = 4002
/** Polls: at most this many, 250 ms apart. */
const MAX_POLLS = 120
const { RELAY_IP, NAT1_WAN_IP, NAT2_WAN_IP } = PUBLIC_WAN

const test = suite('DCUtR wasp2p ↔ js-libp2p through real NATs (network namespaces)')

// Without namespaces: a loud message, no test (the runner counts a file that ran none as
// failed, never as passed), and under CI=true an exit with failure (../helpers/netns.js).
if (!requireNetns('the DCUtR js-libp2p NAT namespace tests')) {
  test.run()
} else {
  process.once('exit', () => { removeNamespaces(PREFIX) })

  const poll = (what, fn) => pollFor(fn, what, { count: MAX_POLLS })
  const directTo = async (peer, other) => (await peer.command({ cmd: 'connections' })).connections
    .filter(c => c.peer === other.peerId && !c.limited && !c.remoteAddr.includes('/p2p-circuit'))

  /** relay in pub, `a` (kind aKind) behind nat1 with a mapped listener, `b` (bKind) behind nat2. */
  async function withNat ({ relayKind, aKind, bKind }, body) {
    removeNamespaces(PREFIX)
    const procs = []
    try {
      const ns = createNatTopology(PREFIX, { publicWan: true, forward: { nat: 1, port: MAPPED_PORT } })
      const start = async (name, kind, config) => { const p = await startPeerIn(name, kind, config); procs.push(p); return p }
      const relay = relayKind === 'wasp2p'
        ? await start(ns.pub, 'wasp2p', { listen: [`/ip4/${RELAY_IP}/tcp/0`], relayServer: { dataBytes: 8 * MiB, durationSeconds: 120 } })
        // js-libp2p announces a public listen address only once verified (or named in appendAnnounce).
        : await start(ns.pub, 'js', { listen: [`/ip4/${RELAY_IP}/tcp/${RELAY_PORT}`], announce: [`/ip4/${RELAY_IP}/tcp/${RELAY_PORT}`], relayServer: { dataBytes: 8 * MiB, durationMs: 120_000 } })
      const relayAddr = relay.addrs.find(x => x.includes(`/ip4/${RELAY_IP}/tcp/`) && !x.includes('/ws'))
      assert.ok(relayAddr, `the relay's address among ${JSON.stringify(relay.addrs)}`)
      const dcutr = { dialTimeoutMs: 3000, relayCloseGraceMs: 1500 }
      const mapped = `/ip4/${NAT1_WAN_IP}/tcp/${MAPPED_PORT}`
      const a = aKind === 'wasp2p'
        ? await start(ns.a, 'wasp2p', { listen: [`/ip4/${A_IP}/tcp/${MAPPED_PORT}`, `${relayAddr}/p2p-circuit`], announce: [mapped], dcutr })
        : await start(ns.a, 'js', { listen: [`/ip4/${A_IP}/tcp/${MAPPED_PORT}`, `${relayAddr}/p2p-circuit`], announce: [mapped], dcutr: true })
      const b = bKind === 'wasp2p'
        ? await start(ns.b, 'wasp2p', { listen: [`/ip4/${B_IP}/tcp/0`], dcutr })
        : await start(ns.b, 'js', { listen: [`/ip4/${B_IP}/tcp/0`], dcutr: true })
      const aCircuit = await poll('a\'s circuit address', async () => (await a.command({ cmd: 'addrs' })).addrs.find(x => x.includes('/p2p-circuit')))
      await body({ relay, a, b, aCircuit })
    } finally {
      await Promise.allSettled(procs.map(p => p.stop()))
      removeNamespaces(PREFIX)
    }
  }

  for (const relayKind of ['wasp2p', 'js']) {
    test(`js-libp2p drives (B, behind nat1), wasp2p answers (A, behind nat2), ${relayKind} relay: direct connection`, async () => {
      await withNat({ relayKind, aKind: 'js', bKind: 'wasp2p' }, async ({ a, b, aCircuit }) => {
        const relayed = await b.command({ cmd: 'dial', addr: aCircuit })
        assert.ok(relayed.ok, relayed.error)
        assert.ok(relayed.limited && relayed.remoteAddr.includes('/p2p-circuit'), 'first through the relay')
        // wasp2p, as A, answers js's CONNECT and dials on its SYNC: dcutr:upgraded on our side.
        const upgraded = await poll('dcutr:upgraded on the wasp2p peer', async () => (await b.command({ cmd: 'events' })).events.find(e => e.name === 'dcutr:upgraded'))
        assert.ok(upgraded.remoteAddr.startsWith(`/ip4/${NAT1_WAN_IP}/tcp/`), `wasp2p reaches js at nat1's WAN address: ${upgraded.remoteAddr}`)
        const ours = await poll('a direct connection on the wasp2p side', async () => { const d = await directTo(b, a); return d.length > 0 && d })
        assert.ok(!ours[0].remoteAddr.includes(RELAY_IP), `not the relay's address: ${ours[0].remoteAddr}`)
        const theirs = await poll('a direct connection on the js side', async () => { const d = await directTo(a, b); return d.length > 0 && d })
        assert.ok(theirs[0].remoteAddr.startsWith(`/ip4/${NAT2_WAN_IP}/tcp/`), `js sees wasp2p at nat2's WAN address: ${theirs[0].remoteAddr}`)
        // Traffic takes it once the relayed connection is gone.
        await poll('the relayed connection closed', async () => (await b.command({ cmd: 'connections' })).connections.filter(c => c.peer === a.peerId).every(c => !c.limited))
        const echoed = await b.command({ cmd: 'echo', addr: aCircuit, bytes: MiB })
        assert.ok(echoed.ok && echoed.match, echoed.error)
        assert.not.ok(echoed.limited, 'the echo ran on the direct connection')
      })
    })

    test(`wasp2p drives (B, behind nat1), js-libp2p answers (A, behind nat2), ${relayKind} relay: direct connection`, async () => {
      await withNat({ relayKind, aKind: 'wasp2p', bKind: 'js' }, async ({ a, b, aCircuit }) => {
        const relayed = await b.command({ cmd: 'dial', addr: aCircuit })
        assert.ok(relayed.ok, relayed.error)
        assert.ok(relayed.limited, 'first through the relay')
        // wasp2p, as B, drives: CONNECT, SYNC; js, as A, dials the mapped address we offered.
        const upgraded = await poll('dcutr:upgraded on the wasp2p peer', async () => (await a.command({ cmd: 'events' })).events.find(e => e.name === 'dcutr:upgraded' || e.name === 'dcutr:failed'))
        assert.is(upgraded.name, 'dcutr:upgraded', JSON.stringify(upgraded))
        assert.ok(upgraded.remoteAddr.startsWith(`/ip4/${NAT2_WAN_IP}/tcp/`), `wasp2p sees js at nat2's WAN address: ${upgraded.remoteAddr}`)
        const theirs = await poll('a direct connection on the js side', async () => { const d = await directTo(b, a); return d.length > 0 && d })
        assert.is(theirs[0].remoteAddr.split('/p2p/')[0], `/ip4/${NAT1_WAN_IP}/tcp/${MAPPED_PORT}`, 'js dialed the mapped address wasp2p offered in CONNECT')
        // The relayed connection closes after the grace period; a stream then runs direct.
        await poll('the relayed connection closed', async () => (await a.command({ cmd: 'connections' })).connections.filter(c => c.peer === b.peerId).every(c => !c.limited))
        const echoed = await a.command({ cmd: 'echo', addr: b.peerId, bytes: MiB }).catch(err => ({ ok: false, error: err.message }))
        assert.ok(echoed.ok && echoed.match, echoed.error)
        assert.not.ok(echoed.limited, 'the echo ran on the direct connection')
        assert.ok(!echoed.remoteAddr.includes(RELAY_IP), echoed.remoteAddr)
      })
    })
  }

  test.run()
}
