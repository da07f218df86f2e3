// DCUtR through real NATs (network namespaces, ../relay/helpers/netns.js):
// A and B, each behind its own router, connected through a relay in the
// public namespace, hole-punch a direct TCP connection (simultaneous open)
// and move off the relay: the new connection's remote address is the other
// router's WAN address, not the relay's, it is not limited, new streams use
// it, and the relayed connection is closed after the grace period. Behind
// symmetric NATs (MASQUERADE --random-fully) the punch fails: a named event
// (dcutr:failed, HolePunchFailedError) and the relayed connection stays up.
// Needs root and `ip netns`; skips loudly otherwise, fails when CI=true.
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { requireNetns, removeNamespaces, namespacePrefix } from '../helpers/netns.js'
import { createNatTopology, RELAY_IP, A_IP, B_IP, NAT1_WAN_IP, NAT2_WAN_IP } from '../relay/helpers/netns.js'
import { startPeerIn } from '../relay/fixtures/peer-in-namespace.js'

const PREFIX = namespacePrefix('d')
const MiB = 1024 * 1024
/** Polls of a peer's event list: at most this many, 250 ms apart. */
const MAX_POLLS = 160

const test = suite('DCUtR hole punching through real NATs (network namespaces)')

// Without namespaces: a loud message, no test (the runner counts a file that ran none as
// failed, never as passed), and under CI=true an exit with failure (../helpers/netns.js).
if (!requireNetns('the DCUtR NAT namespace tests')) {
  test.run()
} else {
  process.once('exit', () => { removeNamespaces(PREFIX) })

  /** Builds the topology, runs relay + A + B in it, gives them to `body`, tears everything down. */
  async function withNat ({ symmetric }, body) {
    removeNamespaces(PREFIX)
    const procs = []
    try {
      const ns = createNatTopology(PREFIX, { symmetric })
      const start = async (name, config) => { const p = await startPeerIn(name, 'wasp2p', config); procs.push(p); return p }
      const relay = await start(ns.pub, { listen: [`/ip4/${RELAY_IP}/tcp/0`], relayServer: { dataBytes: 8 * MiB, durationSeconds: 120 } })
      const dcutr = { dialTimeoutMs: 3000, relayCloseGraceMs: 1500 }
      const a = await start(ns.a, { listen: [`/ip4/${A_IP}/tcp/0`, `${relay.addrs[0]}/p2p-circuit`], dcutr })
      const b = await start(ns.b, { listen: [`/ip4/${B_IP}/tcp/0`], dcutr })
      const aCircuit = (await a.command({ cmd: 'addrs' })).addrs.find(x => x.includes('/p2p-circuit'))
      await body({ relay, a, b, aCircuit })
    } finally {
      await Promise.allSettled(procs.map(p => p.stop()))
      removeNamespaces(PREFIX)
    }
  }

  async function eventOf (peer, name) {
    for (let i = 0; i < MAX_POLLS; i++) {
      const found = (await peer.command({ cmd: 'events' })).events.find(e => e.name === name)
      if (found !== undefined) return found
      await new Promise(resolve => setTimeout(resolve, 250))
    }
    return undefined
  }

  test('port-preserving NATs: the peers punch a direct connection and leave the relay', async () => {
    await withNat({ symmetric: false }, async ({ relay, a, b, aCircuit }) => {
      const relayed = await b.command({ cmd: 'dial', addr: aCircuit })
      assert.ok(relayed.ok, relayed.error)
      assert.ok(relayed.limited && relayed.remoteAddr.includes('/p2p-circuit'), 'first through the relay')

      // A received the relayed connection, so A drives DCUtR (the spec's "B"); both report the upgrade.
      const onA = await eventOf(a, 'dcutr:upgraded')
      const onB = await eventOf(b, 'dcutr:upgraded')
      assert.ok(onA, 'A reports dcutr:upgraded')
      assert.ok(onB, 'B reports dcutr:upgraded')
      assert.ok(onA.remoteAddr.startsWith(`/ip4/${NAT2_WAN_IP}/tcp/`), `A sees B at B's router: ${onA.remoteAddr}`)
      assert.ok(onB.remoteAddr.startsWith(`/ip4/${NAT1_WAN_IP}/tcp/`), `B sees A at A's router: ${onB.remoteAddr}`)

      // New traffic takes the direct connection: not limited, not the relay's address.
      const echoed = await b.command({ cmd: 'echo', addr: aCircuit, bytes: MiB })
      assert.ok(echoed.ok && echoed.match, echoed.error)
      assert.not.ok(echoed.limited, 'the echo ran on the direct connection')
      assert.ok(!echoed.remoteAddr.includes(RELAY_IP), `remote address ${echoed.remoteAddr} is no longer the relay's`)

      // After the grace period only direct connections remain between them.
      let toA = []
      for (let i = 0; i < MAX_POLLS; i++) {
        toA = (await b.command({ cmd: 'connections' })).connections.filter(c => c.peer === a.peerId)
        if (toA.length > 0 && toA.every(c => !c.limited)) break
        await new Promise(resolve => setTimeout(resolve, 250))
      }
      assert.ok(toA.length > 0 && toA.every(c => !c.limited && !c.remoteAddr.includes('/p2p-circuit')), JSON.stringify(toA))
      // The relay no longer carries a circuit between them.
      const atRelay = (await relay.command({ cmd: 'connections' })).connections
      assert.ok(atRelay.some(c => c.peer === a.peerId) && atRelay.some(c => c.peer === b.peerId), 'both keep their relay connection (A its reservation)')
    })
  })

  test('symmetric NATs: the punch fails with a named event, the relayed connection stays up', async () => {
    await withNat({ symmetric: true }, async ({ a, b, aCircuit }) => {
      const relayed = await b.command({ cmd: 'dial', addr: aCircuit })
      assert.ok(relayed.ok, relayed.error)
      const failed = await eventOf(a, 'dcutr:failed')
      assert.ok(failed, 'A reports dcutr:failed')
      assert.is(failed.error, 'HolePunchFailedError')
      assert.is(failed.attempts, 3, 'three attempts, as the spec asks')
      const events = (await a.command({ cmd: 'events' })).events
      assert.not.ok(events.some(e => e.name === 'dcutr:upgraded'))
      // Still connected, through the relay.
      const echoed = await b.command({ cmd: 'echo', addr: aCircuit, bytes: 64 * 1024 })
      assert.ok(echoed.ok && echoed.match, echoed.error)
      assert.ok(echoed.limited && echoed.remoteAddr.includes('/p2p-circuit'), 'the relayed connection carries on')
    })
  })

  test.run()
}
