// Ping, identify and identify/push against js-libp2p 3 (a separate process:
// fixtures/js-protocols-peer.mjs), both ways, over TCP with Noise and yamux. The
// wasp2p side is createNode with its built-in services, driven through the node
// API: node.ping(), the peer:identify event on connect, node.peerStore, and
// handle() (which pushes identify to connected peers).
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createNode, identifyService } from '../../dist/index.js'
import { AGENT_VERSION_KEY } from '../../dist/protocols/identify/index.js'
import { startJsProtocolsPeer } from './fixtures/js-protocols-peer-process.js'

const AGENT = 'wasp2p/interop-test'
/** How long a push may take to show up on the other side (js-libp2p debounces its own by 1 s). */
const PUSH_WAIT_MS = 10_000

let js
let node
let services

const withoutPeerId = addr => addr.toString().replace(/\/p2p\/[^/]+$/, '')
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

async function eventually (what, check) {
  const deadline = Date.now() + PUSH_WAIT_MS
  while (Date.now() < deadline) {
    if (await check()) return
    await sleep(100)
  }
  throw new Error(`${what} did not happen within ${PUSH_WAIT_MS} ms`)
}

test.before(async () => {
  js = await startJsProtocolsPeer()
  node = await createNode({ listen: ['/ip4/127.0.0.1/tcp/0'], services: { identify: identifyService({ agentVersion: AGENT, pushDebounce: 50 }) } })
  services = node.services
})

test.after(async () => {
  await node?.stop()
  await js?.stop()
})

test('wasp2p pings js-libp2p through node.ping (by address, then by PeerId)', async () => {
  for (let i = 0; i < 3; i++) {
    const rtt = await node.ping(js.addr)
    assert.ok(rtt >= 0 && rtt < 5000, `rtt ${rtt}`)
  }
  assert.is(node.getConnections(js.peerId).length, 1, 'one connection, reused')
  // By PeerId: the address comes from the peer store (identify put it there).
  await eventually('identify to fill the peer store', async () => (await node.peerStore.get(js.peerId))?.addresses.length > 0)
  await node.hangUp(js.peerId)
  assert.is(node.getConnections(js.peerId).length, 0)
  const rtt = await node.ping(js.peerId)
  assert.ok(rtt >= 0 && rtt < 5000, `rtt ${rtt}`)
})

test('peer:identify fires on a new connection with js-libp2p\'s verified record', async () => {
  await node.hangUp(js.peerId)
  const identified = new Promise(resolve => node.addEventListener('peer:identify', e => resolve(e.detail), { once: true }))
  await node.dial(js.addr)
  const result = await identified
  assert.is(result.peerId.toString(), js.peerId)
  assert.ok(result.peerRecord !== undefined, 'signed peer record verified')
  assert.ok(result.protocols.includes('/ipfs/ping/1.0.0'))
})

test('js-libp2p pings wasp2p', async () => {
  const answer = await js.command({ cmd: 'ping', addr: node.getMultiaddrs()[0].toString() })
  assert.ok(answer.ok, answer.error)
  assert.type(answer.rtt, 'number')
})

test('wasp2p identifies js-libp2p: fields, verified signed peer record, peer store', async () => {
  const connection = await node.dial(js.addr)
  const result = await services.identify.identify(connection)
  assert.is(result.peerId.toString(), js.peerId)
  assert.ok(result.agentVersion.startsWith('js-libp2p/'), result.agentVersion)
  for (const p of ['/ipfs/id/1.0.0', '/ipfs/id/push/1.0.0', '/ipfs/ping/1.0.0']) assert.ok(result.protocols.includes(p), p)
  assert.ok(result.peerRecord !== undefined, 'js-libp2p\'s signed peer record verified')
  assert.ok(result.listenAddrs.map(String).includes(withoutPeerId(js.addr)))
  assert.ok(result.observedAddr?.toString().startsWith('/ip4/127.0.0.1/tcp/'), `observed ${result.observedAddr}`)
  const peer = await node.peerStore.get(js.peerId)
  assert.ok(peer.addresses.length > 0 && peer.addresses.every(a => a.certified))
  assert.ok(peer.protocols.includes('/ipfs/ping/1.0.0'))
  assert.ok(peer.publicKey !== undefined)
  assert.ok(new TextDecoder().decode(peer.metadata.get(AGENT_VERSION_KEY)).startsWith('js-libp2p/'))
})

test('js-libp2p identifies wasp2p and certifies our signed peer record', async () => {
  const ours = node.getMultiaddrs()[0]
  const answer = await js.command({ cmd: 'identify', addr: ours.toString() })
  assert.ok(answer.ok, answer.error)
  assert.is(answer.agentVersion, AGENT)
  assert.is(answer.protocolVersion, 'ipfs/0.1.0')
  for (const p of ['/ipfs/id/1.0.0', '/ipfs/id/push/1.0.0', '/ipfs/ping/1.0.0']) assert.ok(answer.protocols.includes(p), p)
  assert.ok(answer.signedPeerRecord, 'js-libp2p accepted our signed peer record')
  const peer = await js.command({ cmd: 'peer', peerId: node.peerId.toString() })
  assert.ok(peer.ok, peer.error)
  assert.ok(peer.addresses.some(a => a.multiaddr === withoutPeerId(ours) && a.isCertified), JSON.stringify(peer.addresses))
})

test('js-libp2p pushes a new protocol to wasp2p', async () => {
  await node.dial(js.addr)
  const answer = await js.command({ cmd: 'handle', protocol: '/interop/js-new/1.0.0' })
  assert.ok(answer.ok, answer.error)
  await eventually('the push from js-libp2p', async () => (await node.peerStore.get(js.peerId))?.protocols.includes('/interop/js-new/1.0.0'))
})

test('wasp2p pushes a new protocol to js-libp2p (handle() triggers the push)', async () => {
  node.handle('/interop/wasp2p-new/1.0.0', stream => { stream.reset() })
  await eventually('the push from wasp2p', async () => {
    const peer = await js.command({ cmd: 'peer', peerId: node.peerId.toString() })
    return peer.ok && peer.protocols.includes('/interop/wasp2p-new/1.0.0')
  })
})

test.run()
