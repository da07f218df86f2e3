// mDNS between network namespaces joined by a bridge (multicast on a real link, not
// loopback), wasp2p and js-libp2p (@libp2p/mdns) each in its own namespace as a child
// process: each discovers the other, and they connect both ways — wasp2p dials the js node
// it discovered (dial: true), and the js node dials the wasp2p node by peer id from the
// addresses its mDNS learned. Also wasp2p ↔ wasp2p on the same LAN. The wasp2p node
// listens on 0.0.0.0, so the announced addresses are its interface addresses.
// Skips loudly without `ip netns` (and fails under CI=true); removes every namespace it made.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { fileURLToPath } from 'node:url'
import { startJsonLineChild } from '../helpers/json-line-child.js'
import { makeLan, skipWithoutNetns } from './helpers/netns.js'

const JS_PEER = fileURLToPath(new URL('./fixtures/js-mdns-peer.mjs', import.meta.url))
const WASP2P_PEER = fileURLToPath(new URL('./fixtures/wasp2p-mdns-peer.mjs', import.meta.url))
const TIMEOUTS = { startTimeoutMs: 30_000, commandTimeoutMs: 20_000 }
/** How long discovery and the automatic dial may take on a loaded machine (queries go out every second). */
const DISCOVERY_TIMEOUT_MS = 30_000

async function until (check, what, timeoutMs = DISCOVERY_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs
  let last
  while (Date.now() < deadline) {
    last = await check()
    if (last.done) return last.value
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last?.value ?? null).slice(0, 2000)}`)
}

/** Done once `peer` has discovered `id` (with `addr` among its addresses, when given). */
const discoveredBy = async (peer, id, addr) => {
  const answer = await peer.command({ cmd: 'discovered' })
  const addrs = answer.peers[id]
  return { done: addrs !== undefined && (addr === undefined || addrs.includes(addr)), value: answer }
}
const connectedTo = async (peer, id, direction) => {
  const answer = await peer.command({ cmd: 'connections' })
  return { done: answer.peers.some(c => c.peer === id && c.direction === direction), value: answer }
}

const skip = skipWithoutNetns('the mDNS namespace tests')

if (!skip) {
  test('wasp2p ↔ js-libp2p: each discovers the other; wasp2p dials js', async () => {
    const lan = makeLan(2)
    const peers = []
    try {
      const [a, b] = lan.hosts
      const js = await startJsonLineChild(JS_PEER, [`/ip4/${b.ip}/tcp/4001`], { ...TIMEOUTS, wrap: ['ip', 'netns', 'exec', b.ns] })
      peers.push(js)
      const wasp = await startJsonLineChild(WASP2P_PEER, ['/ip4/0.0.0.0/tcp/4001', '--dial'], { ...TIMEOUTS, wrap: ['ip', 'netns', 'exec', a.ns] })
      peers.push(wasp)
      assert.ok(wasp.info.interfaces.includes(a.ip), `wasp2p joined the group on ${a.ip}: ${JSON.stringify(wasp.info)}`)

      // With the address js listens on.
      await until(() => discoveredBy(wasp, js.info.peerId, `/ip4/${b.ip}/tcp/4001`), 'wasp2p to discover the js node')
      // js learned our interface address for the wildcard listener (from mDNS or, since a wildcard
      // listener reports its interface addresses, from identify too). Test 2 is the one where only
      // mDNS can have told js: there js discovers us before any connection exists.
      await until(async () => {
        const { addrs } = await js.command({ cmd: 'addresses', peer: wasp.info.peerId })
        return { done: addrs.includes(`/ip4/${a.ip}/tcp/4001`), value: addrs }
      }, 'js to learn the wasp2p node\'s address by mDNS')
      await until(() => connectedTo(js, wasp.info.peerId, 'inbound'), 'wasp2p to dial the js node it discovered')
    } finally {
      await Promise.allSettled(peers.map(p => p.stop()))
      lan.remove()
    }
  })

  test('js-libp2p dials the wasp2p node it discovered by mDNS', async () => {
    const lan = makeLan(2)
    const peers = []
    try {
      const [a, b] = lan.hosts
      const wasp = await startJsonLineChild(WASP2P_PEER, [`/ip4/${a.ip}/tcp/4001`], { ...TIMEOUTS, wrap: ['ip', 'netns', 'exec', a.ns] })
      peers.push(wasp)
      const js = await startJsonLineChild(JS_PEER, [`/ip4/${b.ip}/tcp/4001`], { ...TIMEOUTS, wrap: ['ip', 'netns', 'exec', b.ns] })
      peers.push(js)
      await until(() => discoveredBy(js, wasp.info.peerId, `/ip4/${a.ip}/tcp/4001`), 'js to discover the wasp2p node')
      const dialed = await js.command({ cmd: 'dial', peer: wasp.info.peerId })
      assert.ok(dialed.ok, JSON.stringify(dialed))
      assert.type(dialed.rtt, 'number')
      await until(() => connectedTo(wasp, js.info.peerId, 'inbound'), 'the wasp2p node to see the js dial arrive')
      await until(() => discoveredBy(wasp, js.info.peerId, `/ip4/${b.ip}/tcp/4001`), 'wasp2p to discover the js node')
    } finally {
      await Promise.allSettled(peers.map(p => p.stop()))
      lan.remove()
    }
  })

  test('wasp2p ↔ wasp2p across the bridge: discovery and a dial by peer id', async () => {
    const lan = makeLan(2)
    const peers = []
    try {
      const [a, b] = lan.hosts
      const one = await startJsonLineChild(WASP2P_PEER, [`/ip4/${a.ip}/tcp/4001`], { ...TIMEOUTS, wrap: ['ip', 'netns', 'exec', a.ns] })
      peers.push(one)
      const two = await startJsonLineChild(WASP2P_PEER, [`/ip4/${b.ip}/tcp/4001`], { ...TIMEOUTS, wrap: ['ip', 'netns', 'exec', b.ns] })
      peers.push(two)
      await until(() => discoveredBy(one, two.info.peerId, `/ip4/${b.ip}/tcp/4001`), 'one to discover two')
      await until(() => discoveredBy(two, one.info.peerId, `/ip4/${a.ip}/tcp/4001`), 'two to discover one')
      const dialed = await one.command({ cmd: 'dial', peer: two.info.peerId })
      assert.ok(dialed.ok, JSON.stringify(dialed))
    } finally {
      await Promise.allSettled(peers.map(p => p.stop()))
      lan.remove()
    }
  })
}

test.run()
